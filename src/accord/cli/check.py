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
    from accord.errors import InputError
    from accord.gate import DEFAULT_POLICIES, check, gc_paused, parse_policies

    inputs = list(paths or [])
    check_output(output, inputs)
    policies = parse_policies(fail_on or [DEFAULT_POLICIES])
    if not policies:
        raise InputError("--fail-on: no policy given; e.g. --fail-on prohibited,unmet-now")
    date = parse_date(as_of)
    codes = parse_jurisdictions(jurisdiction)
    config_path = _config_path(ctx)
    url: str | None = None
    if registry or db:
        if inputs:
            raise InputError(
                "give either PATH... or --registry/--db, not both "
                "(the registry is checked as a whole)"
            )
        systems, url = _registry_systems(db, config_path)
    else:
        from accord.inventory import load_folder

        if not inputs:
            inputs = _configured_inventory(config_path)
        if inputs:
            systems = load_folder(inputs)
        else:  # neither paths nor configured folders: the registry, if there is one
            try:
                systems, url = _registry_systems(db, config_path)
            except InputError as exc:
                raise InputError(
                    "no PATH given, no inventory configured and no registry; give profile "
                    'files or folders, set `inventory = ["systems"]` in accord.toml, or '
                    f"import profiles with `accord registry import PATH...` ({exc})"
                ) from None
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

    with gc_paused():
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


def _config_path(ctx: typer.Context) -> Path | None:
    """The accord.toml in effect: `accord --config FILE`, else the nearest one upwards."""
    from accord.config import find_config

    root = ctx.find_root()
    given = root.params.get("config") if root.params else None
    return Path(given) if given else find_config(Path.cwd())


def _configured_inventory(config_path: Path | None) -> list[Path]:
    from accord.config import load_config
    from accord.errors import InputError

    folders = load_config(config_path).inventory if config_path else []
    missing = [f for f in folders if not Path(f).exists()]
    if missing:
        raise InputError(f"{missing[0]}: inventory folder in {config_path} not found")
    return [Path(f) for f in folders]


def _registry_systems(db: str | None, config_path: Path | None):  # type: ignore[no-untyped-def]
    """Every registry system at its latest version, and the database URL they came from."""
    from accord.errors import InputError

    try:
        from accord import registry
    except ModuleNotFoundError as exc:
        if exc.name not in ("accord.registry", "accord"):
            raise
        raise InputError(
            "--registry: the registry is not available in this installation "
            "(accord.registry is missing); check profile files or folders instead"
        ) from None
    url = registry.resolve_url(db, config_path)
    return registry.load_systems(url), url
