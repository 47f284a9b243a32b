"""Shared Rich consoles, so every command prints the same way and errors go to stderr.

Both consoles show control characters in printed text as visible escapes: data (profile names,
category values, file names, third-party rulebook text) must never drive the terminal. Rich's
own styling and cursor control are separate segments and pass through untouched.
"""

from __future__ import annotations

from collections.abc import Iterable

from rich.console import Console
from rich.segment import Segment

from accord.report.printable import printable


class SafeConsole(Console):
    """A Rich console that escapes control characters in text, wherever the text came from."""

    def _render_buffer(self, buffer: Iterable[Segment]) -> str:
        return super()._render_buffer(
            seg if seg.control else Segment(printable(seg.text), seg.style) for seg in buffer
        )


out = SafeConsole(highlight=False, soft_wrap=False)
err = SafeConsole(stderr=True, highlight=False, soft_wrap=True)
