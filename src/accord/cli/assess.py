"""`accord assess`: classification and obligations of one profile on a date."""

from __future__ import annotations

from pathlib import Path

import typer

from accord.cli import params
from accord.cli.options import Format


def assess_command(
    profile: Path = params.PROFILE,
    as_of: str = params.AS_OF,
    jurisdiction: list[str] = params.JURISDICTION,
    scenario: list[str] = params.SCENARIO,
    framework: list[str] = params.FRAMEWORK,
    fmt: Format = params.FORMAT,
    output: Path = params.OUTPUT,
    verbose: bool = params.VERBOSE,
    show_all: bool = typer.Option(False, "--all", help="Also list rules that do not apply."),
    strict: bool = typer.Option(
        False,
        "--strict",
        help="No presumptions: anything the profile leaves unknown stays 'possible'.",
    ),
    rulebooks: list[Path] = params.RULEBOOKS,
    exit_zero: bool = typer.Option(
        False, "--exit-zero", help="Exit 0 even when there are findings (report only)."
    ),
    quiet: bool = params.QUIET,
) -> None:
    """Assess PROFILE: a verdict per jurisdiction, then classification, prohibitions, duties
    with their controls, traces, assumptions and open questions.

    Exit codes: 0 no findings; 1 findings: a prohibited practice applies, or a binding duty
    applies now with no valid control in place (expired or missing); 2 bad input.
    """
    from accord.cli.options import (
        load_checked_rules,
        load_profile_with_evidence,
        parse_date,
        parse_jurisdictions,
    )
    from accord.cli.report_out import check_output, deliver
    from accord.engine import assess

    check_output(output, [profile])
    date = parse_date(as_of)
    codes = parse_jurisdictions(jurisdiction)
    p = load_profile_with_evidence(profile, quiet)
    ruleset = load_checked_rules(rulebooks, quiet)
    result = assess(
        p,
        date,
        jurisdictions=codes,
        scenarios=scenario or [],
        opt_in=framework or [],
        ruleset=ruleset,
        strict=strict,
    )

    def render(console):  # type: ignore[no-untyped-def]
        if fmt is Format.json:
            from accord.report.assessment_json import render as render_json

            return render_json(result, show_all=show_all, verbose=verbose)
        if fmt is Format.markdown:
            from accord.report.assessment_markdown import render as render_md

            return render_md(result, show_all=show_all)
        from accord.report.assessment_text import render as render_text

        render_text(result, console, verbose=verbose, show_all=show_all)
        return None

    deliver(render, output, [profile])
    if result.has_findings and not exit_zero:
        raise typer.Exit(1)
