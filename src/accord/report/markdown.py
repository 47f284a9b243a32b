"""Markdown table helpers shared by every Markdown renderer (one escaping rule for pipes)."""

from __future__ import annotations


def cell(text: str) -> str:
    """Table-cell text: pipes escaped, newlines folded, so a table never breaks."""
    return text.replace("|", "\\|").replace("\n", " ")


def row(values: list[str]) -> str:
    return "| " + " | ".join(cell(v) for v in values) + " |"


def table(header: list[str], rows: list[list[str]]) -> list[str]:
    return [row(header), "|" + "---|" * len(header), *(row(r) for r in rows)]
