"""Run the test cases embedded in rules. Reusable for third-party rulebooks.

In a third-party project:

    from accord.rules.harness import pytest_params, check_case

    @pytest.mark.parametrize("case", pytest_params(["path/to/my-rulebooks"]))
    def test_rule_case(case):
        check_case(case)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from accord.errors import RulebookError
from accord.profile.loader import profile_from_dict
from accord.rules.model import TestCase
from accord.rules.ruleset import RuleSet

if TYPE_CHECKING:
    from accord.engine.evaluate import FactsByInstrument, RuleState


@dataclass(frozen=True)
class Case:
    rule_id: str
    index: int
    case: TestCase
    ruleset: RuleSet

    @property
    def id(self) -> str:
        return f"{self.rule_id}[{self.index}:{self.case.name}]"


@dataclass(frozen=True)
class CaseResult:
    case: Case
    passed: bool
    outcome: str
    status: str
    message: str


def collect(ruleset: RuleSet, only: Sequence[str] = ()) -> list[Case]:
    """Every test case of every rule (optionally only rules of the given instruments)."""
    out = []
    for rid, rule in ruleset.rules.items():
        if only and ruleset.instrument_of(rid).id not in only:
            continue
        out += [Case(rid, i, tc, ruleset) for i, tc in enumerate(rule.tests)]
    return out


def _as_of(case: Case) -> dt.date:
    return case.case.as_of or case.ruleset.instrument_of(case.rule_id).last_reviewed


def run_states(
    case: Case, flip: frozenset[str] = frozenset(), whole: bool = True
) -> tuple[dict[str, RuleState], FactsByInstrument]:
    """Evaluate a case's profile: every rule's state, and the facts each instrument read.

    `flip` takes the named presumptions the other way (see `evaluate_all`). With `whole`
    false only the rule under test and what it reads are evaluated, which is all a test needs
    and keeps a large rulebook's tests linear.
    """
    from accord.engine.evaluate import FactsByInstrument, evaluate_all
    from accord.profile.fields import facts

    rs = case.ruleset
    inst = rs.instrument_of(case.rule_id)
    merged = deep_merge(inst.test_base, case.case.profile)
    data = {"id": "rule-test", "name": case.case.name, **merged}
    try:
        profile = profile_from_dict(data, source=f"test {case.id}")
    except RulebookError:
        raise
    except Exception as exc:  # a broken test profile is a rulebook error, not a crash
        raise RulebookError(f"{case.id}: invalid test profile: {exc}") from None
    tc = case.case
    flat = facts(profile)
    as_of = _as_of(case)
    only = None if whole else rs.closure(case.rule_id)
    states = evaluate_all(
        rs, flat, as_of, scenarios=tc.scenarios, strict=tc.strict, flip=flip, only=only
    )
    needed = None if only is None else {inst.id}
    return states, FactsByInstrument(rs, flat, tc.strict, flip, needed, as_of)


def run(case: Case) -> CaseResult:
    tc = case.case
    as_of = _as_of(case)
    states, _ = run_states(case, whole=False)
    st = states[case.rule_id]
    outcome, status = st.outcome, st.status(as_of)
    assumed = sorted(st.assumed)
    ok = (
        outcome == tc.expect
        and (tc.status is None or status == tc.status)
        and (tc.assumes is None or assumed == sorted(tc.assumes))
    )
    msg = (
        ""
        if ok
        else (
            f"{case.id}: expected {tc.expect}"
            + (f"/{tc.status}" if tc.status else "")
            + (f" assuming {sorted(tc.assumes)}" if tc.assumes is not None else "")
            + f", got {outcome}/{status} (as of {as_of}"
            + (", strict" if tc.strict else "")
            + f"); unknowns: {sorted(st.unknowns) or 'none'}; assumed: {assumed or 'none'}"
        )
    )
    return CaseResult(case, ok, outcome, status, msg)


def deep_merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    """Override wins; nested mappings merge; an explicit None deletes the base value."""
    out = dict(base)
    for key, value in override.items():
        if value is None:
            out.pop(key, None)
        elif isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = deep_merge(out[key], value)
        else:
            out[key] = value
    return out


def pytest_params(extra_rulebooks: Sequence[str | Path] = ()) -> list:
    import pytest

    from accord.rules.loader import load_rules

    rs = load_rules(extra_rulebooks)
    return [pytest.param(c, id=c.id) for c in collect(rs)]


def check_case(case: Case) -> None:
    result = run(case)
    assert result.passed, result.message


def main(argv: Sequence[str] | None = None) -> int:
    """`python -m accord.rules.harness [INSTRUMENT ...]`: run rule tests, print failures."""
    import sys

    from accord.rules.loader import load_rules

    only = list(argv if argv is not None else sys.argv[1:])
    results = [run(c) for c in collect(load_rules(), only)]
    failed = [r for r in results if not r.passed]
    for r in failed:
        print("FAIL", r.message)
    print(f"{len(results) - len(failed)} passed, {len(failed)} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
