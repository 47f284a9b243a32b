"""Three-valued (Kleene) evaluation of structured conditions."""

from __future__ import annotations

import itertools

import pytest

from accord.rules import conditions as c


def leaf(name: str) -> c.Leaf:
    return c.Leaf(name, "is", True)


VALUES = [True, False, None]


def facts_for(a, b):
    return {k: v for k, v in (("a", a), ("b", b)) if v is not None}


def kleene_and(a, b):
    if a is False or b is False:
        return False
    if a is None or b is None:
        return None
    return True


def kleene_or(a, b):
    if a is True or b is True:
        return True
    if a is None or b is None:
        return None
    return False


@pytest.mark.parametrize(("a", "b"), list(itertools.product(VALUES, VALUES)))
def test_all_any_not_follow_kleene_truth_tables(a, b):
    f = facts_for(a, b)
    no_rules = lambda rid: c.Evaluation(None)  # noqa: E731
    assert c.evaluate(c.All((leaf("a"), leaf("b"))), f, no_rules).value is kleene_and(a, b)
    assert c.evaluate(c.Any_((leaf("a"), leaf("b"))), f, no_rules).value is kleene_or(a, b)
    expected_not = None if a is None else (not a)
    assert c.evaluate(c.Not(leaf("a")), f, no_rules).value is expected_not


def test_unknowns_are_only_those_that_could_change_the_result():
    cond = c.All((leaf("a"), leaf("b")))
    ev = c.evaluate(cond, {"a": False}, lambda r: c.Evaluation(None))
    assert ev.value is False and ev.unknowns == frozenset()
    ev = c.evaluate(cond, {"a": True}, lambda r: c.Evaluation(None))
    assert ev.value is None and ev.unknowns == {"b"}


def test_matches_uses_whole_taxonomy_segments():
    cond = c.parse({"field": "uses", "matches": "employment.recruitment"})
    ok = c.evaluate(cond, {"uses": ["employment.recruitment.screening"]}, lambda r: None)
    assert ok.value is True
    no = c.evaluate(cond, {"uses": ["employment.management"]}, lambda r: None)
    assert no.value is False


def test_within_follows_jurisdiction_parents():
    cond = c.parse({"field": "markets", "within": "EU"})
    assert c.evaluate(cond, {"markets": ["DE"]}, lambda r: None).value is True
    assert c.evaluate(cond, {"markets": ["US-NY-NYC"]}, lambda r: None).value is False
    nyc = c.parse({"field": "markets", "within": "US"})
    assert c.evaluate(nyc, {"markets": ["US-NY-NYC"]}, lambda r: None).value is True


@pytest.mark.parametrize(
    "bad",
    [
        {"field": "a"},
        {"field": "a", "is": 1, "in": [1]},
        {"all": []},
        {"any": "x"},
        {"rule": 3},
        {"field": "a", "gt": "many"},
        {"whatever": 1},
        "text",
    ],
)
def test_malformed_conditions_are_rejected(bad):
    with pytest.raises(c.ConditionSyntaxError):
        c.parse(bad)


def test_to_data_round_trips():
    data = {
        "all": [
            {"field": "uses", "matches": "credit"},
            {"not": {"rule": "x.y"}},
            {"any": [{"field": "a", "in": [1, 2]}, {"field": "b", "gte": 3.0}]},
        ]
    }
    assert c.to_data(c.parse(data)) == data


def test_only_needs_every_item_under_a_prefix():
    cond = c.parse({"field": "uses", "only": ["employment", "credit"]})
    assert cond.test(["employment.recruitment.screening", "credit.creditworthiness"]) is True
    assert cond.test(["employment.recruitment.screening", "marketing"]) is False
    assert cond.test(None) is None
    choice = c.parse({"field": "decisions.stage", "only": ["preparatory", "after_decision_review"]})
    assert choice.test(["preparatory"]) is True
    assert choice.test(["preparatory", "screening"]) is False


def test_presume_takes_its_default_only_while_unknown_and_unguarded():
    inner = c.Leaf("x", "is", True)
    guard = c.Leaf("g", "is", True)
    node = c.Presume(inner, False, "p", guard)
    presumed = c.evaluate(node, {}, lambda r: c.Evaluation(None))
    assert (presumed.value, presumed.assumed) == (False, frozenset({"p"}))
    assert c.evaluate(node, {"x": True}, lambda r: c.Evaluation(None)).value is True
    assert c.evaluate(node, {"g": True}, lambda r: c.Evaluation(None)).value is None
    assert c.evaluate(node, {}, lambda r: c.Evaluation(None), c.STRICT).value is None
    flipped = c.Mode(flipped=frozenset({"p"}))
    assert c.evaluate(node, {}, lambda r: c.Evaluation(None), flipped).value is True
