"""`accord check`: the CI gate over many systems (profiles, folders or the registry)."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

import typer

from accord.cli import params


class CheckFormat(StrEnum):
    text = "text"
    json = "json"
    sarif = "sarif"
    junit = "junit"


def check_command(
    ctx: typer.Context,
    paths: list[Path] = typer.Argument(
        None,
        metavar="PATH",
        help="Profile files or folders of them (searched recursively). Default: the folders "
        "named by `inventory` in accord.toml.",
        show_default=False,
    ),
    registry: bool = typer.Option(
        False, "--registry", help="Check the latest version of every system in the registry."
    ),
    db: str = typer.Option(
        None,
        "--db",
        metavar="URL",
        help="Registry database (with --registry; default: ACCORD_DB, then `db` in "
        "accord.toml, then .accord/registry.db).",
    ),
    as_of: str = params.AS_OF,
    fail_on: list[str] = typer.Option(
        None,
        "--fail-on",
        metavar="POLICY",
        help="Fail (exit 1) on these policies, comma-separated or repeated: prohibited, "
        "unmet-now, unmet-within:90d, needs-review, possible. Default: prohibited,unmet-now "
        "(or `fail_on` in accord.toml).",
        show_default=False,
    ),
    jurisdiction: list[str] = params.JURISDICTION,
    fmt: CheckFormat = typer.Option(CheckFormat.text, "--format", "-f", help="Output format."),
    output: Path = params.OUTPUT,
    rulebooks: list[Path] = params.RULEBOOKS,
    no_cache: bool = typer.Option(
        False,
        "--no-cache",
        help="Assess every system again (default: reuse results of unchanged systems, kept "
        "in $ACCORD_CACHE_DIR or .accord/cache).",
    ),
    quiet: bool = params.QUIET,
) -> None:
    """Assess many systems and fail when a policy is violated: a gate for CI and pre-commit.
    (The help shown is HELP below: Typer keeps a docstring's line breaks after its first
    paragraph, and the policy list reads best one policy per paragraph.)"""
    from accord.cli.options import load_checked_rules, parse_date, parse_jurisdictions
    from accord.cli.report_out import check_output, deliver
    from accord.cli.systems import config_path, select_systems
    from accord.errors import InputError
    from accord.gate import DEFAULT_POLICIES, check, parse_policies
    from accord.gcpause import paused_gc

    inputs = list(paths or [])
    check_output(output, inputs)
    policies = parse_policies(fail_on or [DEFAULT_POLICIES])
    if not policies:
        raise InputError("--fail-on: no policy given; e.g. --fail-on prohibited,unmet-now")
    date = parse_date(as_of)
    codes = parse_jurisdictions(jurisdiction)
    config = config_path(ctx)
    if (registry or db) and inputs:
        raise InputError(
            "give either PATH... or --registry/--db, not both (the registry is checked as a whole)"
        )
    if inputs:
        from accord.inventory import load_folder

        systems = load_folder(inputs)
    else:  # the registry, or with neither option the inventory folders, else the registry
        systems = select_systems([], bool(registry or db), db, config)
    url: str | None = None
    if any(s.path is None for s in systems):  # registry systems: SARIF names the database
        from accord import registry as store

        url = store.resolve_url(db, config)
    ruleset = load_checked_rules(rulebooks, quiet)
    result = check(
        systems, policies, date, ruleset=ruleset, jurisdictions=codes, cache=not no_cache
    )

    def render(console):  # type: ignore[no-untyped-def]
        if fmt is CheckFormat.json:
            from accord.gate.report import render_json

            return render_json(result)
        if fmt is CheckFormat.sarif:
            import json

            from accord.gate.sarif import render as render_sarif

            return json.dumps(render_sarif(result, base=Path.cwd(), registry=url), indent=2)
        if fmt is CheckFormat.junit:
            from accord.gate.junit import render as render_junit

            return render_junit(result)
        from accord.gate.report import render_text

        return render_text(result, console)

    with paused_gc():
        deliver(render, output, inputs)
    if not result.passed:
        raise typer.Exit(1)


HELP = "\n\n".join(
    [
        "Assess many systems and fail when a policy is violated: a gate for CI and pre-commit.",
        "Policies (--fail-on; default prohibited,unmet-now, or `fail_on` in accord.toml):",
        "prohibited: a prohibited practice applies on the date.",
        "unmet-now: a binding duty applies on the date with no valid control in place.",
        "unmet-within:N: a binding duty starts to apply within N days (90d, 12w, 6m, 1y) "
        "with no control in place; upcoming duties only, so combine it with unmet-now.",
        "needs-review: a relevant finding rests on a rule whose legal basis is unverified.",
        "possible: a binding duty or a prohibition may apply, depending on open facts.",
        "Outputs: text (file:line per violation, then counts per policy), json, sarif (SARIF "
        "2.1.0 for code scanning: each result points at the profile line of the fact behind "
        "it) and junit (one test suite per system, one test case per law that reaches it).",
        "Exit codes: 0 no policy violated; 1 some policy violated; 2 bad input (unknown "
        "policy, bad period, unknown path, unreadable profile, unwritable output).",
    ]
)
check_command.__doc__ = HELP
