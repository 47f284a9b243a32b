"""Turn rule states into an Assessment: findings with traces, open questions, penalties."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from accord import __version__, vocabulary
from accord.choices import check_names
from accord.engine.controls import check as check_controls
from accord.engine.controls import ledger as control_ledger
from accord.engine.evaluate import Facts, FactsByInstrument, RuleState, evaluate_all, lookup_in
from accord.engine.penalties import exposure
from accord.engine.questions import rank_questions
from accord.engine.result import (
    Assessment,
    Assumption,
    Finding,
    InstrumentCaveat,
    InstrumentResult,
)
from accord.engine.verdict import verdict_line
from accord.errors import InputError
from accord.profile.fields import facts as profile_facts
from accord.profile.model import Control, Profile
from accord.rules import conditions as c
from accord.rules.dated import to_date
from accord.rules.loader import load_rules
from accord.rules.model import Instrument
from accord.rules.ruleset import CompiledRule, RuleSet
from accord.sorting import natural_key

OUTCOME_WORD = {True: "applies", False: "does not apply", None: "is possible"}


def selected_instruments(
    ruleset: RuleSet,
    jurisdictions: Sequence[str] = (),
    scenarios: Sequence[str] = (),
    opt_in: Sequence[str] = (),
) -> list[Instrument]:
    """Instruments to report: filtered by jurisdiction; scenarios and opt-ins only on request.

    Unknown scenario, framework or jurisdiction names are input errors, never silently ignored.
    """
    known_scenarios = {i.scenario for i in ruleset.instruments.values() if i.scenario}
    known_scenarios |= {i.id for i in ruleset.instruments.values() if i.scenario}
    check_names(scenarios, known_scenarios, "scenario")
    check_names(opt_in, {i.id for i in ruleset.instruments.values() if i.opt_in}, "framework")
    for code in jurisdictions:
        if vocabulary.canonical_jurisdiction(code) != code:
            raise InputError(
                f"unknown jurisdiction {code!r}; use codes like EU, US-NY-NYC, KR "
                "(see `accord vocab jurisdictions`)"
            )
    out = []
    for inst in ruleset.instruments.values():
        if inst.scenario and inst.scenario not in scenarios and inst.id not in scenarios:
            continue
        if inst.opt_in and inst.id not in opt_in:
            continue
        if jurisdictions and not any(
            vocabulary.within(inst.jurisdiction, j) or vocabulary.within(j, inst.jurisdiction)
            for j in jurisdictions
        ):
            continue
        out.append(inst)
    return out


def assess(
    profile: Profile,
    as_of: dt.date | str | None = None,
    *,
    jurisdictions: Sequence[str] = (),
    scenarios: Sequence[str] = (),
    opt_in: Sequence[str] = (),
    ruleset: RuleSet | None = None,
    explain: bool = True,
    strict: bool = False,
    lean: bool = False,
) -> Assessment:
    """Assess one profile; pure and deterministic for the same profile, rules and date.

    By default the rulebooks' rebuttable presumptions fill in what the profile leaves unsaid,
    and every finding that rests on one lists it; `strict` gives the pure three-valued view.

    `lean` builds only what multi-system commands print (about 3x less work a profile): the
    finding lists hold only findings that apply or may apply (`listing` is "relevant", as in
    the default JSON output) and `open_questions` is empty (their ranking is the costliest
    part). Verdict lines, assumptions, penalties and scope are exactly those of the full result.
    """
    ruleset = ruleset or load_rules()
    as_of = _as_date(as_of)
    facts_for = FactsByInstrument(ruleset, profile_facts(profile), strict, as_of=as_of)
    states = evaluate_all(ruleset, facts_for.base.values, as_of, scenarios=scenarios, strict=strict)
    chosen = selected_instruments(ruleset, jurisdictions, scenarios, opt_in)
    chosen_ids = {i.id for i in chosen}
    # Lean results leave out findings that do not apply; the presumptions those rest on are
    # kept here so the assumptions and verdict match the full result.
    dropped: dict[str, frozenset[str]] | None = {} if lean else None
    results = [
        _instrument_result(
            ruleset, inst, states, facts_for(inst.id), as_of, profile, explain, dropped
        )
        for inst in sorted(chosen, key=lambda i: (i.jurisdiction != "EU", i.jurisdiction, i.id))
    ]
    if lean:
        questions = []
    else:
        relevant = {
            rid: st for rid, st in states.items() if ruleset.instrument_of(rid).id in chosen_ids
        }
        questions = rank_questions(ruleset, relevant)
    assumptions = _assumptions(ruleset, results, states, facts_for, as_of, dropped)
    ids = _finding_ids(ruleset) if lean else {}
    return Assessment(
        accord_version=__version__,
        profile_id=profile.id,
        profile_name=profile.name,
        as_of=as_of,
        scenarios=list(scenarios),
        strict=strict,
        verdict=[
            verdict_line(inst, assumptions, class_depth(ruleset), ids.get(inst.id))
            for inst in results
        ],
        instruments=results,
        assumptions=assumptions,
        open_questions=questions,
        listing="relevant" if lean else "all",
    )


def _finding_ids(ruleset: RuleSet) -> dict[str, frozenset[str]]:
    """Per instrument, the ids of the rules that give findings (all but scope rules)."""
    cached = ruleset.time_cache.get(("finding-ids",))
    if cached is None:
        cached = {
            inst: frozenset(r for r in rids if ruleset.rules[r].kind != "scope")
            for inst, rids in ruleset.by_instrument.items()
        }
        ruleset.time_cache[("finding-ids",)] = cached
    return cached


def class_depth(ruleset: RuleSet) -> dict[str, int]:
    """For each labelled classification, how many rules it rests on (cached per rule set)."""
    cached = ruleset.time_cache.get(("class-depth",))
    if cached is None:
        cached = {
            rid: len(ruleset.closure(rid))
            for rid, rule in ruleset.rules.items()
            if rule.kind == "classification" and rule.verdict
        }
        ruleset.time_cache[("class-depth",)] = cached
    return cached


def _as_date(value: dt.date | str | None) -> dt.date:
    """The assessment date: a date, an ISO string, or today."""
    if value is None:
        return dt.date.today()
    try:
        return to_date(value)
    except ValueError:
        raise InputError(f"{value!r} is not a date; use YYYY-MM-DD, e.g. 2026-11-29") from None


def _assumptions(
    ruleset: RuleSet,
    results: list[InstrumentResult],
    states: dict[str, RuleState],
    facts_for: FactsByInstrument,
    as_of: dt.date,
    dropped: dict[str, frozenset[str]] | None = None,
) -> list[Assumption]:
    """The presumptions that findings rest on, each with the facts that would rebut it.

    Outcomes either way count: an inference that puts a system out of scope, or a presumption
    that leaves a lighter duty aside, is listed as much as one that makes a duty apply.
    """
    users: dict[str, list[str]] = {}
    for inst in results:
        for pid in inst.scope_assumptions:
            users.setdefault(pid, [])
        for f in inst.classifications + inst.prohibitions + inst.obligations:
            for pid in f.assumptions:
                users.setdefault(pid, []).append(f.rule_id)
    for rid, assumed in (dropped or {}).items():
        for pid in assumed:
            users.setdefault(pid, []).append(rid)
    out = []
    lookup = lookup_in(states, as_of)
    for pid in sorted(users):
        p = ruleset.presumptions[pid]
        if p.condition is not None:
            base = facts_for.base.values
            rebut = sorted(c.evaluate(p.condition, base, lookup, c.STRICT).unknowns)
        else:
            rebut = [p.field or ""]
        out.append(
            Assumption(
                id=pid,
                instrument=p.instrument,
                assumption=p.assumption,
                reason=p.reason,
                citation=p.citation,
                url=p.url,
                rebut=rebut,
                findings=sorted(set(users[pid])),
            )
        )
    return out


def _law_version(inst: Instrument, as_of: dt.date) -> str:
    applied = [a for a in inst.amendments if a.in_force <= as_of]
    if not applied:
        return f"{inst.citation} as originally enacted"
    names = ", ".join(a.title for a in applied)
    return f"{inst.citation} as amended by {names}"


def _instrument_result(
    ruleset: RuleSet,
    inst: Instrument,
    states: dict[str, RuleState],
    facts: Facts,
    as_of: dt.date,
    profile: Profile,
    explain: bool,
    dropped: dict[str, frozenset[str]] | None = None,
) -> InstrumentResult:
    """`dropped` given: a lean result; rules that do not apply give no finding, and the
    presumptions their outcome rests on are recorded in it instead."""
    _, status, found = inst.status.at(as_of)
    status_text = status if found and status else "not yet enacted"
    scope_state = states.get(inst.scope_rule) if inst.scope_rule else None
    in_scope = "applies" if scope_state is None else scope_state.outcome
    scope_trace: list[str] = []
    if explain and inst.scope_rule and scope_state is not None:
        scope_trace = _trace(
            ruleset, ruleset.compiled[inst.scope_rule], scope_state, states, facts, as_of
        )
    result = InstrumentResult(
        id=inst.id,
        title=inst.title,
        short_title=inst.short_title,
        jurisdiction=inst.jurisdiction,
        citation=inst.citation,
        binding=inst.binding,
        status=status_text,
        law_version=_law_version(inst, as_of),
        in_scope=in_scope,
        scope_trace=scope_trace,
        scope_assumptions=sorted(scope_state.assumed) if scope_state is not None else [],
        confidence=inst.confidence,
        caveats=[
            InstrumentCaveat(text=x.text, since=x.since, confidence=x.confidence, url=x.url)
            for x in inst.caveats
            if x.since is None or x.since <= as_of
        ],
    )
    recorded = control_ledger(profile.controls)
    for rid in ruleset.by_instrument[inst.id]:
        cr = ruleset.compiled[rid]
        if cr.rule.kind == "scope":
            continue
        st = states[rid]
        if dropped is not None and st.outcome == "does_not_apply":
            if st.in_force and st.value is not None and st.assumed:
                dropped[rid] = st.assumed
            continue
        finding = _finding(ruleset, cr, st, states, facts, as_of, recorded, explain)
        bucket = {
            "classification": result.classifications,
            "prohibition": result.prohibitions,
            "obligation": result.obligations,
        }[cr.rule.kind]
        bucket.append(finding)
        if finding.needs_review and finding.outcome != "does_not_apply":
            result.needs_review.append(finding.rule_id)
    reaching = [
        f
        for f in result.classifications + result.prohibitions + result.obligations
        if f.outcome != "does_not_apply"
    ]
    if result.in_scope == "does_not_apply" and reaching:
        # Rules that do not follow an exclusion of the general scope (e.g. GPAI duties that
        # arise before release) still reach the system: the law is not simply out of scope.
        strongest = "applies" if any(f.outcome == "applies" for f in reaching) else "possible"
        result.in_scope = strongest
        names = ", ".join(f.rule_id for f in reaching[:5]) + (" ..." if len(reaching) > 5 else "")
        result.scope_trace = [
            "The general scope excludes the system, but rules that do not follow that "
            f"exclusion {'apply' if strongest == 'applies' else 'may apply'}: {names}",
            *result.scope_trace,
        ]
    for bucket in (result.classifications, result.prohibitions, result.obligations):
        bucket.sort(
            key=lambda f: (
                f.outcome != "applies",
                f.outcome != "possible",
                f.applies_from or dt.date.min,
                natural_key(f.rule_id),
            )
        )
    result.penalties = exposure(inst, [*result.prohibitions, *result.obligations], profile, as_of)
    amounts = [p.max_amount for p in result.penalties if p.definite and p.max_amount is not None]
    if amounts:
        result.max_exposure = max(amounts)
        result.exposure_currency = result.penalties[0].currency
    return result


def _finding(
    ruleset: RuleSet,
    cr: CompiledRule,
    st: RuleState,
    states: dict[str, RuleState],
    facts: Facts,
    as_of: dt.date,
    recorded: dict[str, Control],
    explain: bool,
) -> Finding:
    rule = cr.rule
    outcome, status = st.outcome, st.status(as_of)
    relevant = rule.controls and outcome != "does_not_apply"
    checks = check_controls(rule, recorded, as_of) if relevant else []
    in_place = [x.id for x in checks if x.state == "in_place"]
    binding = cr.instrument.binding if rule.binding is None else rule.binding
    carve = None
    if st.in_force and st.value is False and cr.carve_outs:
        lookup = lookup_in(states, as_of)
        for cid, title, cond in cr.carve_outs:
            if c.evaluate(cond, facts.values, lookup, facts.mode).value is True:
                pre = c.All(tuple(p for p in (cr.scope, cr.role, cr.when)))
                if c.evaluate(pre, facts.values, lookup, facts.mode).value is not False:
                    carve = f"{title} [{cid}]"
                break
    trace = _trace(ruleset, cr, st, states, facts, as_of) if explain else []
    return Finding.model_construct(
        rule_id=rule.id,
        kind=rule.kind,
        title=rule.title,
        summary=rule.summary,
        outcome=outcome,
        status=status,
        applies_from=st.applies_from,
        applies_until=rule.applies_until,
        law_version=st.law_version,
        citation=rule.citation.short(cr.instrument.short_title),
        url=rule.citation.url,
        theme=rule.theme,
        verdict=rule.verdict,
        roles=rule.roles,
        deadline=rule.deadline,
        penalty=rule.penalty,
        confidence=rule.confidence,
        needs_review=rule.needs_review or cr.instrument.confidence == "unverified",
        confidence_note=rule.confidence_note,
        binding=binding,
        trace=trace,
        unknowns=sorted(st.unknowns) if st.value is None and st.in_force else [],
        carve_out=carve,
        controls=rule.controls,
        controls_in_place=in_place,
        control_checks=checks,
        gap=(
            rule.kind == "obligation"
            and binding
            and outcome == "applies"
            and status == "applicable"
            and not in_place
        ),
        assumptions=sorted(st.assumed) if st.in_force and st.value is not None else [],
    )


def _trace(
    ruleset: RuleSet,
    cr: CompiledRule,
    st: RuleState,
    states: dict[str, RuleState],
    facts: Facts,
    as_of: dt.date,
    depth: int = 0,
) -> list[str]:
    """Readable reasons: which conditions held, which carve-outs applied, and the dates.

    A referenced rule is named with its id and outcome, not expanded: it is a finding of its
    own with its own trace, so a reasoning chain shared by many duties appears once.
    """
    rule = cr.rule
    cite = rule.citation.short(cr.instrument.short_title)
    if not st.in_force:
        return [f"{rule.title} ({cite}) is not in force on {as_of}: {st.reason}"]
    lookup = lookup_in(states, as_of)
    values, mode = facts.values, facts.mode

    def title(rid: str) -> str:
        return ruleset.rules[rid].title if rid in ruleset.rules else rid

    expand = None

    lines = [f"{rule.title} ({cite}) {OUTCOME_WORD[st.value]}"]
    if rule.presume and rule.id in st.assumed:
        unknown = ", ".join(sorted(c.evaluate(cr.effective, values, lookup, c.STRICT).unknowns))
        return [*lines, f"  presumed not to hold until stated otherwise (answer {unknown})"]
    excepted = st.value is False and any(
        c.evaluate(cond, values, lookup, mode).value is True for _, _, cond in cr.carve_outs
    )
    for part, label in ((cr.scope, "scope"), (cr.role, "role"), (cr.when, "condition")):
        if part is c.TRUE:
            continue
        value = c.evaluate(part, values, lookup, mode).value
        if label == "scope" and value is True:
            continue  # in-scope is reported once per instrument
        if excepted and value is not False:
            continue  # an exception decided it; the rest would only be noise
        if label == "role" and value is True:
            if depth:
                continue
            held = ", ".join(r for r in (values.get("roles") or []) if r in (rule.roles or []))
            lines.append(
                f"  binds {', '.join(rule.roles or [])}"
                + (f"; the organisation is {held}" if held else " (via a role switch)")
            )
            continue
        reasons = c.explain(part, values, lookup, title, expand, mode)
        prefix = {True: "because", False: "but", None: "open:"}[value]
        lines += [f"  {prefix} {r}" if not r.startswith(" ") else f"  {r}" for r in reasons]
    for cid, ctitle, cond in cr.carve_outs:
        ev = c.evaluate(cond, values, lookup, mode)
        if ev.value is True:
            lines.append(f"  exception applies: {ctitle} [{cid}]")
            lines += ["    " + r for r in c.explain(cond, values, lookup, title, expand, mode)]
        elif isinstance(cond, c.Presume) and cond.id in ev.assumed:
            unknown = ", ".join(sorted(c.evaluate(cond, values, lookup, c.STRICT).unknowns))
            lines.append(
                f"  exception presumed absent: {ctitle} [{cid}] (answer {unknown} if it applies)"
            )
        elif ev.value is None:
            unknown = ", ".join(sorted(ev.unknowns))
            lines.append(f"  exception may apply: {ctitle} [{cid}] (depends on {unknown})")
        else:
            lines.append(f"  exception unavailable: {ctitle} [{cid}]")
    if depth == 0 and st.value is not False and st.applies_from is not None:
        if st.applies_from <= as_of:
            lines.append(f"  applies since {st.applies_from}")
        else:
            lines.append(f"  applies from {st.applies_from} (law version of {st.law_version})")
    if depth == 0 and (rule.needs_review or cr.instrument.confidence == "unverified"):
        note = rule.confidence_note or (
            "the instrument's own source is unverified" if not rule.needs_review else None
        )
        lines.append("  NEEDS LEGAL REVIEW: " + (note or "unverified source"))
    return lines
