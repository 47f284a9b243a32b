"""Rich terminal layout for an assessment: readable in 80 columns."""

from __future__ import annotations

from rich.console import Console, Group
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from accord.engine.result import Assessment, Finding, InstrumentResult
from accord.report.labels import (
    OUTCOME,
    REPORTED,
    REVIEW,
    assumption_numbers,
    control_note,
    findings_summary,
    money,
    when,
)
from accord.report.plain import PlainOut

STYLE = {"applies": "bold red", "possible": "yellow", "does_not_apply": "dim"}
KIND_STYLE = {"prohibition": "bold white on red"}


def _findings_table(
    title: str, findings: list[Finding], a: Assessment, verbose: bool, instrument: str
) -> Table:
    numbers = assumption_numbers(a)
    table = Table(title=title, title_justify="left", expand=True, header_style="bold")
    table.add_column("Rule", ratio=6, overflow="fold")
    table.add_column("Result", min_width=15, no_wrap=True)
    table.add_column("Cite", ratio=2, overflow="fold")
    for f in findings:
        name = Text(f.title)
        if f.needs_review:
            name.append(f"  [{REVIEW}]", style="magenta")
        elif f.confidence == "reported":
            name.append(f"  [{REPORTED}]", style="magenta")
        if not f.binding:
            name.append("  [non-binding]", style="cyan")
        control = control_note(f)
        if control:
            name.append(f"  ({control})", style="green" if f.controls_in_place else "red")
        if f.assumptions and f.outcome != "does_not_apply":
            refs = ", ".join(str(numbers[pid]) for pid in f.assumptions if pid in numbers)
            if refs:
                name.append(f"  [assumes {refs}]", style="cyan")
        if f.deadline and verbose:
            name.append(f"\n  deadline: {f.deadline}", style="dim")
        if f.outcome == "possible" and f.unknowns:
            if verbose:
                name.append(f"\n  depends on: {', '.join(f.unknowns)}", style="yellow")
            else:
                n = len(f.unknowns)
                name.append(f"  ({n} open fact{'s' if n != 1 else ''})", style="yellow")
        if verbose:
            name.append("\n" + "\n".join(f"  {line}" for line in f.trace), style="dim")
        result = Text(OUTCOME[f.outcome], style=STYLE[f.outcome])
        result.append(f"\n{when(f, a.as_of)}", style="default")
        table.add_row(name, result, escape(f.citation.removeprefix(f"{instrument} ")))
    return table


def _instrument(inst: InstrumentResult, a: Assessment, verbose: bool, show_all: bool) -> Panel:
    parts: list = []
    head = Text()
    head.append(f"{inst.law_version}\n", style="dim")
    head.append("In scope: ")
    head.append(OUTCOME[inst.in_scope], style=STYLE[inst.in_scope])
    if not inst.binding:
        head.append("   (non-binding framework)", style="cyan")
    if inst.status not in ("in_force", "enacted"):
        head.append(f"   status on {a.as_of}: {inst.status}", style="magenta")
    if inst.confidence != "confirmed":
        label = REVIEW if inst.confidence == "unverified" else REPORTED
        head.append(f"   (instrument sources: {label})", style="magenta")
    for x in inst.caveats:
        tag = (
            ""
            if x.confidence == "confirmed"
            else f" [{REVIEW if x.confidence == 'unverified' else REPORTED}]"
        )
        head.append(f"\nCaution: {x.text}{tag}", style="magenta")
    parts.append(head)
    if inst.in_scope != "applies" and inst.scope_trace:
        parts.append(Text("\n".join(inst.scope_trace), style="dim"))
    for title, shown in inst.sections(show_all):
        parts.append(_findings_table(title, shown, a, verbose, inst.short_title))
    if inst.penalties:
        pen = Table(
            title="Maximum penalty exposure (statutory maxima per infringement)",
            title_justify="left",
            expand=True,
            header_style="bold",
        )
        pen.add_column("Tier", ratio=4, overflow="fold")
        pen.add_column("Maximum", ratio=2)
        pen.add_column("How", ratio=4, overflow="fold")
        for p in inst.penalties:
            label = p.title + ("" if p.definite else " (if possible findings hold)")
            if p.needs_review:
                label += f" [{REVIEW}]"
            pen.add_row(
                escape(f"{label} - {p.citation}"),
                money(p.max_amount, p.currency, p.formula),
                escape(p.formula),
            )
        parts.append(pen)
    if inst.needs_review:
        parts.append(
            Text(
                f"{len(inst.needs_review)} finding(s) rest on unverified sources and {REVIEW}.",
                style="magenta",
            )
        )
    title = f"[bold]{escape(inst.short_title)}[/] [dim]({inst.jurisdiction})[/]"
    return Panel(Group(*parts), title=title, title_align="left")


def render_verdict(a: Assessment, console: Console) -> None:
    """The answer first: one line per instrument that binds something, then one line for
    those in scope with nothing binding and one for those out of scope."""
    out = PlainOut(console, highlight=("PROHIBITED",))
    out.heading("Verdict")
    lines = [v for v in a.verdict if v.in_scope != "does_not_apply"]
    active = [v for v in lines if not v.settled_nothing_binding]
    idle = [v for v in lines if v.settled_nothing_binding]
    skipped = [v for v in a.verdict if v.in_scope == "does_not_apply"]
    width = max((len(v.jurisdiction) for v in active), default=2) + 2
    for v in active:
        lead = f"  {v.jurisdiction.ljust(width)}"
        out.para(f"{lead}{v.short_title}: {v.text}", hang=" " * (len(lead) + 2))
    if not active:
        out.para("  Nothing binding applies to this system in the selected jurisdictions.")
    if idle:
        names = ", ".join(f"{v.short_title} ({v.jurisdiction})" for v in idle)
        out.para(f"  In scope, nothing binding: {names}", hang="    ", style="dim")
    if skipped:
        out.para(
            f"  Not in scope: {len(skipped)} instrument{'s' if len(skipped) != 1 else ''} "
            f"({', '.join(sorted({v.jurisdiction for v in skipped}))})",
            hang="    ",
            style="dim",
        )
    findings = findings_summary(a)
    if findings:
        out.para(f"  Findings: {findings}", hang="    ", style="bold")
    out.line()


def render(
    a: Assessment,
    console: Console,
    verbose: bool = False,
    show_all: bool = False,
    questions: int = 5,
) -> None:
    console.print(
        f"[bold]{escape(a.profile_name)}[/] ({escape(a.profile_id)}) "
        f"assessed as of [bold]{a.as_of}[/]"
        + (f"; scenarios: {', '.join(a.scenarios)}" if a.scenarios else "")
    )
    render_verdict(a, console)
    relevant = [
        i
        for i in a.instruments
        if i.in_scope != "does_not_apply" and (show_all or not i.binds_nothing)
    ]
    skipped = [i for i in a.instruments if i.in_scope == "does_not_apply"]
    for inst in relevant:
        console.print(_instrument(inst, a, verbose, show_all))
    if show_all:
        for inst in skipped:
            console.print(_instrument(inst, a, verbose, show_all))
    if skipped and not show_all:
        names = ", ".join(f"{i.short_title} ({i.jurisdiction})" for i in skipped)
        console.print(f"[dim]Not in scope: {escape(names)} (--all shows why)[/]")
    if a.assumptions:
        console.print(
            "[bold]Assumptions[/] (presumed where the profile is silent; answer the named "
            "fields if one is wrong):"
        )
        grid = Table.grid(padding=(0, 1))
        grid.add_column(width=3, justify="right")
        grid.add_column(ratio=1)
        for n, x in enumerate(a.assumptions, 1):
            text = Text(f"Assuming {x.assumption}")
            if x.citation:
                text.append(f" ({x.citation})")
            text.append(f"\n{x.reason}", style="dim")
            rebut = ", ".join(x.rebut) or "the facts behind it"
            text.append(f"\nanswer {rebut}; {len(x.findings)} finding(s) rest on it", style="dim")
            grid.add_row(f"{n}.", text)
        console.print(grid)
    elif a.strict:
        console.print("[dim]Strict mode: no presumptions taken.[/]")
    if a.open_questions:
        console.print("[bold]Open questions[/] (answering these would settle possible outcomes):")
        grid = Table.grid(padding=(0, 1))
        grid.add_column(width=3, justify="right")
        grid.add_column(ratio=1)
        for q in a.open_questions[:questions]:
            text = Text(q.question)
            text.append(f"\n{q.field}; settles {len(q.settles)} rule(s)", style="dim")
            grid.add_row("-", text)
        console.print(grid)
        if len(a.open_questions) > questions:
            console.print(
                f"  [dim]... and {len(a.open_questions) - questions} more "
                "(accord init --from PROFILE asks them)[/]"
            )
