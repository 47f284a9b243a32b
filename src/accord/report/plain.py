"""Plain wrapped lines for the terminal renderers that lay text out themselves.

Rich re-wraps long lines where it likes; these renderers wrap first (to the console width, at
most 80 columns in tests) and print each line as is, so indentation and flags stay intact.
"""

from __future__ import annotations

import textwrap

from rich.console import Console
from rich.text import Text

_NB = "\u00a0"  # textwrap never breaks at a no-break space


def wrap(
    text: str, width: int, indent: str = "", hang: str = "", keep: tuple[str, ...] = ()
) -> list[str]:
    """Wrap `text`; phrases in `keep` (e.g. a review flag) are never split across lines."""
    for phrase in keep:
        text = text.replace(phrase, phrase.replace(" ", _NB))
    lines = textwrap.wrap(
        text, width, initial_indent=indent, subsequent_indent=hang, break_on_hyphens=False
    )
    return [line.replace(_NB, " ") for line in lines] or [""]


class PlainOut:
    """Prints plain lines no wider than the console, so nothing is cut or re-wrapped."""

    def __init__(self, console: Console, highlight: tuple[str, ...] = ()) -> None:
        self.console = console
        self.width = max(40, console.width)
        self.highlight = highlight

    def line(self, text: str | Text = "") -> None:
        self.console.print(text, markup=False, highlight=False, soft_wrap=True)

    def para(self, text: str, indent: str = "", hang: str = "    ", style: str = "") -> None:
        for part in wrap(text, self.width, indent, indent + hang, self.highlight):
            styled = Text(part, style=style)
            for phrase in self.highlight:
                if phrase in part:
                    styled.highlight_words([phrase], style="magenta")
            self.line(styled)

    def heading(self, text: str) -> None:
        self.line()
        self.line(Text(text, style="bold"))
