"""Options shared by commands: the same name, letter, metavar and help for the same thing.

`--as-of DATE`, `-j/--jurisdiction CODE`, `-f/--format`, `-o/--output FILE`, `-q/--quiet`,
`--rulebooks DIR`, `--scenario NAME`, `--framework ID` mean the same in every command that
has them, and the config file (`accord.toml` or `[tool.accord]`) can set their defaults.
"""

from __future__ import annotations

import typer

from accord.cli.options import Format

PROFILE = typer.Argument(..., metavar="PROFILE", help="Profile YAML file.", show_default=False)
AS_OF = typer.Option(
    None, "--as-of", metavar="DATE", help="Date to assess on (YYYY-MM-DD); default today."
)
JURISDICTION = typer.Option(
    None,
    "--jurisdiction",
    "-j",
    metavar="CODE",
    help="Only this jurisdiction, e.g. EU, US-NY-NYC (repeatable or comma-separated).",
)
SCENARIO = typer.Option(
    None,
    "--scenario",
    metavar="NAME",
    help="Opt into a scenario, e.g. a pending bill (repeatable).",
)
FRAMEWORK = typer.Option(
    None,
    "--framework",
    metavar="ID",
    help="Opt into a voluntary framework catalogue, e.g. nist-ai-rmf (repeatable).",
)
FORMAT = typer.Option(Format.text, "--format", "-f", help="Output format.")
OUTPUT = typer.Option(
    None,
    "--output",
    "-o",
    metavar="FILE",
    help="Write the report to FILE (atomically) instead of standard output.",
)
QUIET = typer.Option(False, "--quiet", "-q", help="No warnings on standard error.")
RULEBOOKS = typer.Option(
    None, "--rulebooks", metavar="DIR", help="Extra rulebook folder (repeatable)."
)
VERBOSE = typer.Option(False, "--verbose", "-v", help="Show the trace of every finding.")
