"""Option parsing shared by commands, with user-facing errors instead of tracebacks."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from accord.choices import check_names, choose  # noqa: F401  (re-exported for commands)
from accord.errors import InputError


class Format(StrEnum):
    text = "text"
    json = "json"
    markdown = "markdown"


def parse_date(value: str | None, option: str = "--as-of") -> dt.date:
    if value is None:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise InputError(
            f"{option}: {value!r} is not a date; use YYYY-MM-DD, e.g. 2026-11-27"
        ) from None


def parse_jurisdictions(values: list[str] | None) -> list[str]:
    from accord import vocabulary

    out = []
    for v in values or []:
        for part in v.split(","):
            if not part.strip():
                continue
            canon = vocabulary.canonical_jurisdiction(part)
            if canon is None:
                raise InputError(
                    f"unknown jurisdiction {part!r}; e.g. EU, US-NY-NYC, KR "
                    "(see `accord vocab jurisdictions`)"
                )
            out.append(canon)
    return out
