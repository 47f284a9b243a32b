"""`accord compare` and `accord landscape`: one system across markets, and the world at large."""

from __future__ import annotations

from pathlib import Path

import typer

from accord.cli.options import Format


def compare_command(
    profile: Path = typer.Argument(..., help="Profile YAML file.", show_default=False),
    as_of: str = typer.Option(
        None, "--as-of", help="Date to compare on (YYYY-MM-DD); default today."
    ),
    markets: list[str] = typer.Option(
        None,
        "--markets",
        "-m",
        help="Only these of the profile's markets (repeatable or comma-separated).",
    ),
    scenario: list[str] = typer.Option(
        None, "--scenario", help="Opt into a scenario, e.g. a pending bill (repeatable)."
    ),
    framework: list[str] = typer.Option(
        None, "--framework", help="Opt into a voluntary framework catalogue (repeatable)."
    ),
    fmt: Format = typer.Option(Format.text, "--format", "-f", help="Output format."),
    verbose: bool = typer.Option(
        False, "--verbose", "-v", help="Text: list the duties behind every cell."
    ),
    rulebooks: list[Path] = typer.Option(
        None, "--rulebooks", help="Extra rulebook folder (repeatable)."
    ),
) -> None:
    """Compare PROFILE across its markets: a theme x jurisdiction matrix of duties, then the
    differences (uneven themes, deadlines, maximum penalties, prohibitions)."""
    from accord.cli.console import out
    from accord.cli.options import load_checked_rules, parse_date, parse_jurisdictions
    from accord.compare import compare_profile
    from accord.profile import load_profile

    date = parse_date(as_of)
    codes = parse_jurisdictions(markets)
    p = load_profile(profile)
    ruleset = load_checked_rules(rulebooks)
    result = compare_profile(
        p,
        date,
        markets=codes,
        scenarios=scenario or [],
        frameworks=framework or [],
        ruleset=ruleset,
    )
    if fmt is Format.json:
        print(result.model_dump_json(indent=2))
    elif fmt is Format.markdown:
        from accord.report.compare_markdown import render as render_md

        print(render_md(result))
    else:
        from accord.report.compare_text import render as render_text

        render_text(result, out, verbose=verbose)


def landscape_command(
    jurisdiction: list[str] = typer.Option(
        None,
        "--jurisdiction",
        "-j",
        help="Only this jurisdiction, with the regions around and inside it (repeatable).",
    ),
    fmt: Format = typer.Option(Format.text, "--format", "-f", help="Output format."),
) -> None:
    """Show the world landscape: each jurisdiction's regime and main instruments, then the
    international instruments and who signed them. Unverified facts are marked."""
    from accord.cli.console import out
    from accord.cli.options import parse_jurisdictions
    from accord.landscape import load_landscape, view

    codes = parse_jurisdictions(jurisdiction)
    result = view(load_landscape(), codes)
    if fmt is Format.json:
        print(result.model_dump_json(indent=2))
    elif fmt is Format.markdown:
        from accord.report.landscape_markdown import render as render_md

        print(render_md(result))
    else:
        from accord.report.landscape_text import render as render_text

        render_text(result, out)
