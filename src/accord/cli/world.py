"""`accord compare` and `accord landscape`: one system across markets, and the world at large."""

from __future__ import annotations

from pathlib import Path

import typer

from accord.cli import params
from accord.cli.options import Format


def compare_command(
    profile: Path = params.PROFILE,
    as_of: str = params.AS_OF,
    markets: list[str] = typer.Option(
        None,
        "--jurisdiction",
        "-j",
        "--markets",
        "-m",
        metavar="CODE",
        help="Only these of the profile's markets (repeatable or comma-separated).",
    ),
    scenario: list[str] = params.SCENARIO,
    framework: list[str] = params.FRAMEWORK,
    fmt: Format = params.FORMAT,
    output: Path = params.OUTPUT,
    verbose: bool = typer.Option(
        False, "--verbose", "-v", help="Text: list the duties behind every cell."
    ),
    rulebooks: list[Path] = params.RULEBOOKS,
    quiet: bool = params.QUIET,
) -> None:
    """Compare PROFILE across its markets: a theme x jurisdiction matrix of duties, then the
    differences (uneven themes, deadlines, maximum penalties, prohibitions)."""
    from accord.cli.options import (
        load_checked_rules,
        load_profile_with_evidence,
        parse_date,
        parse_jurisdictions,
    )
    from accord.cli.report_out import check_output, deliver
    from accord.compare import compare_profile

    check_output(output, [profile])
    date = parse_date(as_of)
    codes = parse_jurisdictions(markets)
    p = load_profile_with_evidence(profile, quiet)
    ruleset = load_checked_rules(rulebooks, quiet)
    result = compare_profile(
        p,
        date,
        markets=codes,
        scenarios=scenario or [],
        frameworks=framework or [],
        ruleset=ruleset,
    )

    def render(console):  # type: ignore[no-untyped-def]
        if fmt is Format.json:
            return result.model_dump_json(indent=2)
        if fmt is Format.markdown:
            from accord.report.compare_markdown import render as render_md

            return render_md(result)
        from accord.report.compare_text import render as render_text

        render_text(result, console, verbose=verbose)
        return None

    deliver(render, output, [profile])


def landscape_command(
    jurisdiction: list[str] = typer.Option(
        None,
        "--jurisdiction",
        "-j",
        metavar="CODE",
        help="Only this jurisdiction, with the regions around and inside it (repeatable).",
    ),
    as_of: str = typer.Option(
        None,
        "--as-of",
        metavar="DATE",
        help="Show the world as it stood on DATE (YYYY-MM-DD); default today.",
    ),
    fmt: Format = params.FORMAT,
    output: Path = params.OUTPUT,
) -> None:
    """Show the world landscape: each jurisdiction's regime and main instruments, then the
    international instruments and who signed them. Unverified facts are marked. With --as-of,
    statuses, regimes, signatures and ratifications are those of that date."""
    from accord.cli.options import parse_date, parse_jurisdictions
    from accord.cli.report_out import check_output, deliver
    from accord.landscape import load_landscape, view

    check_output(output, [])
    codes = parse_jurisdictions(jurisdiction)
    result = view(load_landscape(), codes, parse_date(as_of))

    def render(console):  # type: ignore[no-untyped-def]
        if fmt is Format.json:
            return result.model_dump_json(indent=2)
        if fmt is Format.markdown:
            from accord.report.landscape_markdown import render as render_md

            return render_md(result)
        from accord.report.landscape_text import render as render_text

        render_text(result, console)
        return None

    deliver(render, output, [])
