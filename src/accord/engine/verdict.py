"""The verdict: each instrument's result in one line, so an answer comes before the detail.

Counts come from the findings themselves, so the verdict can never disagree with the detail
that follows it (the consistency tests check this for every example and random profiles).
"""

from __future__ import annotations

from collections.abc import Collection

from accord.engine.result import Assumption, InstrumentResult, VerdictLine


def verdict_line(
    inst: InstrumentResult,
    assumptions: list[Assumption],
    depth: dict[str, int] | None = None,
    rule_ids: Collection[str] | None = None,
) -> VerdictLine:
    """`depth` ranks classes: the one resting on the fewest other rules (the basic class, e.g.
    high-risk) comes first, refinements that build on it (a legacy shelter, systemic risk)
    after; without it, the findings' order is kept. `rule_ids`: every rule of the instrument
    that gives a finding, for a lean result that lists only the relevant ones (presumptions
    resting on the others still count); default: the findings listed."""
    classes = []
    labelled = [f for f in inst.classifications if f.verdict]
    if depth:
        labelled.sort(key=lambda f: (f.outcome != "applies", depth.get(f.rule_id, 0)))
    for f in labelled:
        if not f.verdict or f.outcome == "does_not_apply":
            continue
        label = f.verdict if f.outcome == "applies" else f"possibly {f.verdict}"
        if f.status == "upcoming" and f.applies_from:
            label += f" from {f.applies_from}"
        classes.append(label)
    binding = [f for f in inst.obligations if f.binding]
    now = [f for f in binding if f.outcome == "applies" and f.status == "applicable"]
    upcoming = [f for f in binding if f.outcome == "applies" and f.status == "upcoming"]
    possible = [
        f for f in binding if f.outcome == "possible" and f.status in ("applicable", "upcoming")
    ]
    dates = [f.applies_from for f in upcoming if f.applies_from]
    rules = set(rule_ids) if rule_ids is not None else set()
    rules |= {f.rule_id for f in inst.classifications + inst.prohibitions + inst.obligations}
    used = [
        x
        for x in assumptions
        if x.instrument == inst.id and (set(x.findings) & rules or x.id in inst.scope_assumptions)
    ]
    line = VerdictLine(
        instrument=inst.id,
        short_title=inst.short_title,
        jurisdiction=inst.jurisdiction,
        in_scope=inst.in_scope,
        binding=inst.binding,
        classes=classes,
        prohibited=[
            f.rule_id
            for f in inst.prohibitions
            if f.outcome == "applies" and f.status == "applicable"
        ],
        possibly_prohibited=[
            f.rule_id
            for f in inst.prohibitions
            if f.outcome == "possible" or (f.outcome == "applies" and f.status == "upcoming")
        ],
        duties_now=len(now),
        duties_upcoming=len(upcoming),
        next_date=min(dates) if dates else None,
        duties_possible=len(possible),
        gaps=sum(f.gap for f in now),
        expired=sum(f.gap and any(c.state == "expired" for c in f.control_checks) for f in now),
        assumptions=len(used),
        needs_review=len(inst.needs_review),
        text="",
    )
    line.text = _words(line)
    return line


def _words(v: VerdictLine) -> str:
    if v.in_scope == "does_not_apply":
        return "not in scope"
    parts = []
    if v.in_scope == "possible":
        parts.append("may be in scope")
    if v.classes:
        parts.append(", ".join(v.classes))
    if v.prohibited:
        n = len(v.prohibited)
        parts.append(f"PROHIBITED ({n} practice{'s' if n != 1 else ''})")
    elif v.possibly_prohibited:
        n = len(v.possibly_prohibited)
        parts.append(f"{n} prohibition{'s' if n != 1 else ''} may apply")
    duties = []
    if v.duties_now:
        duties.append(f"{v.duties_now} now")
    if v.duties_upcoming:
        duties.append(f"{v.duties_upcoming} from {v.next_date}")
    if v.duties_possible:
        duties.append(f"{v.duties_possible} possible")
    if duties:
        total = v.duties_now + v.duties_upcoming + v.duties_possible
        parts.append(f"{'duty' if total == 1 else 'duties'}: {', '.join(duties)}")
    elif v.in_scope != "does_not_apply" and not v.classes and not v.prohibited:
        parts.append("nothing binding")
    if v.gaps:
        gap = f"{v.gaps} without a control in place"
        if v.expired:
            gap += f" ({v.expired} expired)"
        parts.append(gap)
    if v.assumptions:
        parts.append(f"{v.assumptions} assumption{'s' if v.assumptions != 1 else ''}")
    if v.needs_review:
        parts.append(f"{v.needs_review} need legal review")
    if not v.binding:
        parts.append("non-binding")
    return "; ".join(parts)
