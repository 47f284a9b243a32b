"""Statistics from counts against scipy's implementations."""

from __future__ import annotations

import pytest
from scipy import stats

from accord.audit.metrics import (
    compare_proportions,
    impact_ratios,
    spread,
    two_proportion_z,
    wilson_interval,
)


@pytest.mark.parametrize(("k", "n"), [(0, 10), (3, 10), (10, 10), (667, 1390), (1, 1)])
def test_wilson_interval_matches_scipy(k: int, n: int) -> None:
    ci = stats.binomtest(k, n).proportion_ci(confidence_level=0.95, method="wilson")
    assert wilson_interval(k, n) == pytest.approx((ci.low, ci.high), abs=1e-12)


def test_wilson_interval_of_empty_group_is_undefined() -> None:
    assert wilson_interval(0, 0) is None


def test_z_test_matches_normal_tail() -> None:
    k1, n1, k2, n2 = 555, 1181, 667, 1390
    res = two_proportion_z(k1, n1, k2, n2)
    p = (k1 + k2) / (n1 + n2)
    z = (k1 / n1 - k2 / n2) / (p * (1 - p) * (1 / n1 + 1 / n2)) ** 0.5
    assert res.statistic == pytest.approx(z, abs=1e-12)
    assert res.p_value == pytest.approx(2 * stats.norm.sf(abs(z)), abs=1e-12)


def test_small_counts_use_fisher() -> None:
    res = compare_proportions(1, 8, 7, 9)
    assert res is not None and res.test == "Fisher's exact test"
    expected = stats.fisher_exact([[1, 7], [7, 2]]).pvalue
    assert res.p_value == pytest.approx(expected, abs=1e-12)
    large = compare_proportions(400, 1000, 500, 1000)
    assert large is not None and large.test == "two-proportion z-test"


def test_impact_ratios_ties_and_zero_rates() -> None:
    ratios, refs = impact_ratios({"a": 0.5, "b": 0.5, "c": 0.25, "d": None})
    assert ratios == {"a": 1.0, "b": 1.0, "c": 0.5, "d": None}
    assert refs == ["a", "b"]
    ratios, refs = impact_ratios({"a": 0.0, "b": 0.0})
    assert ratios == {"a": None, "b": None}


def test_spread_is_fairlearn_between_groups() -> None:
    assert spread({"a": 0.2, "b": 0.5, "c": None}) == pytest.approx((0.3, 0.4))
    assert spread({}) == (None, None)
