"""Cross-jurisdiction comparison of one system: the theme × jurisdiction matrix.

`compare_profile` is the one entry point front ends call: it checks the requested markets
against the profile, runs the engine once, and regroups the result (see `compare.matrix`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from accord.compare.matrix import CORE_THEMES, Cell, Comparison, compare
from accord.errors import InputError

__all__ = ["CORE_THEMES", "Cell", "Comparison", "compare", "compare_profile"]


def compare_profile(
    profile,
    as_of: dt.date,
    *,
    markets: Sequence[str] = (),
    scenarios: Sequence[str] = (),
    frameworks: Sequence[str] = (),
    ruleset=None,
) -> Comparison:
    """Assess `profile` once and build its matrix, restricted to `markets` if given.

    Restricting to a market the profile does not declare would compare laws the engine has
    already ruled out of scope, so it is an input error rather than a silently empty column.
    """
    from accord import vocabulary
    from accord.engine import assess

    declared = [vocabulary.canonical_jurisdiction(m) or m for m in (profile.markets or [])]
    chosen = list(markets) or declared
    if markets and declared:
        stray = [
            m
            for m in markets
            if not any(vocabulary.within(m, d) or vocabulary.within(d, m) for d in declared)
        ]
        if stray:
            raise InputError(
                f"--markets {', '.join(stray)}: not among the profile's markets "
                f"({', '.join(declared)}); add it to `markets:` in the profile to compare it"
            )
    assessment = assess(
        profile, as_of, scenarios=scenarios, opt_in=frameworks, ruleset=ruleset, explain=False
    )
    return compare(assessment, chosen, frameworks)
