"""Small helpers shared by the CLI tests: write an input file, check an input error."""

from __future__ import annotations

from pathlib import Path


def write(path: Path, text: str) -> str:
    """Write `text` to `path` (creating folders) and return the path as the CLI takes it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return str(path)


def input_error(result, *needles: str) -> str:
    """The run ended with exit 2, no traceback, and a message holding every needle."""
    text = result.stderr + result.stdout
    assert result.exit_code == 2, (result.exit_code, text)
    assert "Traceback" not in text
    for needle in needles:
        assert needle.lower() in text.lower(), (needle, text)
    return text
