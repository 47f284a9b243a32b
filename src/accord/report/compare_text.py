"""Terminal layout of a comparison: a compact symbol matrix that fits 80 columns.

Full duty titles do not fit a theme × market grid in a terminal, so each cell is one symbol
plus a count or month, with a legend; wide matrices are split into blocks of columns rather
than wrapped, so rows stay aligned. `--verbose` adds the duties behind every cell.
"""

from __future__ import annotations

from rich.console import Console
from rich.text import Text

from accord.compare.matrix import Cell, Comparison, Duty
from accord.report.labels import REVIEW, money
from accord.report.plain import PlainOut

LABEL_WIDTH = 22
CELL_WIDTH = 10
GAP = 1
SHORT_THEME = {
    "accuracy-robustness-security": "accuracy & security",
    "cooperation-with-authorities": "authority cooperation",
}
STYLE = {"applicable": "bold red", "upcoming": "yellow", "possible": "cyan", "none": "dim"}
LEGEND_LINES = (
    "Legend: ● n applicable now (n duties)   ◐ YYYY-MM upcoming (earliest date)",
    "        ? n possible (depends on unknown facts)   · none",
    "        * non-binding duties only   ! a duty needs legal review",
)
LEGEND_ITEMS = (
    ("● n", "applicable now (n duties)"),
    ("◐ YYYY-MM", "upcoming (earliest date)"),
    ("? n", "possible (depends on unknown facts)"),
    ("·", "none"),
    ("*", "non-binding duties only"),
    ("!", "a duty needs legal review"),
)


def cell_symbol(cell: Cell) -> str:
    """The compact symbol shown in the matrix (also used by the Markdown renderer)."""
    if cell.state == "applicable":
        text = f"● {len(cell.duties)}"
    elif cell.state == "upcoming":
        text = f"◐ {cell.earliest:%Y-%m}" if cell.earliest else f"◐ {len(cell.duties)}"
    elif cell.state == "possible":
        text = f"? {len(cell.duties)}"
    else:
        text = "·"
    if cell.state != "none" and not cell.binding:
        text += "*"
    return text + ("!" if cell.needs_review else "")


def theme_label(theme: str, width: int = LABEL_WIDTH) -> str:
    label = SHORT_THEME.get(theme, theme)
    return label if len(label) <= width else label[: width - 1] + "…"


def duty_when(d: Duty) -> str:
    if d.applies_from is None:
        return "now" if d.status == "applicable" else "upcoming"
    return f"since {d.applies_from}" if d.status == "applicable" else f"from {d.applies_from}"


def _matrix(c: Comparison, out: PlainOut) -> None:
    codes = [col.jurisdiction for col in c.columns]
    width = max(
        [
            CELL_WIDTH - 1,
            *map(len, codes),
            *(len(cell_symbol(cell)) for row in c.rows for cell in row.cells),
        ]
    )
    per_block = max(1, (out.width - LABEL_WIDTH) // (width + GAP))
    blocks = [
        list(range(i, min(i + per_block, len(codes)))) for i in range(0, len(codes), per_block)
    ]
    for n, block in enumerate(blocks):
        if len(blocks) > 1:
            out.line(Text(f"Columns {block[0] + 1}-{block[-1] + 1} of {len(codes)}", style="dim"))
        head = Text("Theme".ljust(LABEL_WIDTH), style="bold")
        for i in block:
            head.append(" " * GAP + codes[i].ljust(width), style="bold")
        head.rstrip()
        out.line(head)
        for row in c.rows:
            line = Text(theme_label(row.theme).ljust(LABEL_WIDTH))
            for i in block:
                cell = row.cells[i]
                line.append(" " * GAP)
                line.append(cell_symbol(cell).ljust(width), style=STYLE[cell.state])
            line.rstrip()
            out.line(line)
        if n < len(blocks) - 1:
            out.line()


def _duties(c: Comparison, out: PlainOut) -> None:
    out.heading("Duties by theme")
    for row in c.rows:
        cells = [cell for cell in row.cells if cell.duties]
        if not cells:
            continue
        out.line(Text(row.theme, style="bold"))
        for cell in cells:
            out.line(f"  {cell.jurisdiction}")
            for d in cell.duties:
                flags = "" if d.binding else " [non-binding]"
                if d.needs_review:
                    flags += f" [{REVIEW}]"
                mark = {"applies": "●" if d.status == "applicable" else "◐"}.get(d.outcome, "?")
                out.para(f"{mark} {d.title} ({d.citation}; {duty_when(d)}){flags}", indent="    ")


def _differences(c: Comparison, out: PlainOut, limit: int) -> None:
    d = c.differences
    out.heading("Differences")
    out.line(Text("Themes with binding duties in some markets only", style="bold"))
    if not d.themes_in_some_markets:
        out.para(
            "None: every theme is either regulated in all compared markets or in none.", indent="  "
        )
    for gap in d.themes_in_some_markets:
        soft = f"; voluntary only in {', '.join(gap.voluntary_only)}" if gap.voluntary_only else ""
        none = f"; none in {', '.join(gap.without_duties)}" if gap.without_duties else ""
        out.para(f"{gap.theme}: {', '.join(gap.with_duties)}{soft}{none}", indent="  ")
    out.line()
    out.line(Text("Upcoming deadlines (earliest first)", style="bold"))
    if not d.upcoming_deadlines:
        out.para("No duty starts later than the assessment date.", indent="  ")
    for dl in d.upcoming_deadlines[:limit]:
        n = len(dl.rule_ids)
        what = f"{n} dut{'y' if n == 1 else 'ies'} ({', '.join(dl.themes)})"
        tail = ", possible only" if dl.possible_only else ""
        tail += f" [{REVIEW}]" if dl.needs_review else ""
        out.para(f"{dl.date}  {dl.jurisdiction} {dl.instrument_id}: {what}{tail}", indent="  ")
    if len(d.upcoming_deadlines) > limit:
        out.para(
            f"... and {len(d.upcoming_deadlines) - limit} more (see --format json)",
            indent="  ",
            style="dim",
        )
    out.line()
    out.line(Text("Highest maximum penalty per jurisdiction", style="bold"))
    out.para(d.currency_note, indent="  ", hang="", style="dim")
    for e in d.max_exposure:
        if e.max_amount is None:
            text = f"{e.jurisdiction}: no fixed maximum in the rulebooks"
        else:
            text = (
                f"{e.jurisdiction}: {money(e.max_amount, e.currency, e.formula or '')}"
                + ("" if e.definite else " if possible findings hold")
                + f" - {e.penalty} ({e.citation})"
            )
            if e.needs_review:
                text += f" [{REVIEW}]"
        if e.undetermined:
            text += "; also " + "; ".join(e.undetermined)
        out.para(text, indent="  ")
    out.line()
    out.line(Text("Prohibited practices", style="bold"))
    if not d.prohibitions:
        out.para("No prohibition applies or may apply in the compared markets.", indent="  ")
    for p in d.prohibitions:
        result = "applies" if p.outcome == "applies" else "possible"
        when = ""
        if p.applies_from:
            when = f"; {'since' if p.status == 'applicable' else 'from'} {p.applies_from}"
        flag = f" [{REVIEW}]" if p.needs_review else ""
        ban = " [duty not to]" if p.kind == "conduct_ban" else ""
        out.para(
            f"{p.jurisdiction}: {p.title} ({p.citation}) - {result}{when}{ban}{flag}", indent="  "
        )


def render(c: Comparison, console: Console, verbose: bool = False, limit: int = 8) -> None:
    out = PlainOut(console)
    out.para(f"{c.profile_name} ({c.profile_id}) compared as of {c.as_of}", style="bold")
    out.para(
        f"Markets: {', '.join(c.markets) or 'unknown (all instruments that may apply)'}"
        + (f"; scenarios: {', '.join(c.scenarios)}" if c.scenarios else "")
        + (f"; frameworks: {', '.join(c.frameworks)}" if c.frameworks else "")
    )
    out.heading("Jurisdictions")
    for col in c.columns:
        insts = "; ".join(
            f"{i.short_title} [{i.id}]"
            + (" (possibly in scope)" if i.in_scope == "possible" else "")
            for i in col.instruments
        )
        out.para(f"{col.jurisdiction.ljust(9)} {insts}", indent="  ", hang="          ")
    if c.in_scope_without_duties:
        out.para(
            "In scope but no duties for this system: "
            + "; ".join(f"{x.short_title} ({x.jurisdiction})" for x in c.in_scope_without_duties),
            indent="  ",
            style="dim",
        )
    if c.not_in_scope:
        out.para(
            "Not in scope: "
            + "; ".join(f"{x.short_title} ({x.jurisdiction}, {x.status})" for x in c.not_in_scope),
            indent="  ",
            style="dim",
        )
    out.heading("Matrix")
    if not c.columns:
        out.para("No instrument in the compared markets holds a duty for this system.")
    else:
        for line in LEGEND_LINES:
            out.line(Text(line, style="dim"))
        out.line()
        _matrix(c, out)
    if verbose:
        _duties(c, out)
    _differences(c, out, limit)
    if not verbose and c.columns:
        out.line()
        out.para(
            "Run with --verbose for the duties behind each cell, or --format markdown.", style="dim"
        )
