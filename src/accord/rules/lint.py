"""Quality checks beyond loading: every rule proves itself with tests both ways."""

from __future__ import annotations

from pathlib import Path

from accord.engine.evaluate import lookup_in
from accord.errors import Location, Problem
from accord.rules import conditions as c
from accord.rules.harness import collect, run_states
from accord.rules.ruleset import RuleSet


def coverage_problems(rs: RuleSet) -> list[Problem]:
    """Rules lacking a positive or negative test, or unverified without an explanation."""
    problems: list[Problem] = []
    for rid, rule in sorted(rs.rules.items()):
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
        if not rule.summary and rule.kind != "scope":
            problems.append(
                Problem(
                    f"rule {rid}: no summary", loc, "explain the rule in one to three sentences"
                )
            )
    return problems


def presumption_problems(rs: RuleSet) -> list[Problem]:
    """Every presumption must be shown in a test both resting and rebutted, and must never
    lower a duty, a prohibition or a classification (it may only make them more likely)."""
    problems: list[Problem] = []
    rested: set[str] = set()
    rebutted: set[str] = set()
    for case in collect(rs):
        states, facts_for = run_states(case)
        for st in states.values():
            rested |= st.assumed
        for pid, p in rs.presumptions.items():
            if p.condition is not None and p.rule == case.rule_id:
                f = facts_for(p.instrument)
                lookup = lookup_in(states)
                if c.evaluate(p.condition, f.values, lookup, c.STRICT).value is True:
                    rebutted.add(pid)  # the exception's facts are stated and it holds
            elif p.field is not None and p.instrument == rs.instrument_of(case.rule_id).id:
                stated = facts_for.base.values.get(p.field)
                if stated is not None and stated != p.value:
                    rebutted.add(pid)
    for pid, p in sorted(rs.presumptions.items()):
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
        for rid in sorted(lowered_by(rs, pid)):
            kind = rs.rules[rid].kind
            problems.append(
                Problem(
                    f"presumption {pid} can make {kind} {rid} less likely to apply",
                    loc,
                    "a presumption must never hide a duty, prohibition or classification",
                )
            )
    return problems


def _location(rs: RuleSet, rid: str) -> Location:
    book = rs.book_of[rid]
    return Location(str(book.rule_files.get(rid, book.folder)), book.rule_lines.get(rid))


def _instrument_location(rs: RuleSet, instrument_id: str) -> Location:
    folder = next(b.folder for b in rs.books if b.instrument.id == instrument_id)
    return Location(str(Path(folder) / "instrument.yaml"))


def _signed_nodes(cond: c.Condition, sign: int = 1) -> list[tuple[c.Condition, int]]:
    """Every node with the parity of the negations above it (+1 positive, -1 negated)."""
    out: list[tuple[c.Condition, int]] = [(cond, sign)]
    inner = -sign if isinstance(cond, c.Not) else sign
    for child in cond.children():
        out += _signed_nodes(child, inner)
    return out


def lowered_by(rs: RuleSet, pid: str) -> set[str]:
    """Rules a presumption can push from applying towards not applying (sign analysis).

    A presumed-absent carve-out raises its own rule; a presumed fact raises or lowers each rule
    that tests it. Effects travel along rule references, flipping under each negation.
    """
    p = rs.presumptions[pid]
    start: dict[str, set[int]] = {}
    if p.rule is not None:
        # A presumed-absent carve-out raises its rule; a presumed-absent rule lowers itself.
        start[p.rule] = {-1 if pid == p.rule else 1}
    else:
        for rid, cr in rs.compiled.items():
            if cr.instrument.id != p.instrument:
                continue
            parts = [(cr.role, 1), (cr.when, 1)] + [(w, -1) for _, _, w in cr.carve_outs]
            for node, sign in (n for part, base in parts for n in _signed_nodes(part, base)):
                if isinstance(node, c.Leaf) and node.field == p.field:
                    truth = node.test(p.value)
                    if truth is not None:
                        start.setdefault(rid, set()).add(sign if truth else -sign)
    # The instrument's scope is conjoined into every rule, exceptions included, so raising it
    # raises a duty exactly as much as the duty's own exception: Y = S and w and not (S and e)
    # is S and w and not e. Those scope edges are left out; every other edge keeps its sign.
    users: dict[str, list[tuple[str, int]]] = {}
    for rid, cr in rs.compiled.items():
        parts = [(cr.role, 1), (cr.when, 1)] + [(cond, -1) for _, _, cond in cr.carve_outs]
        for part, base in parts:
            for node, sign in _signed_nodes(part, base):
                if isinstance(node, c.RuleRef):
                    users.setdefault(node.rule, []).append((rid, sign))
    seen: set[tuple[str, int]] = set()
    stack = [(rid, s) for rid, signs in start.items() for s in signs]
    while stack:
        rid, s = stack.pop()
        if (rid, s) in seen:
            continue
        seen.add((rid, s))
        stack += [(user, s * sign) for user, sign in users.get(rid, [])]
    own = p.rule if pid == p.rule else None
    return {rid for rid, s in seen if s < 0 and rid != own}


def lint_problems(rs: RuleSet) -> list[Problem]:
    """Everything `accord rules lint` checks beyond loading."""
    return coverage_problems(rs) + presumption_problems(rs)
