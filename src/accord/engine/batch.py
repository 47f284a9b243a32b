"""Many profiles at once: the entry point `check`, `gaps` and `portfolio` share.

Kept separate from `assess` so that parallelism and caching (issue 11, item 6) live in one
place and every multi-system command gets them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from accord.engine.result import Assessment
from accord.profile.model import Profile
from accord.rules.ruleset import RuleSet


def assess_many(
    profiles: Sequence[Profile],
    as_of: dt.date,
    *,
    ruleset: RuleSet | None = None,
    jurisdictions: Sequence[str] = (),
    explain: bool = False,
) -> list[Assessment]:
    """One assessment per profile, in order."""
    from accord.engine.assess import assess
    from accord.rules.loader import load_rules

    rs = ruleset or load_rules()
    return [
        assess(p, as_of, ruleset=rs, jurisdictions=jurisdictions, explain=explain)
        for p in profiles
    ]
