"""One violation in words, shared by every output so text, JSON, SARIF and JUnit agree."""

from __future__ import annotations

from accord.engine.result import Finding
from accord.gate.policy import Violation


def status_words(f: Finding) -> str:
    """Outcome and dates: 'applies since 2026-01-22', 'applies from 2027-01-01', 'may apply
    (open: technique.editorial_control)'."""
    if f.outcome == "possible":
        opened = f", open: {', '.join(f.unknowns[:3])}" if f.unknowns else ""
        more = " ..." if len(f.unknowns) > 3 else ""
        when = f" from {f.applies_from}" if f.status == "upcoming" and f.applies_from else ""
        return f"may apply{when}{opened}{more}"
    if f.status == "upcoming" and f.applies_from:
        return f"applies from {f.applies_from}"
    if f.applies_from:
        return f"applies since {f.applies_from}"
    return "applies"


def control_words(f: Finding) -> str | None:
    """Why no control counts, where a duty needs one: 'no control in place (bias-audit
    expired after 2026-09-01)'."""
    if f.kind != "obligation" or f.controls_in_place or f.outcome != "applies":
        return None
    reasons = [
        f"{c.id} expired after {c.valid_until}"
        if c.state == "expired" and c.valid_until
        else f"{c.id} {c.state.replace('_', ' ')}"
        for c in f.control_checks
        if c.state != "in_place"
    ]
    text = "no control in place"
    if reasons:
        text += f" ({'; '.join(reasons)})"
    elif f.controls:
        text += f" (e.g. {', '.join(f.controls[:2])})"
    return text


def message(v: Violation) -> str:
    """The violation in one sentence: the duty, the law, its status or date, the policies."""
    f, inst = v.finding, v.instrument
    kind = {"prohibition": "Prohibited practice", "classification": "Classification"}.get(
        f.kind, "Duty"
    )
    parts = [f"{kind}: {f.title} ({f.citation}), {inst.short_title} [{inst.jurisdiction}]"]
    parts.append(status_words(f))
    if (ctl := control_words(f)) is not None:
        parts.append(ctl)
    if f.needs_review:
        parts.append("needs legal review")
    text = "; ".join(parts)
    return f"{text}. Fails policy {', '.join(str(p) for p in v.policies)}."
