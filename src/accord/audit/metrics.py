"""Statistics from counts: rates, impact ratios, Wilson intervals, two-proportion tests.

Pure functions of integers, so they are easy to check against textbooks and other libraries,
and they cost nothing next to the query that produced the counts. `None` means "undefined"
(e.g. a rate of an empty category) and is never silently turned into 0.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

#: z for a two-sided 95% interval (scipy.stats.norm.ppf(0.975)).
Z95 = 1.959963984540054

#: Below this expected count in any cell of the 2x2 table, the normal approximation is
#: unreliable and Fisher's exact test is used instead (the usual Cochran rule).
MIN_EXPECTED = 5.0


def rate(k: int, n: int) -> float | None:
    """k out of n, or None when n is 0."""
    return k / n if n else None


def impact_ratios(
    rates: Mapping[str, float | None], eligible: set[str] | None = None
) -> tuple[dict[str, float | None], list[str]]:
    """Each rate divided by the highest eligible rate, and the categories holding that rate.

    LL144 compares every category with the most selected (or highest scoring) one. Categories
    not in `eligible` (excluded under the 2% rule) neither serve as the reference nor get a ratio.
    If the highest rate is 0, no ratio is defined.
    """
    pool = {c: r for c, r in rates.items() if r is not None and (eligible is None or c in eligible)}
    if not pool:
        return dict.fromkeys(rates), []
    best = max(pool.values())
    refs = [c for c, r in pool.items() if r == best]
    if best == 0:
        return dict.fromkeys(rates), refs
    return {c: (pool[c] / best if c in pool else None) for c in rates}, refs


def wilson_interval(k: int, n: int, z: float = Z95) -> tuple[float, float] | None:
    """Wilson score interval for a proportion; stays inside [0, 1] even for tiny groups."""
    if n == 0:
        return None
    p = k / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return max(0.0, centre - half), min(1.0, centre + half)


@dataclass(frozen=True)
class TestResult:
    """A two-sided test that two proportions are equal."""

    test: Literal["two-proportion z-test", "Fisher's exact test"]
    statistic: float | None
    p_value: float


def two_proportion_z(k1: int, n1: int, k2: int, n2: int) -> TestResult:
    """Pooled two-proportion z-test, two-sided; p from the normal tail via erfc (no scipy)."""
    pooled = (k1 + k2) / (n1 + n2)
    se = math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    if se == 0:
        return TestResult("two-proportion z-test", None, 1.0)
    z = (k1 / n1 - k2 / n2) / se
    return TestResult("two-proportion z-test", z, math.erfc(abs(z) / math.sqrt(2)))


def fisher_exact(k1: int, n1: int, k2: int, n2: int) -> TestResult:
    """Fisher's exact test, two-sided, via scipy (imported only when a group is small)."""
    from scipy.stats import fisher_exact as _fisher

    res = _fisher([[k1, n1 - k1], [k2, n2 - k2]], alternative="two-sided")
    odds = float(res.statistic)
    return TestResult(
        "Fisher's exact test", odds if math.isfinite(odds) else None, float(res.pvalue)
    )


def compare_proportions(k1: int, n1: int, k2: int, n2: int) -> TestResult | None:
    """Test group 1 against group 2, choosing Fisher when any expected count is below 5."""
    if n1 == 0 or n2 == 0:
        return None
    total = n1 + n2
    yes = k1 + k2
    no = total - yes
    expected = [n1 * yes / total, n1 * no / total, n2 * yes / total, n2 * no / total]
    if min(expected) < MIN_EXPECTED:
        return fisher_exact(k1, n1, k2, n2)
    return two_proportion_z(k1, n1, k2, n2)


def spread(values: Mapping[str, float | None]) -> tuple[float | None, float | None]:
    """(max - min, min / max) over the defined values: fairlearn's between-groups aggregates."""
    defined = [v for v in values.values() if v is not None]
    if not defined:
        return None, None
    hi, lo = max(defined), min(defined)
    return hi - lo, (lo / hi if hi else None)
