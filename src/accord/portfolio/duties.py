"""The duties a portfolio must cover: one element per (system, jurisdiction, rule).

The plan and the divergence index read the same list, so "a duty of this portfolio" means one
thing everywhere: a binding obligation of an instrument that applies to the system, applicable
on the date or starting later (within a horizon if one is given), and, on request, those that
only may apply because the profile leaves a decisive fact open.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from accord.engine.result import Assessment, Finding

IN_PLACE = "in_place"


@dataclass(frozen=True)
class Duty:
    """One duty of one system in one jurisdiction, with the controls that each satisfy it."""

    system_id: str
    system_name: str
    jurisdiction: str
    instrument: str
    short_title: str
    rule_id: str
    title: str
    theme: str
    controls: tuple[str, ...]
    status: str
    applies_from: dt.date | None = None
    possible: bool = False
    checks: tuple[tuple[str, str], ...] = ()
    """(control, state) for each control of the duty the profile records (see ControlCheck)."""


def is_planned(f: Finding, until: dt.date | None, possible: bool) -> bool:
    """Whether a finding is a duty to cover: binding obligation, applies (or may, if
    `possible`), applicable now or upcoming; with `until`, upcoming only if it starts by then."""
    if f.kind != "obligation" or not f.binding:
        return False
    if f.outcome != "applies" and not (possible and f.outcome == "possible"):
        return False
    if f.status == "applicable":
        return True
    if f.status != "upcoming":
        return False
    if until is None or f.applies_from is None:
        return True
    return f.applies_from <= until


def plan_duties(
    assessments: Iterable[Assessment],
    *,
    until: dt.date | None = None,
    possible: bool = False,
) -> list[Duty]:
    """Every duty of every assessed system, in assessment and instrument order; upcoming ones
    only if they start by `until` (None: all of them)."""
    out: list[Duty] = []
    for a in assessments:
        for inst in a.instruments:
            if inst.in_scope == "does_not_apply":
                continue
            for f in inst.obligations:
                if not is_planned(f, until, possible):
                    continue
                out.append(
                    Duty(
                        system_id=a.profile_id,
                        system_name=a.profile_name,
                        jurisdiction=inst.jurisdiction,
                        instrument=inst.id,
                        short_title=inst.short_title,
                        rule_id=f.rule_id,
                        title=f.title,
                        theme=f.theme,
                        controls=tuple(f.controls),
                        status=f.status,
                        applies_from=f.applies_from,
                        possible=f.outcome == "possible",
                        checks=tuple((c.id, c.state) for c in f.control_checks),
                    )
                )
    return out


def controls_in_place(duties: Sequence[Duty]) -> dict[str, set[str]]:
    """Per system, the controls that count as already done: in place for every duty of the
    system that records them. A control that is expired, undated, planned or done after the
    date for any one of its duties must be (re)done, so it is not free for any of them."""
    good: dict[str, set[str]] = {}
    bad: dict[str, set[str]] = {}
    for d in duties:
        for control, state in d.checks:
            (good if state == IN_PLACE else bad).setdefault(d.system_id, set()).add(control)
    return {s: ctl - bad.get(s, set()) for s, ctl in good.items()}


def jurisdictions_of(markets: Sequence[str] | None, known: Iterable[str]) -> set[str] | None:
    """The jurisdictions among `known` a system with these declared markets is sold in (a
    market inside or containing the jurisdiction); None when the markets are unknown."""
    from accord import vocabulary

    if markets is None:
        return None
    codes = [vocabulary.canonical_jurisdiction(m) or m for m in markets]
    return {
        j for j in known if any(vocabulary.within(j, m) or vocabulary.within(m, j) for m in codes)
    }


def by_key(duties: Iterable[Duty]) -> Mapping[tuple[str, str], list[Duty]]:
    """Duties grouped by (system, jurisdiction), in first-seen order."""
    out: dict[tuple[str, str], list[Duty]] = {}
    for d in duties:
        out.setdefault((d.system_id, d.jurisdiction), []).append(d)
    return out
