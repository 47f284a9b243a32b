"""No two statements in one assessment may contradict each other (issue 9).

Runs the checks in `accord.engine.consistency` over every bundled example on several dates and
over random profiles covering every field, and shows that the checks do catch contradictions.
"""

from __future__ import annotations

import datetime as dt
import sys

import pytest

from tests.conftest import EXAMPLES, ROOT

DATES = [dt.date(2025, 6, 1), dt.date(2026, 11, 29), dt.date(2028, 1, 1), dt.date(2031, 1, 1)]


@pytest.mark.parametrize("name", sorted(p.stem for p in EXAMPLES.glob("*.yaml")))
def test_examples_never_contradict_themselves(name, ruleset):
    from accord.engine import assess
    from accord.engine.consistency import contradictions
    from accord.profile import load_profile

    profile = load_profile(EXAMPLES / f"{name}.yaml")
    for day in DATES:
        a = assess(profile, day, ruleset=ruleset, explain=False)
        assert contradictions(a, ruleset) == [], day


def test_random_profiles_never_contradict_themselves(ruleset):
    sys.path.insert(0, str(ROOT / "bench"))
    from engine_bench import generate_profiles

    from accord.engine import assess
    from accord.engine.consistency import contradictions

    problems = []
    for i, profile in enumerate(generate_profiles(150, seed=29)):
        a = assess(profile, DATES[i % len(DATES)], ruleset=ruleset, explain=False)
        problems += [f"{profile.id}: {x}" for x in contradictions(a, ruleset)]
    assert problems == []


def test_the_checks_catch_a_contradiction(ruleset):
    """Tampering with a result must be caught: the checks are not vacuous."""
    from accord.engine import assess
    from accord.engine.consistency import contradictions
    from accord.profile import load_profile

    a = assess(load_profile(EXAMPLES / "cv-screener.yaml"), "2026-11-29", ruleset=ruleset)
    assert contradictions(a, ruleset) == []
    eu = next(i for i in a.instruments if i.id == "eu-ai-act")
    eu.in_scope = "does_not_apply"
    found = contradictions(a, ruleset)
    assert any("out of scope" in x for x in found)
    assert any("verdict line disagrees" in x for x in found)
    b = assess(load_profile(EXAMPLES / "cv-screener.yaml"), "2026-11-29", ruleset=ruleset)
    listed = next(f for f in b.findings() if f.rule_id == "eu-ai-act.annex-iii.listed")
    listed.outcome = "does_not_apply"
    assert any("which it requires, does not apply" in x for x in contradictions(b, ruleset))
