"""Dates as people write them in YAML: YYYY-MM-DD, never a number.

Pydantic reads a bare number as seconds since 1970, so `last_reviewed: 0` would quietly become
1970-01-01 and `20260101` a confusing error about times. Every date field in profiles,
rulebooks and specs uses this type instead.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from pydantic import BeforeValidator


def strict_date(value: Any) -> Any:
    """A date from a YAML date or ISO text; anything else is refused with a hint."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date) or value is None:
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise ValueError(f"{value!r} is not a date; write it as YYYY-MM-DD, e.g. 2026-03-01")


Date = Annotated[dt.date, BeforeValidator(strict_date)]
