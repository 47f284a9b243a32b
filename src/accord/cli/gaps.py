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
    from accord.cli.systems import config_path, select_systems
    from accord.gaps import find_gaps, parse_horizon
    from accord.gcpause import paused_gc

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
