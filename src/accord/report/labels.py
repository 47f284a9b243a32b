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


def money(amount: float | None, currency: str | None, formula: str = "") -> str:
    if amount is None:
        if "no maximum" in formula:
            return "no maximum"
        return "set nationally" if "nationally" in formula else "depends on turnover"
    return f"{currency or ''} {amount:,.0f}".strip()


def assumption_numbers(a: Assessment) -> dict[str, int]:
    """Assumption id -> its number in the Assumptions section, for references from findings."""
    return {x.id: n for n, x in enumerate(a.assumptions, 1)}


def findings_summary(a: Assessment) -> str:
    """What makes `accord assess` exit 1, in words; empty when nothing does."""
    banned = sum(len(v.prohibited) for v in a.verdict)
    gaps = sum(v.gaps for v in a.verdict)
    expired = sum(v.expired for v in a.verdict)
    parts = []
    if banned:
        parts.append(f"{banned} prohibited practice{'s' if banned != 1 else ''}")
    if gaps:
        text = (
            f"{gaps} dut{'ies that apply' if gaps != 1 else 'y that applies'} now with no "
            "control in place"
        )
        if expired:
            text += f" ({expired} with an expired control)"
        parts.append(text)
    return "; ".join(parts)


def control_note(f: Finding) -> str:
    """Where a duty stands on controls, for a finding that applies or may: which control is in
    place, or why none counts (expired, undated, planned...)."""
    if f.outcome == "does_not_apply" or not f.controls:
        return ""
    if f.controls_in_place:
        return f"in place: {', '.join(f.controls_in_place)}"
    reasons = []
    for x in f.control_checks:
        if x.state == "expired":
            reasons.append(f"{x.id} expired after {x.valid_until}")
        elif x.state == "undated":
            reasons.append(f"{x.id} has no date (valid {x.valid_for} under this law)")
        elif x.state == "not_yet":
            reasons.append(f"{x.id} done on {x.date}, after the assessment date")
        else:
            reasons.append(f"{x.id} {x.state.replace('_', ' ')}")
    if f.gap:
        return "no control in place" + (f": {'; '.join(reasons)}" if reasons else "")
    return "; ".join(reasons)
