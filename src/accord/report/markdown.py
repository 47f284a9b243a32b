"""Markdown helpers shared by every Markdown renderer: one escaping rule, one link rule.

Text in Markdown may come from third-party rulebooks and from users' data, and Markdown is
often rendered to HTML, so data is escaped (no raw HTML, no broken tables) and only http(s)
links are ever made.
"""

from __future__ import annotations

import re

from accord.report.printable import printable

_SPECIAL = re.compile(r"([\\`*_\[\]|])")


def text(value: str) -> str:
    """Plain text safe in Markdown: HTML and Markdown syntax escaped, control characters
    shown as escapes, newlines folded."""
    value = printable(value)
    value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _SPECIAL.sub(r"\\\1", value).replace("\n", " ")


def link(label: str, url: str | None) -> str:
    """A link only for http(s) URLs; anything else (javascript:, data:) stays plain text."""
    if url and re.match(r"^https?://[^\s<>()]+$", url):
        return f"[{text(label)}]({url})"
    return text(label)


def cell(value: str) -> str:
    """A table cell made of Markdown the renderer composed (data already passed through
    `text` or `link`): pipes escaped and newlines folded so the table never breaks, and no raw
    HTML or control character gets through."""
    value = printable(value)
    value = value.replace("<", "&lt;").replace(">", "&gt;")
    return value.replace("|", "\\|").replace("\n", " ")


def row(values: list[str]) -> str:
    return "| " + " | ".join(cell(v) for v in values) + " |"


def table(header: list[str], rows: list[list[str]]) -> list[str]:
    return [row(header), "|" + "---|" * len(header), *(row(r) for r in rows)]
