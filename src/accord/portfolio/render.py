"""Text, Markdown and CSV views of the portfolio table, control plan and divergence matrix.

JSON is each model's own dump; these views only arrange the same numbers for reading, so they
cannot disagree with it.
"""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from accord.portfolio.divergence import Divergence
from accord.portfolio.plan import ControlPlan
from accord.portfolio.table import Cell, PortfolioTable
from accord.report.markdown import table as md_table
from accord.report.markdown import text as md


def _num(value: float) -> str:
    return f"{value:g}"


def _counts(c: Cell) -> str:
    parts = [f"{c.duties_now} now"]
    if c.duties_upcoming:
        parts.append(f"{c.duties_upcoming} upcoming")
    if c.duties_possible:
        parts.append(f"{c.duties_possible} possible")
    return ", ".join(parts)


def _cell_words(c: Cell, totals: bool = False) -> str:
    parts = []
    if totals:
        parts.append(f"{c.systems} system{'s' if c.systems != 1 else ''}")
    elif c.classes:
        parts.append(", ".join(c.classes))
    if c.prohibited:
        parts.append(f"PROHIBITED ({c.prohibited})")
    parts.append(_counts(c))
    if c.gaps:
        parts.append(f"{c.gaps} gap{'s' if c.gaps != 1 else ''}")
    if c.next_date:
        parts.append(f"next {c.next_date}")
    return "; ".join(parts)


# -- table ---------------------------------------------------------------------------------


def table_text(t: PortfolioTable, console: Console) -> None:
    console.print(
        Text(f"Portfolio of {len(t.rows)} system(s) as of {t.as_of}", style="bold"), end="\n\n"
    )
    grid = Table(box=None, pad_edge=False, header_style="bold")
    for name, justify in [
        ("System", "left"),
        ("Market", "left"),
        ("Now", "right"),
        ("Upcoming", "right"),
        ("Gaps", "right"),
        ("Next", "left"),
        ("Class", "left"),
    ]:
        grid.add_column(name, justify=justify, no_wrap=name != "Class")  # type: ignore[arg-type]
    for row in t.rows:
        if not row.cells:
            grid.add_row(row.system_id, "-", "", "", "", "", "nothing binds", end_section=True)
            continue
        for i, c in enumerate(row.cells):
            cls = ", ".join(c.classes)
            if c.prohibited:
                cls = f"PROHIBITED ({c.prohibited})" + (f"; {cls}" if cls else "")
            grid.add_row(
                row.system_id if i == 0 else "",
                c.jurisdiction,
                str(c.duties_now),
                str(c.duties_upcoming),
                Text(str(c.gaps), style="red" if c.gaps else ""),
                str(c.next_date or ""),
                cls or "-",
                end_section=i == len(row.cells) - 1,
            )
    for i, c in enumerate([*t.totals, t.total]):
        grid.add_row(
            "Total" if i == 0 else "",
            c.jurisdiction,
            str(c.duties_now),
            str(c.duties_upcoming),
            str(c.gaps),
            str(c.next_date or ""),
            f"{c.systems} system{'s' if c.systems != 1 else ''}",
            style="bold",
        )
    console.print(grid)
    if not t.jurisdictions:
        console.print("Nothing binding applies to these systems on this date.")


def table_markdown(t: PortfolioTable) -> str:
    header = ["System", *t.jurisdictions, "All"]
    rows = []
    for row in t.rows:
        cells = {c.jurisdiction: c for c in row.cells}
        rows.append(
            [
                f"{md(row.system_name)} (`{md(row.system_id)}`)",
                *(md(_cell_words(cells[j])) if j in cells else "" for j in t.jurisdictions),
                md(_counts(row.total) + (f"; {row.total.gaps} gaps" if row.total.gaps else "")),
            ]
        )
    rows.append(
        [
            "**Total**",
            *(md(_cell_words(c, totals=True)) for c in t.totals),
            md(_cell_words(t.total, totals=True)),
        ]
    )
    lines = [f"# Portfolio of {len(t.rows)} system(s) as of {t.as_of}", ""]
    lines += md_table(header, rows)
    return "\n".join(lines)


def table_csv(t: PortfolioTable) -> tuple[list[str], list[list[Any]]]:
    header = [
        "system_id",
        "system_name",
        "jurisdiction",
        "classes",
        "prohibited",
        "duties_now",
        "duties_upcoming",
        "duties_possible",
        "gaps",
        "next_date",
        "systems",
    ]

    def line(sid: str, name: str, c: Cell) -> list[Any]:
        return [
            sid,
            name,
            c.jurisdiction,
            "; ".join(c.classes),
            c.prohibited,
            c.duties_now,
            c.duties_upcoming,
            c.duties_possible,
            c.gaps,
            c.next_date or "",
            c.systems,
        ]

    rows = [line(r.system_id, r.system_name, c) for r in t.rows for c in r.cells]
    rows += [line("TOTAL", "", c) for c in [*t.totals, t.total]]
    return header, rows


# -- plan ----------------------------------------------------------------------------------


def _scope(plan: ControlPlan) -> str:
    horizon = f"starting by {plan.until}" if plan.until else "upcoming"
    kinds = f"duties that apply now or are {horizon}"
    if plan.possible:
        kinds += ", and duties that may apply"
    return kinds


def _saving(plan: ControlPlan) -> str:
    pct = f" ({plan.saving_percent:g}%)" if plan.saving_percent is not None else ""
    return f"{_num(plan.saving)} {plan.unit}{pct}"


def plan_text(plan: ControlPlan, systems: int, console: Console) -> None:
    console.print(
        Text(f"Harmonised control plan as of {plan.as_of}", style="bold"),
        Text(f"({_scope(plan)}; costs in {plan.unit})"),
    )
    console.print()
    for sp in plan.systems:
        console.print(
            Text.assemble(
                (f"{sp.system_name} ({sp.system_id})", "bold"),
                f": {_num(sp.cost)} (naive {_num(sp.naive_cost)}); {sp.duties} "
                f"{'duty' if sp.duties == 1 else 'duties'} in "
                f"{', '.join(sp.jurisdictions)}",
            )
        )
        grid = Table(show_header=False, show_edge=False, box=None, pad_edge=False)
        grid.add_column(no_wrap=True)
        grid.add_column(justify="right")
        grid.add_column()
        grid.add_column()
        for c in sp.controls:
            grid.add_row(
                f"    {c.control}",
                _num(c.cost),
                "in place" if c.in_place else "",
                f"{', '.join(c.jurisdictions)}: {len(c.covers)} "
                f"{'duty' if len(c.covers) == 1 else 'duties'}",
            )
        console.print(grid)
    console.print()
    console.print(
        Text(
            f"Total: {_num(plan.total_cost)} {plan.unit} for {plan.duties} duties of "
            f"{len(plan.systems)} system(s) ({systems} assessed)",
            style="bold",
        )
    )
    console.print(
        f"Naive plan (each jurisdiction on its own): {_num(plan.naive_cost)}; "
        f"saving {_saving(plan)}",
        markup=False,
    )
    if plan.naive_by_jurisdiction:
        console.print(
            "Naive cost by jurisdiction: "
            + ", ".join(f"{j} {_num(v)}" for j, v in plan.naive_by_jurisdiction.items()),
            markup=False,
        )
    if plan.uncovered:
        console.print()
        console.print(
            Text(f"Duties no control covers ({len(plan.uncovered)}):", style="bold yellow")
        )
        for u in plan.uncovered:
            console.print(
                f"  {u.system_id} {u.jurisdiction}: {u.title} [{u.rule_id}]", markup=False
            )


def plan_markdown(plan: ControlPlan, systems: int) -> str:
    lines = [
        f"# Harmonised control plan as of {plan.as_of}",
        "",
        f"Covers {_scope(plan)}; costs in {plan.unit} (rough catalogue defaults unless "
        "overridden).",
        "",
        f"- **Total: {_num(plan.total_cost)}** for {plan.duties} duties of "
        f"{len(plan.systems)} system(s) ({systems} assessed)",
        f"- Naive plan (each jurisdiction on its own): {_num(plan.naive_cost)}",
        f"- Saving: {_saving(plan)}",
        "",
    ]
    rows = [
        [
            f"{md(sp.system_name)} (`{md(sp.system_id)}`)",
            f"`{c.control}`",
            _num(c.cost) + (" (in place)" if c.in_place else ""),
            ", ".join(c.jurisdictions),
            md(", ".join(c.covers)),
        ]
        for sp in plan.systems
        for c in sp.controls
    ]
    lines += md_table(["System", "Control", "Cost", "Markets", "Duties covered"], rows)
    if plan.naive_by_jurisdiction:
        lines += ["", "## Naive plan by jurisdiction", ""]
        lines += md_table(
            ["Jurisdiction", "Cost"],
            [[j, _num(v)] for j, v in plan.naive_by_jurisdiction.items()],
        )
    if plan.uncovered:
        lines += ["", "## Duties no control covers", ""]
        lines += [
            f"- `{md(u.system_id)}` {u.jurisdiction}: {md(u.title)} (`{u.rule_id}`)"
            for u in plan.uncovered
        ]
    return "\n".join(lines)


def plan_csv(plan: ControlPlan) -> tuple[list[str], list[list[Any]]]:
    header = [
        "system_id",
        "system_name",
        "control",
        "cost",
        "in_place",
        "jurisdictions",
        "covers",
    ]
    rows: list[list[Any]] = [
        [
            sp.system_id,
            sp.system_name,
            c.control,
            _num(c.cost),
            str(c.in_place).lower(),
            " ".join(c.jurisdictions),
            " ".join(c.covers),
        ]
        for sp in plan.systems
        for c in sp.controls
    ]
    rows.append(["TOTAL", "harmonised plan", "", _num(plan.total_cost), "", "", ""])
    rows.append(["TOTAL", "naive plan", "", _num(plan.naive_cost), "", "", ""])
    return header, rows


# -- divergence ------------------------------------------------------------------------------


def _d(value: float | None) -> str:
    return "" if value is None else f"{value:.2f}"


def divergence_text(d: Divergence, console: Console) -> None:
    console.print(
        Text(f"Divergence between markets for this portfolio, as of {d.as_of}", style="bold")
    )
    console.print(
        "1 - Jaccard similarity of the (theme, control) duty features each market imposes on "
        "the systems sold in both (0 identical, 1 nothing shared, blank: no system to compare)",
        markup=False,
    )
    console.print()
    if not d.jurisdictions:
        console.print("No binding duties apply to these systems: nothing to compare.")
        return
    grid = Table(show_edge=False, pad_edge=False, header_style="bold")
    grid.add_column("")
    for j in d.jurisdictions:
        grid.add_column(j, justify="right")
    for j, row in zip(d.jurisdictions, d.matrix, strict=True):
        grid.add_row(
            j, *(_d(v) if k != j else "-" for k, v in zip(d.jurisdictions, row, strict=True))
        )
    console.print(grid)
    ranked = sorted((p for p in d.pairs if p.distance is not None), key=lambda p: -p.distance)  # type: ignore[operator]
    if ranked:
        console.print()
        console.print("Pairs by divergence (systems compared, features shared / in either):")
        for p in ranked:
            console.print(
                f"  {p.a:<10} {p.b:<10} {_d(p.distance)}  {p.systems} system(s), "
                f"{p.shared}/{p.total}",
                markup=False,
            )


def divergence_markdown(d: Divergence) -> str:
    lines = [
        f"# Divergence between markets, as of {d.as_of}",
        "",
        "1 - Jaccard similarity of the (theme, control) duty features each market imposes on "
        "the systems sold in both (0 identical, 1 nothing shared; blank: no system to compare).",
        "",
    ]
    rows = [
        [f"**{j}**", *(_d(v) if k != j else "-" for k, v in zip(d.jurisdictions, row, strict=True))]
        for j, row in zip(d.jurisdictions, d.matrix, strict=True)
    ]
    lines += md_table(["", *d.jurisdictions], rows)
    return "\n".join(lines)


def divergence_csv(d: Divergence) -> tuple[list[str], list[list[Any]]]:
    header = ["a", "b", "distance", "systems", "shared", "total"]
    rows: list[list[Any]] = [
        [p.a, p.b, _d(p.distance), p.systems, p.shared, p.total] for p in d.pairs
    ]
    return header, rows
