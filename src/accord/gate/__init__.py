"""The CI gate behind `accord check`: policies over many systems' assessments, and the
outputs CI systems read (text, JSON, SARIF 2.1.0, JUnit XML).

Kept apart from the CLI so a web front end or a script can run the same gate on a list of
`accord.inventory.System` from any store.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from accord.gate.policy import (
    DEFAULT_POLICIES,
    DESCRIPTIONS,
    GateResult,
    Policy,
    SystemResult,
    Violation,
    evaluate,
    parse_policies,
)
from accord.gcpause import paused_gc
from accord.inventory.model import System
from accord.rules.ruleset import RuleSet

__all__ = [
    "DEFAULT_POLICIES",
    "DESCRIPTIONS",
    "GateResult",
    "Policy",
    "SystemResult",
    "Violation",
    "check",
    "evaluate",
    "parse_policies",
]


def check(
    systems: Sequence[System],
    policies: list[Policy],
    as_of: dt.date,
    *,
    ruleset: RuleSet | None = None,
    jurisdictions: Sequence[str] = (),
    locate: bool = True,
    cache: bool = False,
) -> GateResult:
    """Assess every system (through `assess_many`, so batching and caching apply) and apply
    the policies; with `locate`, each violation of a file-based system gets the line of the
    fact behind it (files are re-read only when they have a violation)."""
    from accord.engine.batch import assess_many
    from accord.rules.loader import load_rules

    rs = ruleset or load_rules()
    # Lean results keep every finding that applies or may apply: all the policies read.
    assessments = assess_many(
        [s.profile for s in systems],
        as_of,
        ruleset=rs,
        jurisdictions=jurisdictions,
        lean=True,
        cache=cache,
    )
    with paused_gc():
        result = evaluate(list(systems), assessments, policies, as_of)
        if locate:
            from accord.gate.locate import Locator

            locator = Locator(rs)
            for v in result.violations:
                v.location = locator(v.system, v.finding)
    return result
