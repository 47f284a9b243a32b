"""Words and symbols shared by the text and Markdown renderers."""

from __future__ import annotations

import datetime as dt

from accord.engine.result import Assessment, Finding

OUTCOME = {"applies": "applies", "does_not_apply": "does not apply", "possible": "possible"}
STATUS = {
    "applicable": "applicable",
    "upcoming": "upcoming",
    "not_applicable": "not applicable",
    "not_in_force": "not in force",
}
REVIEW = "needs legal review"
REPORTED = "reported, single source"


def when(f: Finding, as_of: dt.date) -> str:
    if f.status == "upcoming" and f.applies_from:
        return f"from {f.applies_from}"
    if f.status == "applicable" and f.applies_from:
        return f"since {f.applies_from}"
    return STATUS[f.status]


def money(amount: float | None, currency: str | None) -> str:
    if amount is None:
        return "depends on turnover"
    return f"{currency or ''} {amount:,.0f}".strip()


def assumption_numbers(a: Assessment) -> dict[str, int]:
    """Assumption id -> its number in the Assumptions section, for references from findings."""
    return {x.id: n for n, x in enumerate(a.assumptions, 1)}
