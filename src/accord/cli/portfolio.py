"""`accord portfolio`: the inventory as one portfolio: table, calendar, control plan, divergence.

`accord portfolio [PATH...]` (or `accord portfolio table`) prints the systems x jurisdictions
table; `calendar`, `plan` and `divergence` are sub-commands. Every sub-command reads the same
systems as `accord check` and `accord gaps` (files, folders, `--registry`, else the config's
`inventory`, else the registry) and assesses them once through `assess_many`.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer
from typer.core import TyperGroup

from accord.cli import params

if TYPE_CHECKING:
    from rich.console import Console

    from accord.engine.result import Assessment
    from accord.inventory import System


class PortfolioFormat(StrEnum):
    text = "text"
    markdown = "markdown"
    json = "json"
    csv = "csv"


class _TableByDefault(TyperGroup):
    """A group whose first word may be a sub-command or the table's own arguments:
    `accord portfolio examples/ -f markdown` means `accord portfolio table examples/ ...`.

    Click would otherwise read `examples/` as an unknown sub-command; a PATH that happens to
    be named like a sub-command can still be given as `accord portfolio table plan`.
    """

    def parse_args(self, ctx: typer.Context, args: list[str]) -> list[str]:
        if not args or (args[0] not in self.commands and args[0] != "--help"):
            args = ["table", *args]
        return super().parse_args(ctx, args)


app = typer.Typer(
    cls=_TableByDefault,
    help="The inventory as one portfolio: the systems x jurisdictions table (the default), "
    "a deadline calendar, the harmonised control plan and the divergence between markets.",
    no_args_is_help=False,
)

TARGETS = typer.Argument(
    None,
    metavar="PATH...",
    help="Profile files or folders of them (searched recursively), or system ids to pick. "
    "Default: the folders named by `inventory` in accord.toml, else the registry.",
    show_default=False,
)
REGISTRY = typer.Option(
    False, "--registry", help="Use the latest version of every system in the registry."
)
DB = typer.Option(
    None,
    "--db",
    metavar="URL",
    help="Registry database (implies --registry; default: ACCORD_DB, then `db` in accord.toml, "
    "then .accord/registry.db).",
)
FORMAT = typer.Option(PortfolioFormat.text, "--format", "-f", help="Output format.")
WITHIN = typer.Option(
    None,
    "--within",
    metavar="PERIOD",
    help="Count upcoming duties only if they start within PERIOD, e.g. 180d, 12w, 6m, 1y "
    "(default: every upcoming duty).",
)
NO_CACHE = typer.Option(
    False,
    "--no-cache",
    help="Assess every system again (default: reuse results of unchanged systems, kept in "
    "$ACCORD_CACHE_DIR or .accord/cache).",
)
POSSIBLE = typer.Option(
    False, "--possible", help="Also count duties that may apply, depending on open facts."
)


def _assessed(
    ctx: typer.Context,
    targets: list[str] | None,
    registry: bool,
    db: str | None,
    as_of: str | None,
    jurisdiction: list[str] | None,
    rulebooks: list[Path] | None,
    quiet: bool,
    no_cache: bool,
) -> tuple[list[System], list[Assessment], dt.date]:
    """The systems (chosen as `accord gaps` chooses them) and their assessments on the date."""
    from accord.cli.options import load_checked_rules, parse_date, parse_jurisdictions
    from accord.cli.systems import config_path, select_systems
    from accord.engine.batch import assess_many

    date = parse_date(as_of)
    codes = parse_jurisdictions(jurisdiction)
    systems = select_systems(
        [str(t) for t in targets or []], registry or db is not None, db, config_path(ctx)
    )
    ruleset = load_checked_rules(rulebooks, quiet)
    # Lean results hold every finding that applies or may apply: all the portfolio reads.
    assessments = assess_many(
        [s.profile for s in systems],
        date,
        ruleset=ruleset,
        jurisdictions=codes,
        lean=True,
        cache=not no_cache,
    )
    return systems, assessments, date


def _inputs(systems: list[System]) -> list[Path]:
    return [s.path for s in systems if s.path is not None]


def _horizon(within: str | None, date: dt.date) -> dt.date | None:
    from accord.gaps import horizon_end, parse_horizon

    period = parse_horizon(within)
    return horizon_end(date, period) if period else None


def _csv(header: list[str], rows: list[list[Any]]) -> str:
    """RFC 4180 CSV; a cell a spreadsheet would run as a formula gets a leading quote (names
    come from users' files and the CSV is made to be opened)."""
    import csv
    import io

    def safe(value: Any) -> str:
        text = "" if value is None else str(value)
        return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows([safe(v) for v in row] for row in rows)
    return buffer.getvalue()


@app.command("table")
def table_command(
    ctx: typer.Context,
    targets: list[str] = TARGETS,
    registry: bool = REGISTRY,
    db: str = DB,
    as_of: str = params.AS_OF,
    jurisdiction: list[str] = params.JURISDICTION,
    fmt: PortfolioFormat = FORMAT,
    output: Path = params.OUTPUT,
    rulebooks: list[Path] = params.RULEBOOKS,
    no_cache: bool = NO_CACHE,
    quiet: bool = params.QUIET,
) -> None:
    """The systems x jurisdictions table (the default sub-command).

    Per system and jurisdiction: the class, binding duties that apply now and from a later
    date, gaps (duties that apply now with no control in place) and the earliest date an
    upcoming duty starts; then totals per jurisdiction. Exit codes: 0 (it reports; `accord
    check` is the gate); 2 bad input."""
    from accord.cli.report_out import check_output, deliver
    from accord.portfolio.table import build_table

    check_output(output, [Path(t) for t in targets or []])
    systems, assessments, _ = _assessed(
        ctx, targets, registry, db, as_of, jurisdiction, rulebooks, quiet, no_cache
    )
    table = build_table(assessments, [s.label for s in systems])

    def render(console: Console) -> str | None:
        from accord.portfolio import render as r

        if fmt is PortfolioFormat.json:
            return table.model_dump_json(indent=2)
        if fmt is PortfolioFormat.csv:
            return _csv(*r.table_csv(table))
        if fmt is PortfolioFormat.markdown:
            return r.table_markdown(table)
        r.table_text(table, console)
        return None

    deliver(render, output, _inputs(systems))


@app.command("calendar")
def calendar_command(
    ctx: typer.Context,
    targets: list[str] = TARGETS,
    registry: bool = REGISTRY,
    db: str = DB,
    as_of: str = params.AS_OF,
    jurisdiction: list[str] = params.JURISDICTION,
    output: Path = typer.Option(
        None,
        "--output",
        "-o",
        "--ics",
        metavar="FILE",
        help="Write the calendar to FILE (atomically) instead of standard output.",
    ),
    rulebooks: list[Path] = params.RULEBOOKS,
    no_cache: bool = NO_CACHE,
    quiet: bool = params.QUIET,
) -> None:
    """The portfolio's deadlines as an iCalendar (.ics) file.

    Every date after --as-of on which a binding duty starts to apply, and every date a control
    in place stops counting (e.g. a bias audit valid for a year): one all-day event per date,
    system and law, with the duties in its description. Event UIDs are stable, so importing
    the file again updates the same events. Exit codes: 0 ok; 2 bad input."""
    from accord.cli.report_out import check_output
    from accord.files import write_atomic
    from accord.portfolio.calendar import calendar_events, to_ics

    check_output(output, [Path(t) for t in targets or []])
    systems, assessments, date = _assessed(
        ctx, targets, registry, db, as_of, jurisdiction, rulebooks, quiet, no_cache
    )
    events = calendar_events(assessments)
    text = to_ics(events, date)
    if output is None:
        import sys

        sys.stdout.write(text)
        return
    check_output(output, _inputs(systems))
    write_atomic(output, text)
    if not quiet:
        from accord.cli.console import err

        starts = sum(bool(e.starts) for e in events)
        renewals = sum(bool(e.renewals) for e in events)
        err.print(
            f"{output}: {len(events)} event(s) ({starts} with duties starting, {renewals} "
            f"with controls to renew) for {len(systems)} system(s) after {date}",
            markup=False,
        )


@app.command("plan")
def plan_command(
    ctx: typer.Context,
    targets: list[str] = TARGETS,
    registry: bool = REGISTRY,
    db: str = DB,
    as_of: str = params.AS_OF,
    jurisdiction: list[str] = params.JURISDICTION,
    within: str = WITHIN,
    possible: bool = POSSIBLE,
    fmt: PortfolioFormat = FORMAT,
    output: Path = params.OUTPUT,
    rulebooks: list[Path] = params.RULEBOOKS,
    no_cache: bool = NO_CACHE,
    quiet: bool = params.QUIET,
) -> None:
    """The cheapest set of controls covering every duty in every market, vs the naive plan.

    Every binding duty of every system in every market (applicable now or upcoming; --within
    limits how far ahead) must be covered by one of the controls its rule accepts. A control
    done for a system covers its duties in every market; the naive plan handles each
    jurisdiction on its own and pays again in each. Solved exactly as an integer program
    (HiGHS). Costs are rough defaults in person-days from the control catalogue, overridable
    with `control_costs` in accord.toml; controls already in place cost 0. Duties whose rule
    names no control are listed apart. Exit codes: 0 ok; 2 bad input."""
    from accord.cli.options import parse_date
    from accord.cli.report_out import check_output, deliver
    from accord.cli.systems import config_path
    from accord.config import load_config
    from accord.portfolio.duties import plan_duties
    from accord.portfolio.plan import build_plan, resolve_costs

    check_output(output, [Path(t) for t in targets or []])
    config = config_path(ctx)
    overrides = load_config(config).control_costs if config else {}
    costs = resolve_costs(overrides)
    until = _horizon(within, parse_date(as_of))
    systems, assessments, date = _assessed(
        ctx, targets, registry, db, as_of, jurisdiction, rulebooks, quiet, no_cache
    )
    duties = plan_duties(assessments, until=until, possible=possible)
    plan = build_plan(
        duties,
        date,
        costs,
        within=within,
        until=until,
        possible=possible,
    )

    def render(console: Console) -> str | None:
        from accord.portfolio import render as r

        if fmt is PortfolioFormat.json:
            return plan.model_dump_json(indent=2)
        if fmt is PortfolioFormat.csv:
            return _csv(*r.plan_csv(plan))
        if fmt is PortfolioFormat.markdown:
            return r.plan_markdown(plan, len(systems))
        r.plan_text(plan, len(systems), console)
        return None

    deliver(render, output, _inputs(systems))


@app.command("divergence")
def divergence_command(
    ctx: typer.Context,
    targets: list[str] = TARGETS,
    registry: bool = REGISTRY,
    db: str = DB,
    as_of: str = params.AS_OF,
    jurisdiction: list[str] = params.JURISDICTION,
    within: str = WITHIN,
    possible: bool = POSSIBLE,
    fmt: PortfolioFormat = FORMAT,
    output: Path = params.OUTPUT,
    rulebooks: list[Path] = params.RULEBOOKS,
    no_cache: bool = NO_CACHE,
    quiet: bool = params.QUIET,
) -> None:
    """How different the markets' duties are for this portfolio, pair by pair.

    For each pair of jurisdictions: the Jaccard distance between the (theme, control) features
    of the duties each imposes on the systems sold in both, pooled over those systems (0
    identical, 1 nothing in common; blank: no system sold in both has duties there). See
    docs/portfolio.md for the definition and a worked example. Exit codes: 0 ok; 2 bad
    input."""
    from accord.cli.options import parse_date
    from accord.cli.report_out import check_output, deliver
    from accord.portfolio.divergence import divergence
    from accord.portfolio.duties import jurisdictions_of, plan_duties

    check_output(output, [Path(t) for t in targets or []])
    until = _horizon(within, parse_date(as_of))
    systems, assessments, date = _assessed(
        ctx, targets, registry, db, as_of, jurisdiction, rulebooks, quiet, no_cache
    )
    duties = plan_duties(assessments, until=until, possible=possible)
    known = {d.jurisdiction for d in duties}
    markets = {s.id: jurisdictions_of(s.profile.markets, known) for s in systems}
    result = divergence(duties, markets, date)

    def render(console: Console) -> str | None:
        from accord.portfolio import render as r

        if fmt is PortfolioFormat.json:
            return result.model_dump_json(indent=2)
        if fmt is PortfolioFormat.csv:
            return _csv(*r.divergence_csv(result))
        if fmt is PortfolioFormat.markdown:
            return r.divergence_markdown(result)
        r.divergence_text(result, console)
        return None

    deliver(render, output, _inputs(systems))
