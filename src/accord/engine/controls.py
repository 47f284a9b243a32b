"""Whether the controls a profile records satisfy a duty on the assessment date.

A duty is in place only when a control that satisfies exactly that duty is implemented, was
done by the date, and, where the law limits how long it counts (an LL144 bias audit: one year),
is still within that period. Everything else is reported with the reason, so "in place" never
hides an expired audit or a plan.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from accord.engine.result import ControlCheck
from accord.profile.model import Control
from accord.rules.dated import add_period
from accord.rules.model import Rule


def ledger(controls: Sequence[Control]) -> dict[str, Control]:
    """The profile's controls by id; where one is listed twice, the implemented and most
    recent entry counts (a re-audit supersedes the old one)."""
    out: dict[str, Control] = {}
    for ctl in controls:
        best = out.get(ctl.id)
        if best is None or _rank(ctl) > _rank(best):
            out[ctl.id] = ctl
    return out


def _rank(ctl: Control) -> tuple[bool, dt.date]:
    return (ctl.status == "implemented", ctl.date or dt.date.min)


def check(rule: Rule, recorded: dict[str, Control], as_of: dt.date) -> list[ControlCheck]:
    """One check per control of `rule` that the profile records, in the rule's order."""
    out = []
    for cid in rule.controls:
        ctl = recorded.get(cid)
        if ctl is None:
            continue
        period = rule.control_validity.get(cid)
        valid_until = add_period(ctl.date, period) if ctl.date and period else None
        if ctl.status != "implemented":
            state = ctl.status
        elif ctl.date is not None and ctl.date > as_of:
            state = "not_yet"
        elif period and ctl.date is None:
            state = "undated"
        elif valid_until is not None and as_of > valid_until:
            state = "expired"
        else:
            state = "in_place"
        out.append(
            ControlCheck(
                id=cid, state=state, date=ctl.date, valid_for=period, valid_until=valid_until
            )
        )
    return out
