"""Statements in one assessment that cannot all be true.

An assessment is read as a set of statements (this duty applies from then, that law is out of
scope, the verdict says...). These checks find pairs that contradict each other, so a rulebook
change or an engine change that makes the output say two incompatible things fails the tests
(run over every example and a few hundred random profiles).
"""

from __future__ import annotations

from accord.engine.assess import class_depth
from accord.engine.result import Assessment, Finding
from accord.engine.verdict import verdict_line
from accord.rules import conditions as c
from accord.rules.ruleset import RuleSet


def contradictions(a: Assessment, ruleset: RuleSet) -> list[str]:
    out: list[str] = []
    by_id = {f.rule_id: f for f in a.findings()}
    for inst, line in zip(a.instruments, a.verdict, strict=True):
        again = verdict_line(inst, a.assumptions, class_depth(ruleset))
        if again.model_dump(exclude={"text"}) != line.model_dump(exclude={"text"}):
            out.append(f"{inst.id}: the verdict line disagrees with the findings below it")
        findings = inst.classifications + inst.prohibitions + inst.obligations
        if inst.in_scope == "does_not_apply":
            for f in findings:
                if f.outcome != "does_not_apply":
                    out.append(f"{f.rule_id} {f.outcome} although {inst.id} is out of scope")
    for f in by_id.values():
        out += _against_requirements(f, by_id, ruleset)
        if f.gap and f.controls_in_place:
            out.append(f"{f.rule_id}: a control gap with a control in place")
        if f.controls_in_place and f.outcome == "does_not_apply":
            out.append(f"{f.rule_id}: controls counted for a rule that does not apply")
    return out


def _against_requirements(f: Finding, by_id: dict[str, Finding], rs: RuleSet) -> list[str]:
    """A finding against the rules its condition requires (top-level `all` items that are rule
    references): it cannot apply while one of them does not, nor apply now while the
    requirement only applies later."""
    cr = rs.compiled.get(f.rule_id)
    if cr is None or f.outcome == "does_not_apply":
        return []
    required = [cr.when] if not isinstance(cr.when, c.All) else list(cr.when.items)
    out = []
    for part in required:
        if not isinstance(part, c.RuleRef) or part.rule not in by_id:
            continue
        need = by_id[part.rule]
        if need.outcome == "does_not_apply":
            out.append(
                f"{f.rule_id} {f.outcome} although {need.rule_id}, which it requires, "
                "does not apply"
            )
        elif (
            f.outcome == "applies"
            and need.outcome == "applies"
            and f.status == "applicable"
            and need.status == "upcoming"
            and not part.applying
        ):
            out.append(
                f"{f.rule_id} applies now although {need.rule_id}, which it requires, applies "
                f"only from {need.applies_from}"
            )
    return out
