"""Typer application: wires sub-commands and maps errors to exit codes.

Exit codes: 0 ok, 1 findings, 2 usage or input error. Heavy modules are imported inside the
commands so that `accord --help` stays fast.
"""

from __future__ import annotations

import sys

import typer

from accord.cli import audit as audit_cli

app = typer.Typer(
    name="accord",
    help="AI regulation as code, across jurisdictions.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
app.add_typer(audit_cli.app, name="audit")


def main() -> None:
    """Entry point: run the app and turn Accord errors into a message and exit code 2."""
    from accord.errors import AccordError

    try:
        rv = app(standalone_mode=False)
        if isinstance(rv, int) and rv:
            sys.exit(rv)
    except AccordError as exc:
        from accord.cli.console import err

        from rich.markup import escape

        err.print(f"[bold red]error:[/] {escape(str(exc))}")
        sys.exit(exc.exit_code)
    except (typer.Abort, KeyboardInterrupt):
        from accord.cli.console import err

        err.print("aborted")
        sys.exit(130)
    except SystemExit:
        raise
    except Exception as exc:  # click usage errors arrive here in standalone_mode=False
        import click

        if isinstance(exc, click.exceptions.ClickException):
            exc.show()
            sys.exit(2)
        raise
