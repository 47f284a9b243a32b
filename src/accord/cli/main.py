"""Typer application: wires sub-commands and maps errors to exit codes.

Exit codes: 0 ok, 1 findings, 2 usage or input error. Heavy modules are imported inside the
commands so that `accord --help` stays fast.
"""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from accord.cli import audit as audit_cli
from accord.cli import helptext
from accord.cli import portfolio as portfolio_cli
from accord.cli import registry as registry_cli
from accord.cli import rules as rules_cli
from accord.cli.assess import assess_command
from accord.cli.changes import changes_command
from accord.cli.check import check_command
from accord.cli.diff import diff_command
from accord.cli.gaps import gaps_command
from accord.cli.init import init_command
from accord.cli.reference import schema_command, vocab_command
from accord.cli.serve import serve_command
from accord.cli.world import compare_command, landscape_command

helptext.install()

app = typer.Typer(
    name="accord",
    help="AI regulation as code, across jurisdictions.",
    no_args_is_help=True,
    invoke_without_command=True,
    pretty_exceptions_enable=False,
    add_completion=True,
)
app.command("assess")(assess_command)
app.command("init")(init_command)
app.add_typer(rules_cli.app, name="rules")
app.add_typer(audit_cli.app, name="audit")
app.command("schema")(schema_command)
app.command("vocab")(vocab_command)
app.command("compare")(compare_command)
app.command("landscape")(landscape_command)
app.command("changes")(changes_command)
app.add_typer(registry_cli.app, name="registry")
app.command("history")(registry_cli.history_command)
app.add_typer(registry_cli.evidence_app, name="evidence")
app.add_typer(registry_cli.log_app, name="log")
app.command("check")(check_command)
app.command("gaps")(gaps_command)
app.command("diff")(diff_command)
app.add_typer(portfolio_cli.app, name="portfolio")
app.command("serve")(serve_command)


@app.callback()
def _root(
    ctx: typer.Context,
    version: bool = typer.Option(False, "--version", help="Print the version and exit."),
    config: Path = typer.Option(
        None,
        "--config",
        metavar="FILE",
        help="Defaults from this accord.toml (default: the nearest accord.toml, or "
        "[tool.accord] in pyproject.toml, upwards from the working directory).",
    ),
) -> None:
    """AI regulation as code, across jurisdictions."""
    if version:
        from accord import __version__

        print(f"accord {__version__}")
        raise typer.Exit(0)
    from accord.config import default_map, find_config, load_config

    path = config or find_config(Path.cwd())
    if path is not None:
        ctx.default_map = default_map(load_config(path))


def main() -> None:
    """Entry point: run the app and turn every way it can end into a message and an exit code.

    0 ok, 1 findings, 2 usage or input error (Accord's own errors; Typer reports usage errors
    itself), 130 interrupted (Ctrl-C: nothing is written, since outputs are written only at the
    end and atomically). No traceback reaches the user for any of these.
    """
    import signal

    from accord.errors import AccordError

    if hasattr(signal, "SIGPIPE"):  # `accord ... | head`: end quietly when the reader leaves
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    code: int | str | None = 0
    try:
        app()
    except SystemExit as exc:  # Typer ends every run this way, Ctrl-C included (code 130)
        code = exc.code
        if code == 130:
            _error("interrupted; nothing was written")
    except AccordError as exc:
        _error(str(exc))
        code = exc.exit_code
    except KeyboardInterrupt:
        _error("interrupted; nothing was written")
        code = 130
    except OSError as exc:  # e.g. stdout on a full disk
        _silence_stdout()
        _error(f"cannot write the output: {exc.strerror or exc}")
        code = 2
    try:
        sys.stdout.flush()
    except OSError as exc:  # the last buffered output could not be written either
        _silence_stdout()
        _error(f"cannot write the output: {exc.strerror or exc}")
        code = 2
    sys.exit(code)


def _error(message: str) -> None:
    from rich.markup import escape

    from accord.cli.console import err

    err.print(f"[bold red]error:[/] {escape(message)}")


def _silence_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's final flush cannot fail again."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
