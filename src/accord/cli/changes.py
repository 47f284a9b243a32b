"""`accord changes`: which of your systems a recorded law change touches."""

from __future__ import annotations

from pathlib import Path

import typer

from accord.cli import params
from accord.cli.options import Format


def changes_command(
    profiles: list[Path] = typer.Argument(
        ..., metavar="PROFILE...", help="Profile files or folders of them.", show_default=False
    ),
    since: str = typer.Option(..., "--since", metavar="DATE", help="Changes on or after DATE."),
    until: str = typer.Option(None, "--until", metavar="DATE", help="...and on or before DATE."),
    fmt: Format = params.FORMAT,
    rulebooks: list[Path] = params.RULEBOOKS,
    exit_zero: bool = typer.Option(
        False, "--exit-zero", help="Exit 0 even when a change touches a system."
    ),
    quiet: bool = params.QUIET,
) -> None:
    """For each recorded law change since DATE, the systems whose result it alters: the rules
    whose outcome or status differs between the day before the change and its day.

    Exit codes: 0 no system touched; 1 some system touched; 2 bad input.
    """
    import json

    from rich.text import Text

    from accord.changes import changes, impacts
    from accord.cli.console import out
    from accord.cli.options import load_checked_rules, load_profile_with_evidence, parse_date

    files: list[Path] = []
    for p in profiles:
        files += sorted(p.glob("*.yaml")) if p.is_dir() else [p]
    systems = [load_profile_with_evidence(f, quiet) for f in files]
    rs = load_checked_rules(rulebooks, quiet)
    entries = changes(
        rs, parse_date(since, "--since"), parse_date(until, "--until") if until else None
    )
    found = impacts(systems, rs, entries)
    if fmt is Format.json:
        print(json.dumps([i.model_dump(mode="json") for i in found], indent=2))
    elif fmt is Format.markdown:
        from accord.report.markdown import table, text

        rows = [
            [
                text(i.profile_id),
                str(i.change.date),
                text(i.change.short_title),
                text(i.change.title),
                text("; ".join(f"{d.rule_id}: {d.before} -> {d.after}" for d in i.deltas)),
            ]
            for i in found
        ]
        print("\n".join(table(["system", "date", "instrument", "change", "rules"], rows)))
    else:
        for i in found:
            out.print(
                Text.assemble(
                    (f"{i.profile_name} ({i.profile_id})", "bold"),
                    f": {i.change.date} {i.change.short_title}: {i.change.title}",
                )
            )
            for d in i.deltas:
                out.print(Text(f"    {d.title} [{d.rule_id}]: {d.before} -> {d.after}"))
        out.print(
            f"{len(found)} change(s) touch {len({i.profile_id for i in found})} of "
            f"{len(systems)} system(s); {len(entries)} change(s) recorded since {since}"
        )
    if found and not exit_zero:
        raise typer.Exit(1)
