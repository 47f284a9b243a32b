"""`accord rules ...`: browse, lint and test rulebooks."""

from __future__ import annotations

from pathlib import Path

import typer

from accord.cli.options import Format

app = typer.Typer(help="Browse, lint and test rulebooks.", no_args_is_help=True)

RulebooksOpt = typer.Option(
    None, "--rulebooks", metavar="DIR", help="Extra rulebook folder (repeatable)."
)


@app.command("list")
def list_rules(
    instrument: str = typer.Option(
        None, "--instrument", "-i", metavar="ID", help="Only this instrument, e.g. eu-ai-act."
    ),
    kind: str = typer.Option(
        None, "--kind", metavar="KIND", help="scope, classification, prohibition or obligation."
    ),
    fmt: Format = typer.Option(Format.text, "--format", "-f", help="Output format."),
    rulebooks: list[Path] = RulebooksOpt,
) -> None:
    """List rules with their kind, citation and confidence."""
    import json

    from rich.table import Table
    from rich.text import Text

    from accord.choices import choose
    from accord.cli.console import out
    from accord.rules.loader import load_rules
    from accord.rules.model import RULE_KINDS
    from accord.sorting import natural_key

    rs = load_rules(rulebooks or [])
    if instrument:
        choose(instrument, rs.instruments, "instrument", "accord rules list")
    if kind:
        choose(kind, RULE_KINDS, "rule kind")
    rows = []
    for rid, rule in sorted(rs.rules.items(), key=lambda kv: natural_key(kv[0])):
        inst = rs.instrument_of(rid)
        if instrument and inst.id != instrument:
            continue
        if kind and rule.kind != kind:
            continue
        rows.append(
            (rid, rule.kind, rule.citation.short(inst.short_title), rule.confidence, rule.title)
        )
    if fmt is Format.json:
        print(
            json.dumps(
                [
                    dict(zip(("id", "kind", "citation", "confidence", "title"), r, strict=True))
                    for r in rows
                ],
                indent=2,
            )
        )
        return
    if fmt is Format.markdown:
        from accord.report.markdown import table, text

        header = ["id", "kind", "citation", "confidence", "title"]
        print("\n".join(table(header, [[text(str(x)) for x in r] for r in rows])))
        return
    table = Table(expand=True, header_style="bold")
    for col, ratio in (("Rule", 4), ("Kind", 2), ("Citation", 3), ("Confidence", 2)):
        table.add_column(col, ratio=ratio, overflow="fold")
    for rid, k, cite, conf, _ in rows:
        table.add_row(*(Text(x) for x in (rid, k, cite, conf)))  # data, never markup
    out.print(table)
    out.print(f"{len(rows)} rules")


@app.command("show")
def show_rule(
    rule_id: str = typer.Argument(..., metavar="RULE", help="Rule id, e.g. eu-ai-act.art5.1f"),
    rulebooks: list[Path] = RulebooksOpt,
) -> None:
    """Show one rule as stored (condition, carve-outs, dates, citation, tests), as YAML that
    can be saved and loaded again."""
    import sys

    import yaml

    from accord.report.printable import printable
    from accord.rules.docs import rule_to_data
    from accord.rules.loader import load_rules

    rs = load_rules(rulebooks or [])
    rule = rs.rule(rule_id)
    text = yaml.safe_dump(rule_to_data(rule), sort_keys=False, allow_unicode=True, width=88)
    sys.stdout.write(printable(text))  # plain YAML: never re-wrapped to the terminal width


@app.command("lint")
def lint(rulebooks: list[Path] = RulebooksOpt) -> None:
    """Validate every rulebook; exit 2 with every problem listed if any is broken."""
    from accord.cli.console import out
    from accord.rules.lint import lint_problems
    from accord.rules.loader import load_rules

    rs = load_rules(rulebooks or [])
    problems = lint_problems(rs)
    if problems:
        from accord.errors import RulebookError

        raise RulebookError(f"{len(problems)} lint problem(s)", problems)
    out.print(f"ok: {len(rs.instruments)} instruments, {len(rs.rules)} rules")


@app.command("test")
def test_rules(
    instrument: list[str] = typer.Option(
        None, "--instrument", "-i", metavar="ID", help="Only this instrument (repeatable)."
    ),
    rulebooks: list[Path] = RulebooksOpt,
) -> None:
    """Run the test cases embedded in the rules. Exit 1 if any fails."""
    from rich.text import Text

    from accord.choices import check_names
    from accord.cli.console import out
    from accord.rules.harness import collect, run
    from accord.rules.loader import load_rules

    rs = load_rules(rulebooks or [])
    check_names(instrument or [], rs.instruments, "instrument", "accord rules list")
    results = [run(c) for c in collect(rs, instrument or [])]
    failed = [r for r in results if not r.passed]
    for r in failed:
        out.print(Text.assemble(("FAIL", "red"), " ", r.message))
    out.print(f"{len(results) - len(failed)} passed, {len(failed)} failed")
    if failed:
        raise typer.Exit(1)


@app.command("changes")
def list_changes(
    since: str = typer.Option(..., "--since", metavar="DATE", help="Changes on or after DATE."),
    until: str = typer.Option(None, "--until", metavar="DATE", help="...and on or before DATE."),
    instrument: list[str] = typer.Option(
        None, "--instrument", "-i", metavar="ID", help="Only this instrument (repeatable)."
    ),
    fmt: Format = typer.Option(Format.text, "--format", "-f", help="Output format."),
    rulebooks: list[Path] = RulebooksOpt,
) -> None:
    """List the law changes recorded in the rulebooks since a date (upcoming ones included):
    what changed, when, and which rules it touches."""
    import json

    from rich.text import Text

    from accord.changes import changes
    from accord.choices import check_names
    from accord.cli.console import out
    from accord.cli.options import parse_date
    from accord.report.markdown import table, text
    from accord.rules.loader import load_rules

    rs = load_rules(rulebooks or [])
    check_names(instrument or [], rs.instruments, "instrument", "accord rules list")
    entries = changes(
        rs,
        parse_date(since, "--since"),
        parse_date(until, "--until") if until else None,
        instrument or [],
    )
    if fmt is Format.json:
        print(json.dumps([e.model_dump(mode="json") for e in entries], indent=2))
        return
    if fmt is Format.markdown:
        rows = [
            [
                str(e.date),
                e.jurisdiction,
                text(e.short_title),
                e.kind,
                text(e.title),
                text(", ".join(e.rules) or "whole instrument"),
            ]
            for e in entries
        ]
        print("\n".join(table(["date", "where", "instrument", "kind", "change", "rules"], rows)))
        return
    for e in entries:
        flag = "" if e.confidence == "confirmed" else f" [{e.confidence}]"
        out.print(
            Text.assemble(
                (f"{e.date}  ", "bold"),
                f"{e.jurisdiction} {e.short_title} ({e.kind}): {e.title}{flag}",
            )
        )
        shown = ", ".join(e.rules[:6]) + (
            f" and {len(e.rules) - 6} more" if len(e.rules) > 6 else ""
        )
        out.print(Text(f"            rules: {shown or 'the whole instrument'}", style="dim"))
    out.print(f"{len(entries)} change(s) since {since}")


@app.command("stale")
def list_stale(
    days: int = typer.Option(
        180, "--days", min=0, help="Older than this many days counts as stale."
    ),
    as_of: str = typer.Option(
        None, "--as-of", metavar="DATE", help="Count from DATE (default today)."
    ),
    rulebooks: list[Path] = RulebooksOpt,
) -> None:
    """List instruments whose last legal review is older than --days. Exit 1 if any is."""
    from rich.text import Text

    from accord.changes import stale
    from accord.cli.console import out
    from accord.cli.options import parse_date
    from accord.rules.loader import load_rules

    rs = load_rules(rulebooks or [])
    found = stale(rs, days, parse_date(as_of))
    for s in found:
        out.print(Text(f"{s.instrument}: last reviewed {s.last_reviewed} ({s.days} days ago)"))
    out.print(f"{len(found)} instrument(s) not reviewed in the last {days} days")
    if found:
        raise typer.Exit(1)
