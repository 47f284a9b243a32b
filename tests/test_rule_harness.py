"""Every rule's own test cases, run through the reusable harness, plus rulebook lint."""

from __future__ import annotations

from pathlib import Path

import pytest

from accord.rules.harness import check_case, collect, pytest_params, run
from accord.rules.lint import lint_problems
from accord.rules.loader import load_rules

MINI = Path(__file__).parent / "data" / "rulebooks" / "mini-act"


@pytest.mark.parametrize("case", pytest_params())
def test_rule_case(case):
    check_case(case)


def test_every_rule_is_tested_both_ways_and_documented():
    problems = lint_problems(load_rules())
    assert not problems, "\n".join(str(p) for p in problems)


def test_harness_runs_third_party_rulebooks():
    rs = load_rules([MINI])
    cases = collect(rs, ["mini-act"])
    assert len(cases) == 7
    assert all(run(c).passed for c in cases)


def test_harness_reports_a_wrong_expectation():
    rs = load_rules([MINI])
    case = next(c for c in collect(rs, ["mini-act"]) if c.case.name == "obvious")
    wrong = type(case)(
        case.rule_id, case.index, case.case.model_copy(update={"expect": "applies"}), rs
    )
    result = run(wrong)
    assert not result.passed
    assert "expected applies, got does_not_apply" in result.message


def test_every_eu_rule_cites_the_official_journal():
    rs = load_rules()
    for rid, rule in rs.rules.items():
        if rid.startswith("eu-ai-act."):
            assert rule.citation.url and "eur-lex.europa.eu" in rule.citation.url, rid
