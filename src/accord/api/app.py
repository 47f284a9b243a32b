"""The FastAPI application: routes under /api/v1 over the same functions the CLI calls.

Every answer is what the matching CLI command prints with `-f json` (assess, compare,
landscape), so the API and the CLI cannot drift. Engine calls are serialised with a lock: the
rule set keeps per-date caches that are not meant to be filled from several threads at once.
"""

from __future__ import annotations

import threading
from typing import Any

from fastapi import APIRouter, Body, FastAPI, Query, Response

from accord import __version__
from accord.api import errors, security

PREFIX = "/api/v1"
MAX_LIMIT = 500

_JURISDICTION = Query(
    None,
    description="Only this jurisdiction (repeatable or comma-separated), e.g. EU, US-NY-NYC.",
)
_AS_OF = Query(None, description="Date (YYYY-MM-DD); default today.", examples=["2026-11-29"])
_LIMIT = Query(50, ge=1, le=MAX_LIMIT, description=f"Page size (at most {MAX_LIMIT}).")
_OFFSET = Query(0, ge=0, description="Items to skip.")
_PROFILE = Body(
    ...,
    description="A system profile, as in a profile YAML file (see `accord schema profile`).",
)


def build(ruleset: Any = None) -> FastAPI:
    app = FastAPI(
        title="Accord API",
        version=__version__,
        description="AI regulation as code, across jurisdictions: assess, compare, landscape, "
        "rules. Every error is `{error: {code, message, details}}`.",
        openapi_url=f"{PREFIX}/openapi.json",
        docs_url=None,  # Swagger UI and ReDoc load from a CDN: not allowed
        redoc_url=None,
    )
    errors.install(app)
    app.add_middleware(security.SecurityHeaders)
    app.include_router(_router(ruleset), prefix=PREFIX)
    return app


def _router(given: Any) -> APIRouter:
    router = APIRouter()
    lock = threading.Lock()

    def rules() -> Any:
        if given is not None:
            return given
        from accord.rules.loader import load_rules

        return load_rules()

    @router.get("/rules", summary="List instruments (laws and frameworks)")
    def list_instruments(
        jurisdiction: list[str] | None = _JURISDICTION,
        as_of: str | None = _AS_OF,
        limit: int = _LIMIT,
        offset: int = _OFFSET,
    ) -> dict[str, Any]:
        """Instruments with their jurisdiction, binding force, status on `as_of` and rule
        count, sorted by id; `jurisdiction` keeps the regions around and inside each code."""
        from accord import vocabulary
        from accord.cli.options import parse_date, parse_jurisdictions

        day = parse_date(as_of, "as_of")
        codes = parse_jurisdictions(jurisdiction)
        rs = rules()
        items = []
        for ident in sorted(rs.instruments):
            inst = rs.instruments[ident]
            if codes and not any(
                vocabulary.within(inst.jurisdiction, c) or vocabulary.within(c, inst.jurisdiction)
                for c in codes
            ):
                continue
            _, status, found = inst.status.at(day)
            items.append(
                {
                    "id": inst.id,
                    "title": inst.title,
                    "short_title": inst.short_title,
                    "jurisdiction": inst.jurisdiction,
                    "kind": inst.kind,
                    "binding": inst.binding,
                    "status": status if found else "not_yet_enacted",
                    "confidence": inst.confidence,
                    "rules": len(rs.by_instrument.get(ident, [])),
                }
            )
        return _page(items, limit, offset, as_of=day.isoformat())

    @router.get(
        "/rules/{rule_id}",
        summary="One rule",
        responses={404: {"description": "No such rule (error envelope)."}},
    )
    def show_rule(rule_id: str) -> dict[str, Any]:
        """The rule's citation, kind, title, summary, confidence and dates, as data."""
        rs = rules()
        rule = rs.rule(rule_id)  # NotFoundError (404) with close matches
        inst = rs.instrument_of(rule_id)
        applies = rule.applies_from
        if isinstance(applies, str):  # a named date of the instrument
            named = inst.dates.get(applies)
            applies_from: Any = {
                "parameter": applies,
                "dates": named.to_data() if named is not None else None,
            }
        else:
            applies_from = applies.to_data()
        return {
            "id": rule.id,
            "instrument": inst.id,
            "jurisdiction": inst.jurisdiction,
            "kind": rule.kind,
            "title": rule.title,
            "summary": rule.summary,
            "theme": rule.theme,
            "citation": {
                "text": rule.citation.short(inst.short_title),
                **rule.citation.model_dump(mode="json", exclude_none=True),
            },
            "confidence": rule.confidence,
            "confidence_note": rule.confidence_note,
            "binding": inst.binding if rule.binding is None else rule.binding,
            "roles": rule.roles,
            "applies_from": applies_from,
            "applies_until": rule.applies_until.isoformat() if rule.applies_until else None,
            "deadline": rule.deadline,
            "controls": rule.controls,
            "tests": len(rule.tests),
        }

    @router.get("/landscape", summary="The world landscape")
    def landscape(
        as_of: str | None = _AS_OF, jurisdiction: list[str] | None = _JURISDICTION
    ) -> dict[str, Any]:
        """As `accord landscape -f json`: each jurisdiction's regime and main instruments,
        then the international instruments and who signed them, on `as_of`."""
        from accord.cli.options import parse_date, parse_jurisdictions
        from accord.landscape import load_landscape, view

        day = parse_date(as_of, "as_of")
        codes = parse_jurisdictions(jurisdiction)
        return view(load_landscape(), codes, day).model_dump(mode="json")

    @router.post(
        "/assess",
        summary="Assess a profile",
        responses={422: {"description": "Invalid profile or request (error envelope)."}},
    )
    def assess(
        profile: dict[str, Any] = _PROFILE,
        as_of: str | None = _AS_OF,
        jurisdiction: list[str] | None = _JURISDICTION,
        strict: bool = Query(False, description="No presumptions: unknowns stay 'possible'."),
    ) -> Response:
        """As `accord assess -f json`: a verdict per jurisdiction, then classification,
        prohibitions, duties with their controls, traces, assumptions and open questions."""
        from accord.cli.options import parse_date, parse_jurisdictions
        from accord.engine import assess as run_assess
        from accord.report.assessment_json import render

        day = parse_date(as_of, "as_of")
        codes = parse_jurisdictions(jurisdiction)
        p = _profile(profile)
        with lock:
            result = run_assess(p, day, jurisdictions=codes, ruleset=rules(), strict=strict)
        return Response(render(result), media_type="application/json")

    @router.post(
        "/compare",
        summary="Compare a profile across its markets",
        responses={422: {"description": "Invalid profile or request (error envelope)."}},
    )
    def compare(
        profile: dict[str, Any] = _PROFILE,
        as_of: str | None = _AS_OF,
        jurisdiction: list[str] | None = _JURISDICTION,
    ) -> Response:
        """As `accord compare -f json`: the theme x jurisdiction matrix of duties, then the
        differences (uneven themes, deadlines, maximum penalties, prohibitions)."""
        from accord.cli.options import parse_date, parse_jurisdictions
        from accord.compare import compare_profile

        day = parse_date(as_of, "as_of")
        codes = parse_jurisdictions(jurisdiction)
        p = _profile(profile)
        with lock:
            result = compare_profile(p, day, markets=codes, ruleset=rules())
        return Response(result.model_dump_json(indent=2), media_type="application/json")

    return router


class _BodyPaths:
    """Stands in for a YAML document: locates each profile problem by its field path."""

    def location(self, path: tuple) -> Any:
        from accord.errors import Location

        return Location(".".join(["body", *(str(p) for p in path)]))


def _profile(data: dict[str, Any]) -> Any:
    from accord.profile.loader import profile_from_dict

    return profile_from_dict(data, _BodyPaths(), "body")  # type: ignore[arg-type]


def _page(items: list[Any], limit: int, offset: int, **extra: Any) -> dict[str, Any]:
    return {
        "total": len(items),
        "limit": limit,
        "offset": offset,
        **extra,
        "items": items[offset : offset + limit],
    }
