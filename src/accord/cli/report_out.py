"""Where a report goes: standard output, or a file written atomically with `-o`."""

from __future__ import annotations

import io
import sys
from collections.abc import Callable
from pathlib import Path

from rich.console import Console


def check_output(output: Path | None, inputs: list[Path]) -> None:
    """Fail before any work if the report could not be written there."""
    from accord.files import check_writable

    if output is not None:
        check_writable(output, force=True, inputs=inputs, what="report")


def deliver(
    render: Callable[[Console], str | None], output: Path | None, inputs: list[Path]
) -> None:
    """Run `render` (which prints to the console it gets, or returns text) and put the result
    on stdout or in `output`. The output file is checked before anything is rendered."""
    from accord.cli.console import SafeConsole, out
    from accord.files import write_atomic

    if output is None:
        text = render(out)
        if text is not None:
            sys.stdout.write(text if text.endswith("\n") else text + "\n")
        return
    check_output(output, inputs)
    buffer = io.StringIO()
    console = SafeConsole(file=buffer, width=100, color_system=None, highlight=False)
    text = render(console)
    body = buffer.getvalue() if text is None else text
    write_atomic(output, body if body.endswith("\n") else body + "\n")
