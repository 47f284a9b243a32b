"""`accord gaps`: duties that bind now, or within a horizon, with no valid evidence."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from accord.cli import params

if TYPE_CHECKING:
    from rich.console import Console

    from accord.gaps import GapReport
    from accord.inventory.model import System


class GapsFormat(StrEnum):
    text = "text"
    markdown = "markdown"
    json = "json"
    csv = "csv"


TABLE_WIDTH = 100
"""The text table never grows wider than this, however wide the terminal."""


def gaps_command(
    ctx: typer.Context,
    targets: list[str] = typer.Argument(
        None,
        metavar="SYSTEM_OR_PATH",
        help="Profile files or folders, and/or system ids to pick from the inventory "
        "(default: every system of the config's `inventory` folders, else of the registry).",
        show_default=False,
    ),
    registry: bool = typer.Option(
        False, "--registry", help="Take the systems, and their evidence, from the registry."
    ),
    db: str = typer.Option(
        None,
        "--db",
        metavar="URL",
        help="Registry database URL (default: ACCORD_DB, config `db`, .accord/registry.db).",
    ),
    as_of: str = params.AS_OF,
    within: str = typer.Option(
        None,
        "--within",
        metavar="PERIOD",
        help="Also duties that start within PERIOD, e.g. 90d, 12w, 6m, 1y (default: only "
        "duties that apply now).",
    ),
    jurisdiction: list[str] = params.JURISDICTION,
    fmt: GapsFormat = typer.Option(GapsFormat.text, "--format", "-f", help="Output format."),
    output: Path = params.OUTPUT,
    rulebooks: list[Path] = params.RULEBOOKS,
    exit_zero: bool = typer.Option(False, "--exit-zero", help="Exit 0 even when there are gaps."),
    no_cache: bool = typer.Option(
        False,
        "--no-cache",
        help="Assess every system again (default: reuse results of unchanged systems, kept "
        "in $ACCORD_CACHE_DIR or .accord/cache).",
    ),
    quiet: bool = params.QUIET,
) -> None:
    """List every binding duty that applies now, or starts within --within, and has no valid
    evidence: no control in place in the profile and no current evidence record. Each row
    names the system, owner, duty, due date, the controls that would close it and why nothing
    counts (no evidence, expired on a date, evidence file changed). Sorted by due date.

    Exit codes: 0 no gap; 1 some gap; 2 bad input.
    """
    from accord.cli.options import load_checked_rules, parse_date, parse_jurisdictions
    from accord.cli.report_out import check_output, deliver
    from accord.gaps import find_gaps, parse_horizon, paused_gc

    check_output(output, [Path(t) for t in targets or [] if Path(t).exists()])
    date = parse_date(as_of)
    horizon = parse_horizon(within)
    codes = parse_jurisdictions(jurisdiction)
    systems = select_systems(targets or [], registry or db is not None, db, config_path(ctx))
    rs = load_checked_rules(rulebooks, quiet)
    report = find_gaps(
        systems, date, within=horizon, ruleset=rs, jurisdictions=codes, cache=not no_cache
    )
    if not quiet:
        from accord.cli.console import err

        for w in report.warnings:
            err.print(f"warning: {w}", markup=False)

    def render(console: Console) -> str | None:
        from accord.gaps import to_csv

        if fmt is GapsFormat.json:
            return report.model_dump_json(indent=2)
        if fmt is GapsFormat.csv:
            return to_csv(report)
        if fmt is GapsFormat.markdown:
            return render_markdown(report)
        return render_text(report, console.width)

    with paused_gc():
        deliver(render, output, [s.path for s in systems if s.path is not None])
    if report.gaps and not exit_zero:
        raise typer.Exit(1)


def config_path(ctx: typer.Context) -> Path | None:
    """The config file in force: the root's --config, else the nearest one upwards."""
    from accord.config import find_config

    root = ctx.find_root()
    given = root.params.get("config") if root is not None else None
    return Path(given) if given else find_config(Path.cwd())


def select_systems(
    targets: list[str], use_registry: bool, db: str | None, config_path: Path | None
) -> list[System]:
    """The systems to report on.

    Arguments that exist on disk are profile files or folders; the others are system ids that
    pick from the pool: those files and folders, plus the registry with --registry/--db; with
    neither, the config's `inventory` folders, else the registry if it exists. An unknown id is
    an input error with the closest ids.
    """
    from accord.errors import InputError
    from accord.inventory import load_folder

    paths = [Path(t) for t in targets if Path(t).exists()]
    ids = [t for t in targets if not Path(t).exists()]
    pool: list[System] = load_folder(paths) if paths else []
    where = "the named files and folders"
    if use_registry:
        pool += _registry_systems(db, config_path, must_exist=False)
        where = "the registry" if not paths else "the named files, folders and the registry"
    elif not paths:
        folders = _config_inventory(config_path)
        if folders:
            missing = [f for f in folders if not f.exists()]
            if missing:
                raise InputError(f"{missing[0]}: inventory folder in {config_path} not found")
            pool = load_folder(folders)
            where = f"the inventory folders of {config_path}"
        else:
            where = "the registry"
            try:
                pool = _registry_systems(db, config_path, must_exist=True)
            except InputError as exc:
                if ids:  # say first that the name is not a file: it may be a typo'd path
                    raise InputError(f"{ids[0]}: no such file or folder; {exc}") from None
                raise
    if not ids:
        if not pool:
            raise InputError(
                f"no systems in {where}; name profile files or folders, set `inventory` in "
                "accord.toml, or `accord registry import PATH...`"
            )
        return pool
    from accord.choices import check_names

    by_id = {s.id: s for s in pool}
    for name in ids:
        if name not in by_id and not by_id:
            raise InputError(f"{name}: no such file, and no systems in {where} to pick it from")
    check_names(ids, by_id, f"system (not a file either; known in {where})")
    return [by_id[i] for i in dict.fromkeys(ids)]


def _config_inventory(config_path: Path | None) -> list[Path]:
    if config_path is None:
        return []
    from accord.config import load_config

    return [Path(p) for p in load_config(config_path).inventory]


def _registry_systems(db: str | None, config_path: Path | None, must_exist: bool) -> list[System]:
    """Every system of the registry at its latest version; with `must_exist`, a default SQLite
    registry that was never created is no registry (nothing is created by looking)."""
    from accord.errors import InputError

    try:
        from accord import registry
    except ImportError:  # pragma: no cover - the registry ships with Accord
        raise InputError("the registry is not available in this installation") from None
    url = registry.resolve_url(db, config_path)
    if must_exist:
        from accord.registry.url import sqlite_path

        file = sqlite_path(url)
        if file is not None and not file.exists():
            raise InputError(
                "no systems: name profile files or folders, set `inventory` in accord.toml, "
                f"or `accord registry import PATH...` (no registry at {file})"
            )
    return registry.load_systems(url)


def render_text(report: GapReport, width: int) -> str:
    """A plain table sorted by due date, at most 100 columns wide, then a one-line summary.

    Laid out here rather than by a Rich table: a portfolio can have tens of thousands of gaps,
    and Rich measures every cell (about 40x slower). Titles, reasons and controls repeat across
    systems, so each distinct text is wrapped once. Data is shown with control characters
    escaped, like every text output.
    """
    from functools import lru_cache
    from itertools import zip_longest

    from accord.report.printable import printable

    if not report.gaps:
        return summary(report)
    width = max(min(width, TABLE_WIDTH), 60)
    sys_w = min(max(len(g.system) for g in report.gaps), 20, width // 5)
    longest = max((len(c) for g in report.gaps for c in g.controls), default=6)
    ctl_w = min(max(longest, 9), 30, max(width // 4, 12))
    duty_w = max(width - 10 - sys_w - ctl_w - 6, 20)  # 3 gaps of 2 between 4 columns
    widths = (10, sys_w, duty_w, ctl_w)

    @lru_cache(maxsize=65536)
    def wrap(text: str, w: int) -> tuple[str, ...]:
        import textwrap

        text = printable(text)
        if len(text) <= w:
            return (text,)
        return tuple(textwrap.wrap(text, w)) or ("",)

    def row(cells: tuple[tuple[str, ...], ...]) -> list[str]:
        return [
            "  ".join(part.ljust(w) for part, w in zip(parts, widths, strict=True)).rstrip()
            for parts in zip_longest(*cells, fillvalue="")
        ]

    header = ("Due", "System / owner", "Duty / why", "Closes it")
    lines = row(tuple(wrap(h, w) for h, w in zip(header, widths, strict=True)))
    for g in report.gaps:
        due = (str(g.due), g.when if g.status == "now" else "upcoming")
        system = wrap(g.system, sys_w) + wrap(g.owner or "-", sys_w)
        duty = (
            wrap(f"{g.jurisdiction} {g.title}", duty_w)
            + wrap(g.rule_id, duty_w)
            + wrap(g.reason, duty_w)
        )
        controls = tuple(x for c in g.controls for x in wrap(c, ctl_w)) or ("(none)",)
        lines += ["", *row((due, system, duty, controls))]
    lines += ["", summary(report)]
    return "\n".join(lines)


def summary(report: GapReport) -> str:
    now = sum(g.status == "now" for g in report.gaps)
    upcoming = len(report.gaps) - now
    ahead = f", {upcoming} due by {report.horizon_end}" if report.within else ""
    if not report.gaps:
        horizon = f" or due by {report.horizon_end}" if report.within else ""
        return (
            f"No gaps: every binding duty that applies on {report.as_of}{horizon} has valid "
            f"evidence ({report.systems} system(s))"
        )
    return (
        f"{len(report.gaps)} gap(s) in {report.systems_with_gaps} of {report.systems} "
        f"system(s) as of {report.as_of}: {now} now{ahead}"
    )


def render_markdown(report: GapReport) -> str:
    from accord.report.markdown import table, text

    lines = [f"# Gaps as of {report.as_of}", "", text(summary(report)), ""]
    if report.gaps:
        rows = [
            [
                str(g.due),
                text(g.when),
                text(g.system),
                text(g.owner or ""),
                text(g.jurisdiction),
                text(g.title),
                text(g.rule_id),
                text(", ".join(g.controls)),
                text(g.reason),
            ]
            for g in report.gaps
        ]
        header = ["due", "status", "system", "owner", "jurisdiction", "duty", "rule", "controls"]
        lines += table([*header, "why"], rows)
    return "\n".join(lines)
