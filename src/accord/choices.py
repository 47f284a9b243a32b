"""Names users type (frameworks, scenarios, kinds, instruments, controls) must exist.

A typo that is silently ignored gives a confident wrong answer, so every name is checked
against what exists, with a "did you mean" when one is close.
"""

from __future__ import annotations

from collections.abc import Iterable

from accord.errors import InputError


def choose(value: str, known: Iterable[str], what: str, listing: str | None = None) -> str:
    """`value` if it is one of `known`, else an input error with a "did you mean" and the list."""
    return check_names([value], known, what, listing)[0]


def check_names(
    values: Iterable[str], known: Iterable[str], what: str, listing: str | None = None
) -> list[str]:
    """Every value must be one of `known`; typos get a suggestion instead of being ignored."""
    import difflib

    names = sorted(set(known))
    out = []
    for v in values:
        if v not in names:
            close = difflib.get_close_matches(v, names, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            where = f"see `{listing}`" if listing else "known: " + ", ".join(names)
            raise InputError(f"unknown {what} {v!r}{hint} ({where})")
        out.append(v)
    return out
