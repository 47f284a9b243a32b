"""Quality checks beyond loading: every rule proves itself with tests both ways."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from pathlib import Path

from accord.engine.evaluate import RuleState, lookup_in
from accord.errors import Location, Problem, ProfileError
from accord.rules import conditions as c
from accord.rules.harness import Case, collect, deep_merge, run_states
from accord.rules.ruleset import RuleSet
from accord.sorting import natural_key


def coverage_problems(rs: RuleSet, instruments: Collection[str] = ()) -> list[Problem]:
    """Rules lacking a positive or negative test, or unverified without an explanation."""
    problems: list[Problem] = []
    for rid, rule in sorted(rs.rules.items(), key=lambda kv: natural_key(kv[0])):
        if instruments and rs.instrument_of(rid).id not in instruments:
            continue
        book = rs.book_of[rid]
        loc = Location(str(book.rule_files.get(rid, book.folder)), book.rule_lines.get(rid))
        expects = {t.expect for t in rule.tests}
        if "applies" not in expects:
            problems.append(Problem(f"rule {rid}: no test case where it applies", loc))
        if "does_not_apply" not in expects:
            problems.append(Problem(f"rule {rid}: no test case where it does not apply", loc))
        if rule.confidence == "unverified" and not rule.confidence_note:
            problems.append(
                Problem(
                    f"rule {rid}: unverified without a confidence_note",
                    loc,
                    "say what is uncertain and why",
                )
            )
        binding = rs.instrument_of(rid).binding if rule.binding is None else rule.binding
        if rule.kind == "obligation" and binding and not rule.controls:
            problems.append(
                Problem(
                    f"rule {rid}: a binding duty with no control that satisfies it",
                    loc,
                    "name the control(s) in `controls` (add one to controls.yaml if none fits)",
                )
            )
        if not rule.summary and rule.kind != "scope":
            problems.append(
                Problem(
                    f"rule {rid}: no summary", loc, "explain the rule in one to three sentences"
                )
            )
    return problems


def test_profile_problems(rs: RuleSet, cases: list[Case]) -> tuple[list[Problem], set[str]]:
    """Test profiles that are not valid profiles (a test must describe a real system), and the
    ids of those cases, which the other checks skip."""
    from accord.profile.loader import profile_from_dict

    problems: list[Problem] = []
    bad: set[str] = set()
    for case in cases:
        inst = rs.instrument_of(case.rule_id)
        data = {"id": "rule-test", "name": "rule test"} | deep_merge(
            inst.test_base, case.case.profile
        )
        try:
            profile_from_dict(data, source=f"test {case.id}")
        except ProfileError as exc:
            bad.add(case.id)
            detail = "; ".join(p.message for p in exc.problems) or exc.message
            problems.append(
                Problem(
                    f"rule {case.rule_id}: test {case.id} has an invalid profile: {detail}",
                    _location(rs, case.rule_id),
                )
            )
    return problems, bad


def presumption_problems(
    rs: RuleSet, instruments: Collection[str] = (), skip: Collection[str] = ()
) -> list[Problem]:
    """Every presumption must be shown in a test both resting and rebutted, and must never hide
    a duty or a prohibition (a classification it lowers shows up in the duties that hang on it).

    Hiding is checked on every rule test's profile by a what-if: where a rule does not apply and
    rests on a presumption, it must not apply either when that presumption is taken the other
    way. Otherwise the presumption, not the facts, removed it.
    """
    problems: list[Problem] = []
    rested: set[str] = set()
    rebutted: set[str] = set()
    hidden: dict[str, dict[str, str]] = {}
    for case in collect(rs, list(instruments)):
        if case.id in skip:
            continue
        states, facts_for = run_states(case, whole=False)
        used = set().union(*(st.assumed for st in states.values()))
        rested |= used
        for pid, p in rs.presumptions.items():
            if p.condition is not None and p.rule == case.rule_id:
                f = facts_for(p.instrument)
                lookup = lookup_in(
                    states, case.case.as_of or rs.instrument_of(case.rule_id).last_reviewed
                )
                if c.evaluate(p.condition, f.values, lookup, c.STRICT).value is True:
                    rebutted.add(pid)  # the exception's facts are stated and it holds
            elif p.field is not None and p.instrument == rs.instrument_of(case.rule_id).id:
                stated = facts_for.base.values.get(p.field)
                if stated is not None and stated != p.value:
                    rebutted.add(pid)
        for pid, rids in hidden_duties(
            rs, states, lambda flip, case=case: run_states(case, flip=flip, whole=False)[0]
        ).items():
            for rid in rids:
                hidden.setdefault(pid, {}).setdefault(rid, case.id)
    for pid, p in sorted(rs.presumptions.items()):
        if instruments and p.instrument not in instruments:
            continue
        loc = _location(rs, p.rule) if p.rule else _instrument_location(rs, p.instrument)
        if pid not in rested:
            problems.append(
                Problem(
                    f"presumption {pid}: no test rests on it",
                    loc,
                    "add a case that leaves its facts unknown",
                )
            )
        if pid not in rebutted:
            problems.append(
                Problem(
                    f"presumption {pid}: no test rebuts it",
                    loc,
                    "add a case that states the facts that displace it",
                )
            )
        for rid in p.lowers:
            if rid not in rs.rules:
                problems.append(Problem(f"presumption {pid}: unknown rule {rid!r} in lowers", loc))
        for rid, case_id in sorted(hidden.get(pid, {}).items()):
            problems.append(
                Problem(
                    f"presumption {pid} hides {rs.rules[rid].kind} {rid} (test {case_id})",
                    loc,
                    "a presumption must never hide a duty or prohibition; "
                    "name a lighter alternative it replaces in presume_lowers",
                )
            )
    return problems


def hidden_duties(
    rs: RuleSet,
    states: Mapping[str, RuleState],
    what_if: Callable[[frozenset[str]], Mapping[str, RuleState]],
) -> dict[str, list[str]]:
    """Duties and bans that a presumption alone removed, for one profile.

    `what_if(flip)` re-evaluates the same profile with the named presumptions taken the other
    way. A rule is hidden by a presumption when it does not apply, rests on the presumption,
    and would apply (or might) if the presumption went the other way. Inferences from stated
    facts and the lighter alternatives a presumption names in `lowers` are exempt.
    """
    out: dict[str, list[str]] = {}
    suspects: dict[str, list[str]] = {}  # only duties that are off and rest on a presumption
    for rid, st in states.items():
        if st.value is False and st.assumed and rs.rules[rid].kind in ("obligation", "prohibition"):
            for pid in st.assumed:
                p = rs.presumptions[pid]
                if not p.inference and rid not in p.lowers:
                    suspects.setdefault(pid, []).append(rid)
    for pid, rids in sorted(suspects.items()):
        other = what_if(frozenset({pid}))
        hidden = [rid for rid in rids if other[rid].value is not False]
        if hidden:
            out[pid] = hidden
    return out


def _location(rs: RuleSet, rid: str) -> Location:
    book = rs.book_of[rid]
    return Location(str(book.rule_files.get(rid, book.folder)), book.rule_lines.get(rid))


def _instrument_location(rs: RuleSet, instrument_id: str) -> Location:
    folder = next(b.folder for b in rs.books if b.instrument.id == instrument_id)
    return Location(str(Path(folder) / "instrument.yaml"))


def lint_problems(rs: RuleSet, instruments: Collection[str] = ()) -> list[Problem]:
    """Everything `accord rules lint` checks beyond loading (for some instruments only, if
    given): tests both ways, valid test profiles, and presumptions that are tested and hide
    nothing."""
    profiles, bad = test_profile_problems(rs, collect(rs, list(instruments)))
    return (
        coverage_problems(rs, instruments)
        + profiles
        + presumption_problems(rs, instruments, skip=bad)
    )
