"""Typer application: wires sub-commands and maps errors to exit codes.

Exit codes: 0 ok, 1 findings, 2 usage or input error. Heavy modules are imported inside the
commands so that `accord --help` stays fast.
"""

from __future__ import annotations

import sys

import typer

from accord.cli import audit as audit_cli
from accord.cli import rules as rules_cli
from accord.cli.assess import assess_command
from accord.cli.init import init_command
from accord.cli.reference import schema_command, vocab_command
from accord.cli.world import compare_command, landscape_command

app = typer.Typer(
    name="accord",
    help="AI regulation as code, across jurisdictions.",
    no_args_is_help=True,
    invoke_without_command=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
app.command("assess")(assess_command)
app.command("init")(init_command)
app.add_typer(rules_cli.app, name="rules")
app.add_typer(audit_cli.app, name="audit")
app.command("schema")(schema_command)
app.command("vocab")(vocab_command)
app.command("compare")(compare_command)
app.command("landscape")(landscape_command)


@app.callback()
def _root(
    version: bool = typer.Option(False, "--version", help="Print the version and exit."),
) -> None:
    """AI regulation as code, across jurisdictions."""
    if version:
        from accord import __version__

        print(f"accord {__version__}")
        raise typer.Exit(0)


def main() -> None:
    """Entry point: run the app and turn Accord errors into a message and exit code 2.

    Typer handles usage errors itself (exit 2); everything Accord raises on purpose derives
    from AccordError and is printed here without a traceback.
    """
    from accord.errors import AccordError

    try:
        app()
    except AccordError as exc:
        from rich.markup import escape

        from accord.cli.console import err

        err.print(f"[bold red]error:[/] {escape(str(exc))}")
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        from accord.cli.console import err

        err.print("aborted")
        sys.exit(130)
