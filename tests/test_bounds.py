"""Numbers known only as a bound ("more than 10^23 FLOP") settle what the bound settles."""

from __future__ import annotations

import datetime as dt

import pytest

from accord.errors import ProfileError
from accord.profile import profile_from_dict
from accord.profile.bounds import Bound, parse
from accord.rules import conditions as c


@pytest.mark.parametrize(
    ("text", "op", "value", "expected"),
    [
        ("> 1e23", "gt", 1e23, True),
        ("> 1e23", "gt", 1e25, None),
        ("> 1e23", "lte", 1e23, False),
        (">= 1e23", "gt", 1e23, None),
        (">= 1e23", "gte", 1e23, True),
        ("< 1e24", "gte", 1e24, False),
        ("< 1e24", "gt", 1e23, None),
        ("<= 1e24", "gte", 1e24, None),
        ("<= 1e24", "gt", 1e24, False),
        ("1e23..1e24", "gt", 1e25, False),
        ("1e23..1e24", "gte", 1e23, True),
        ("1e23..1e24", "gt", 5e23, None),
    ],
)
def test_bound_settles_exactly_what_it_can(text, op, value, expected):
    assert parse(text).compare(op, value) is expected


def test_number_forms():
    assert parse("3x10^23") == pytest.approx(3e23)
    assert parse("10^25") == pytest.approx(1e25)
    assert parse(5) == 5.0
    assert parse("> 3*10^24") == Bound(low=3e24)


@pytest.mark.parametrize("bad", ["lots", "> lots", "1e24..1e23", "-5", True, "< -1"])
def test_bad_bounds_are_refused(bad):
    with pytest.raises(ValueError):
        parse(bad)


def test_profile_keeps_the_bound_and_writes_it_back_as_text():
    data = {"id": "m", "name": "M", "technique": {"training_compute_flop": "> 1e25"}}
    p = profile_from_dict(data)
    assert isinstance(p.technique.training_compute_flop, Bound)
    assert p.model_dump(mode="json")["technique"]["training_compute_flop"] == "> 1e+25"
    with pytest.raises(ProfileError):
        profile_from_dict({"id": "m", "name": "M", "technique": {"training_compute_flop": "big"}})


def test_conditions_read_bounds_three_ways():
    leaf = c.Leaf("technique.training_compute_flop", "gt", 1e25)
    assert leaf.test(Bound(low=2e25)) is True
    assert leaf.test(Bound(high=1e24)) is False
    assert leaf.test(Bound(low=1e24)) is None
    # A bound never compares with a date: ordering tests on dates still need a date.
    assert c.Leaf("lifecycle.placed_on_market", "lt", dt.date(2026, 8, 2)).test(None) is None
