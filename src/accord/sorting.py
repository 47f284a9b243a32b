"""Natural order for rule ids and citations: Art 26(2) before Art 26(11), Art 8 before Art 73."""

from __future__ import annotations

import re

_PARTS = re.compile(r"(\d+)")


def natural_key(text: str) -> tuple[tuple[int, int | str], ...]:
    """A sort key that compares runs of digits as numbers and the rest as text."""
    return tuple(
        (0, int(part)) if part.isdigit() else (1, part.lower())
        for part in _PARTS.split(text)
        if part
    )
