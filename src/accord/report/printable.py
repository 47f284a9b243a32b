"""Text that is safe to print: data never drives the terminal.

Profile names, data category values, file names and third-party rulebook text can hold escape
sequences that would recolour, move the cursor or rewrite a terminal's title. Every text output
shows such characters as visible `\\xNN` escapes instead of sending them.
"""

from __future__ import annotations

import re

CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
"""C0 and C1 control characters other than tab and newline, and the bidirectional marks and
overrides that can make text read differently from what it is."""


def printable(value: str) -> str:
    """`value` with every control character except tab and newline shown as an escape."""
    return CONTROL.sub(_escape, value)


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
