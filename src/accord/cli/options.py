"""Option parsing shared by commands, with user-facing errors instead of tracebacks."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

from accord.choices import check_names, choose  # noqa: F401  (re-exported for commands)
from accord.errors import InputError

if TYPE_CHECKING:
    from accord.profile.model import Profile
    from accord.rules.ruleset import RuleSet


class Format(StrEnum):
    text = "text"
    json = "json"
    markdown = "markdown"


def parse_date(value: str | None, option: str = "--as-of") -> dt.date:
    if value is None:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise InputError(
            f"{option}: {value!r} is not a date; use YYYY-MM-DD, e.g. 2026-11-27"
        ) from None


def parse_jurisdictions(values: list[str] | None) -> list[str]:
    from accord import vocabulary

    out = []
    for v in values or []:
        for part in v.split(","):
            if not part.strip():
                continue
            canon = vocabulary.canonical_jurisdiction(part)
            if canon is None:
                raise InputError(
                    f"unknown jurisdiction {part!r}; e.g. EU, US-NY-NYC, KR "
                    "(see `accord vocab jurisdictions`)"
                )
            out.append(canon)
    return out


def load_checked_rules(extra: list[Path] | None, quiet: bool = False) -> RuleSet:
    """Built-in and extra rulebooks. Extra ones that `accord rules lint` would reject are
    used, but with a warning naming the problems: their answers need review."""
    from accord.cli.console import err
    from accord.rules.lint import lint_problems
    from accord.rules.loader import builtin_rulebook_root, load_rules

    rs = load_rules(extra or [])
    builtin = builtin_rulebook_root()
    third_party = sorted(b.instrument.id for b in rs.books if b.folder.parent != builtin)
    if third_party and not quiet:
        problems = lint_problems(rs, third_party)
        if problems:
            err.print(
                f"warning: {len(problems)} lint problem(s) in rulebooks "
                f"{', '.join(third_party)}; results from them need review "
                "(run `accord rules lint` for all of them), e.g.:",
                markup=False,
            )
            for p in problems[:3]:
                err.print(f"  {p}", markup=False)
    return rs


def load_profile_with_evidence(path: Path, quiet: bool = False) -> Profile:
    """The profile, with control dates read from audit-result evidence files next to it;
    problems with evidence are warnings on stderr (the assessment still runs)."""
    from accord.cli.console import err
    from accord.profile import load_profile
    from accord.profile.evidence import apply_evidence

    profile, warnings = apply_evidence(load_profile(path), Path(path).parent)
    for w in [] if quiet else warnings:
        err.print(f"warning: {w}", markup=False)
    return profile
