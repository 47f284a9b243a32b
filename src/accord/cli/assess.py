"""`accord assess`: classification and obligations of one profile on a date."""

from __future__ import annotations

from pathlib import Path

import typer

from accord.cli.options import Format


def assess_command(
    profile: Path = typer.Argument(..., help="Profile YAML file.", show_default=False),
    as_of: str = typer.Option(
        None, "--as-of", help="Date to assess on (YYYY-MM-DD); default today."
    ),
    jurisdiction: list[str] = typer.Option(
        None, "--jurisdiction", "-j", help="Only instruments of this jurisdiction (repeatable)."
    ),
    scenario: list[str] = typer.Option(
        None, "--scenario", help="Opt into a scenario, e.g. a pending bill (repeatable)."
    ),
    framework: list[str] = typer.Option(
        None, "--framework", help="Opt into a voluntary framework catalogue (repeatable)."
    ),
    fmt: Format = typer.Option(Format.text, "--format", "-f", help="Output format."),
    verbose: bool = typer.Option(False, "--verbose", "-v", help="Show the trace of every rule."),
    show_all: bool = typer.Option(False, "--all", help="Also list rules that do not apply."),
    strict: bool = typer.Option(
        False,
        "--strict",
        help="No presumptions: anything the profile leaves unknown stays 'possible'.",
    ),
    rulebooks: list[Path] = typer.Option(
        None, "--rulebooks", help="Extra rulebook folder (repeatable)."
    ),
    exit_zero: bool = typer.Option(
        False, "--exit-zero", help="Exit 0 even when there are findings (report only)."
    ),
) -> None:
    """Assess PROFILE: a verdict per jurisdiction, then classification, prohibitions, duties
    with their controls, traces, assumptions and open questions.

    Exit codes: 0 no findings; 1 findings: a prohibited practice applies, or a binding duty
    applies now with no valid control in place (expired or missing); 2 bad input.
    """
    from accord.cli.console import out
    from accord.cli.options import load_checked_rules, parse_date, parse_jurisdictions
    from accord.engine import assess
    from accord.profile import load_profile

    date = parse_date(as_of)
    codes = parse_jurisdictions(jurisdiction)
    p = load_profile(profile)
    ruleset = load_checked_rules(rulebooks)
    result = assess(
        p,
        date,
        jurisdictions=codes,
        scenarios=scenario or [],
        opt_in=framework or [],
        ruleset=ruleset,
        strict=strict,
    )
    if fmt is Format.json:
        from accord.report.assessment_json import render as render_json

        print(render_json(result, show_all=show_all, verbose=verbose))
    elif fmt is Format.markdown:
        from accord.report.assessment_markdown import render as render_md

        print(render_md(result, show_all=show_all))
    else:
        from accord.report.assessment_text import render as render_text

        render_text(result, out, verbose=verbose, show_all=show_all)
    if result.has_findings and not exit_zero:
        raise typer.Exit(1)
