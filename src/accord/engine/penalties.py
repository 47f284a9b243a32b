"""Maximum fine exposure per tier, from the tier's caps and the organisation's size and turnover.

Figures are statutory maxima per infringement, not predictions; the text says so in outputs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from accord.engine.result import Finding, PenaltyExposure
from accord.profile.model import Profile
from accord.rules.model import Instrument, Penalty

SME_SIZES = frozenset({"micro", "small", "medium"})


def _combine_rule(p: Penalty, profile: Profile) -> str:
    org = profile.organisation
    if (org.size in SME_SIZES or org.startup) and p.sme_combine:
        return p.sme_combine
    if org.size == "small_mid_cap" and p.small_mid_cap_combine:
        return p.small_mid_cap_combine
    return p.combine


def _turnover(p: Penalty, profile: Profile) -> float | None:
    org = profile.organisation
    return org.annual_turnover_eur if p.currency == "EUR" else org.annual_revenue_usd


def tier_amount(p: Penalty, profile: Profile) -> tuple[float | None, str]:
    """Maximum amount (None if it depends on unknown turnover) and the formula in words."""
    how = _combine_rule(p, profile)
    fixed, pct = p.fixed_max, p.turnover_pct
    if fixed is None and pct is None and p.fixed_min is not None:
        suffix = " per violation" if how == "per_violation" else ""
        return None, f"at least {p.currency} {p.fixed_min:,.0f}{suffix}, no maximum"
    money = f"{p.currency} {fixed:,.0f}" if fixed is not None else None
    if how in ("fixed_only", "per_violation") or pct is None:
        suffix = " per violation" if how == "per_violation" else ""
        return fixed, (money or "set nationally") + suffix
    share = f"{pct:g}% of worldwide annual turnover"
    formula = f"{money} or {share}, whichever is {how}" if money else share
    turnover = _turnover(p, profile)
    if turnover is None:
        if how == "lower":
            return fixed, formula + " (turnover unknown: at most the fixed amount)"
        return None, formula + " (turnover unknown)"
    by_turnover = turnover * pct / 100
    if fixed is None:
        return by_turnover, formula
    amount = max(fixed, by_turnover) if how == "higher" else min(fixed, by_turnover)
    return amount, formula


def exposure(
    inst: Instrument, findings: Sequence[Finding], profile: Profile, as_of: dt.date
) -> list[PenaltyExposure]:
    by_tier: dict[str, list[Finding]] = {}
    for f in findings:
        if f.penalty and f.outcome != "does_not_apply" and f.status in ("applicable", "upcoming"):
            by_tier.setdefault(f.penalty, []).append(f)
    out: list[PenaltyExposure] = []
    for tier in inst.penalties:
        triggered = by_tier.get(tier.id)
        if not triggered:
            continue
        _, start, found = tier.applies_from.at(as_of)
        if tier.applies_from.is_dated() and (not found or start is None):
            continue
        amount, formula = tier_amount(tier, profile)
        if start is not None and start > as_of:
            formula += f"; fines apply from {start}"
        out.append(
            PenaltyExposure(
                penalty_id=tier.id,
                title=tier.title,
                citation=tier.citation.short(inst.short_title),
                currency=tier.currency,
                max_amount=amount,
                formula=formula,
                triggered_by=[f.rule_id for f in triggered],
                definite=any(f.outcome == "applies" for f in triggered),
                needs_review=tier.confidence == "unverified",
            )
        )
    out.sort(key=lambda e: -(e.max_amount or 0))
    return out
