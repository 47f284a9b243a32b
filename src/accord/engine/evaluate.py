"""The fast core: evaluate every rule for one profile on one date, without building text.

Kept separate from result building so that portfolio runs (thousands of profiles) pay only
for the logic; traces and questions are derived later, and only when someone reads them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping
from typing import Any, NamedTuple

from accord.rules import conditions as c
from accord.rules.model import INACTIVE_STATUSES
from accord.rules.ruleset import CompiledRule, RuleSet

FALSE = c.Evaluation(False)
EMPTY: frozenset[str] = frozenset()


class RuleState(NamedTuple):
    """Outcome of one rule: its truth value, unknowns, and where it stands in time.

    A NamedTuple rather than a dataclass: portfolio runs create one per rule per profile.
    """

    value: c.Tri
    unknowns: frozenset[str]
    in_force: bool
    applies_from: dt.date | None
    law_version: dt.date | None
    reason: str | None  # why not in force
    assumed: frozenset[str] = frozenset()  # presumptions the value rests on

    @property
    def outcome(self) -> str:
        if not self.in_force or self.value is False:
            return "does_not_apply"
        return "applies" if self.value else "possible"

    def status(self, as_of: dt.date) -> str:
        if not self.in_force:
            return "not_in_force"
        if self.value is False:
            return "not_applicable"
        if self.applies_from is not None and self.applies_from > as_of:
            return "upcoming"
        return "applicable"


def time_state(
    cr: CompiledRule,
    as_of: dt.date,
    states: Mapping[str, RuleState] | None = None,
    scenarios: Collection[str] = (),
) -> tuple[bool, dt.date | None, dt.date | None, str | None]:
    """(in force?, applies from, law version, reason) for a rule on a date.

    With date routes, the earliest route whose rule applies sets the date; if none certainly
    applies, the earliest of those that may apply.
    A pending bill whose scenario is chosen is evaluated as if enacted ("what if it passed").
    """
    inst = cr.instrument
    _, status, found = inst.status.at(as_of)
    if not found:
        return False, None, None, f"{inst.short_title} had not been enacted on {as_of}"
    hypothetical = (
        status == "pending"
        and inst.scenario is not None
        and (inst.scenario in scenarios or inst.id in scenarios)
    )
    if status in INACTIVE_STATUSES and not hypothetical:
        return False, None, None, f"{inst.short_title} is {status} on {as_of}"
    rule = cr.rule
    dated = cr.applies_from
    if cr.routes and states is not None:
        # Routes that certainly apply decide the date; merely possible ones only when none do.
        live_states = [
            (d, st.value)
            for rid, d in cr.routes
            if (st := states.get(rid)) is not None and st.in_force and st.value is not False
        ]
        definite = [d for d, v in live_states if v is True]
        live = definite or [d for d, _ in live_states]
        picks = [(d.at(as_of), d) for d in live]
        picks = [(p, d) for p, d in picks if p[2] and p[1] is not None]
        if picks:
            dated = min(picks, key=lambda pd: pd[0][1])[1]
    version, start, found = dated.at(as_of)
    if dated.is_dated() and (not found or start is None):
        return False, None, version, "not part of the law version in force on this date"
    if rule.applies_until is not None and as_of > rule.applies_until:
        return False, start, version, f"ceased to apply after {rule.applies_until}"
    return True, start, version, None


def lookup_in(states: Mapping[str, RuleState], as_of: dt.date | None = None) -> c.RuleLookup:
    """Rule references read other rules' states; a rule not in force counts as false, and
    with `applying`, so does one that only takes effect after `as_of`."""

    def lookup(rule_id: str) -> c.Evaluation:
        applying = rule_id.endswith(c.APPLYING)
        st = states.get(rule_id[:-1] if applying else rule_id)
        if st is None or not st.in_force:
            return FALSE
        if applying and as_of and st.applies_from and st.applies_from > as_of:
            return FALSE  # only upcoming on the date: false whatever the facts
        return c.Evaluation(st.value, st.unknowns, st.assumed)

    return lookup


def _time_table(
    ruleset: RuleSet, as_of: dt.date, scenarios: Collection[str]
) -> dict[str, tuple[bool, dt.date | None, dt.date | None, str | None]]:
    """Time states of rules without date routes: the same for every profile on a date."""
    key = (as_of, tuple(sorted(scenarios)))
    cache = ruleset.time_cache
    table = cache.get(key)
    if table is None:
        table = {
            rid: time_state(cr, as_of, None, scenarios)
            for rid, cr in ruleset.compiled.items()
            if not cr.routes
        }
        if len(cache) > 64:
            cache.clear()
        cache[key] = table
    return table


class Facts(NamedTuple):
    """The facts one instrument's rules read: the profile's, plus facts presumed for it."""

    values: Mapping[str, Any]
    mode: c.Mode


class FactsByInstrument:
    """Per instrument, the profile's facts with that instrument's fact presumptions filled in.

    A presumption fills a field only while the profile leaves it unknown and its own condition
    certainly holds on the stated facts. Instruments without presumptions share the base.
    """

    def __init__(
        self,
        ruleset: RuleSet,
        facts: Mapping[str, Any],
        strict: bool = False,
        flip: frozenset[str] = frozenset(),
        instruments: Collection[str] | None = None,
        as_of: dt.date | None = None,
    ):
        base_mode = c.STRICT if strict else c.Mode(flipped=flip)
        if as_of is not None and facts.get(c.AS_OF) != as_of:
            facts = {**facts, c.AS_OF: as_of}  # for provisions that exist in some versions only
        self.base = Facts(facts, base_mode)
        self.filled = {} if strict else _presumed_facts(ruleset, facts, flip, instruments)

    def __call__(self, instrument_id: str) -> Facts:
        return self.filled.get(instrument_id, self.base)


def _presumed_facts(
    ruleset: RuleSet,
    facts: Mapping[str, Any],
    flip: frozenset[str] = frozenset(),
    instruments: Collection[str] | None = None,
) -> dict[str, Facts]:
    out: dict[str, Facts] = {}
    for inst_id, presumptions in ruleset.fact_presumptions.items():
        if instruments is not None and inst_id not in instruments:
            continue
        candidates: dict[str, list[tuple[str, Any]]] = {}
        for p in presumptions:
            assert p.field is not None
            if facts.get(p.field) is not None or p.id in flip:
                continue
            if (
                c.evaluate(p.when, facts, lookup_in({}), c.STRICT).value is True
                and c.evaluate(p.unless, facts, lookup_in({}), c.STRICT).value is not True
            ):
                candidates.setdefault(p.field, []).append((p.id, p.value))
        filled: dict[str, Any] = {}
        presumed: dict[str, str] = {}
        for name, options in candidates.items():
            if len({repr(v) for _, v in options}) == 1:  # presumptions that disagree cancel out
                presumed[name], filled[name] = options[0]
        if filled:
            out[inst_id] = Facts({**facts, **filled}, c.Mode(presumed=presumed, flipped=flip))
    return out


def evaluate_all(
    ruleset: RuleSet,
    facts: Mapping[str, Any],
    as_of: dt.date,
    instruments: set[str] | None = None,
    scenarios: Collection[str] = (),
    unknowns: bool = True,
    strict: bool = False,
    flip: frozenset[str] = frozenset(),
    only: Collection[str] | None = None,
) -> dict[str, RuleState]:
    """Evaluate every rule in dependency order (or only the rules in `only`, which must be
    closed under dependencies, e.g. `RuleSet.closure`).

    Values come from the compiled closures; the fields behind an unknown value, and the
    presumptions behind a definite one, are collected afterwards (only where they can exist,
    and only when `unknowns` is asked for). `strict` evaluates without presumptions; `flip`
    takes the named presumptions the other way (a carve-out present, a presumed fact unknown),
    which rule lint uses to check that no presumption hides a duty.
    """
    states: dict[str, RuleState] = {}
    values: dict[str, c.Tri] = {}
    times = _time_table(ruleset, as_of, scenarios)
    routed = ruleset.time_cache.setdefault(("routes", as_of, tuple(sorted(scenarios))), {})
    needed = None if only is None else {ruleset.compiled[rid].instrument.id for rid in only}
    facts_for = FactsByInstrument(ruleset, facts, strict, flip, needed, as_of)

    assumed_of: dict[str, frozenset[str]] = {}  # rules whose value rests on a presumption
    lookup = lookup_in(states, as_of)
    filled, base = facts_for.filled, facts_for.base

    order = ruleset.order if only is None else sorted(only, key=ruleset.position.__getitem__)
    for rid in order:
        cr = ruleset.compiled[rid]
        if instruments is not None and cr.instrument.id not in instruments:
            continue
        t = times.get(rid)
        if t is None:  # date depends on which route applies: memoise by the routes' values
            key = (rid, *(values.get(r) for r, _ in cr.routes))
            t = routed.get(key)
            if t is None:
                t = routed[key] = time_state(cr, as_of, states, scenarios)
        in_force, start, version, reason = t
        if not in_force:
            values[rid] = False
            if cr.watched:
                values[rid + c.APPLYING] = False
            states[rid] = RuleState(False, EMPTY, False, start, version, reason)
            continue
        f = filled.get(cr.instrument.id, base) if filled else base
        if flip:  # what-if runs are rare: the reference evaluator honours the flips
            value = c.evaluate(cr.effective, f.values, lookup, f.mode).value
        else:
            value = (cr.fast_strict if strict else cr.fast)(f.values, values)
        values[rid] = value
        upcoming = cr.watched and start is not None and start > as_of
        if cr.watched:  # some rule asks whether this one applies on the date itself
            values[rid + c.APPLYING] = False if upcoming else value
        missing = assumed = EMPTY
        if unknowns and (
            value is None
            or (
                not strict
                and (
                    cr.presumes
                    or not cr.refs.isdisjoint(assumed_of)
                    or (f.mode.presumed and not cr.fields.isdisjoint(f.mode.presumed))
                )
            )
        ):
            if value is None or flip:
                ev = c.evaluate(cr.effective, f.values, lookup, f.mode)
                missing, assumed = (ev.unknowns if value is None else EMPTY), ev.assumed
            else:  # definite: the compiled provenance pass is enough
                assumed = cr.provenance(f.values, values, assumed_of, f.mode.presumed)[1]
            if assumed:
                assumed_of[rid] = assumed
                if cr.watched and not upcoming:
                    assumed_of[rid + c.APPLYING] = assumed
        states[rid] = RuleState(value, missing, True, start, version, None, assumed)
    return states
