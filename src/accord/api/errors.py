"""One JSON error envelope for every error the API returns.

`{"error": {"code": ..., "message": ..., "details": [{"field", "message", "hint"}, ...]}}`:
Accord's own errors keep their code and problems; FastAPI's validation errors name the field
(`query.limit`, `body.markets.0`); anything unexpected is a generic 500, logged, never echoed.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from accord.errors import AccordError, ProfileError

log = logging.getLogger("accord.api")

INTERNAL_MESSAGE = "internal error; the server log has the details"

_HTTP_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "validation_error",
    429: "too_many_requests",
    500: "internal_error",
}


def envelope(
    status: int,
    code: str,
    message: str,
    details: list[dict[str, Any]] | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    body = {"error": {"code": code, "message": message, "details": details or []}}
    return JSONResponse(body, status_code=status, headers=headers)


def internal_error() -> JSONResponse:
    return envelope(500, "internal_error", INTERNAL_MESSAGE)


def _accord_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, AccordError)
    details = [
        {
            "field": str(p.location) if p.location else None,
            "message": p.message,
            "hint": p.hint,
        }
        for p in exc.problems
    ]
    # A profile that fails validation is a well-formed request with invalid content.
    status = 422 if isinstance(exc, ProfileError) else exc.http_status
    return envelope(status, exc.code, exc.message, details)


def _validation_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    details = []
    for item in exc.errors():
        loc = [str(p) for p in item.get("loc", ())]
        details.append(
            {"field": ".".join(loc) or None, "message": str(item.get("msg", "")), "hint": None}
        )
    n = len(details)
    return envelope(
        422, "validation_error", f"{n} problem{'s' if n != 1 else ''} in the request", details
    )


def _http_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    code = _HTTP_CODES.get(exc.status_code, "http_error")
    message = exc.detail if isinstance(exc.detail, str) else code.replace("_", " ")
    return envelope(exc.status_code, code, message, headers=getattr(exc, "headers", None))


def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.error("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return internal_error()


def install(app: FastAPI) -> None:
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(AccordError, _accord_error)
    app.add_exception_handler(Exception, _unexpected)
