"""`accord registry ...`, `accord history`, `accord evidence ...`, `accord log verify`.

The registry keeps every imported profile as an immutable version, evidence as append-only
records, and every write as a hash-chained event. Only option parsing and presentation live
here; the database work is `accord.registry` (SQLAlchemy is imported inside the commands, so
`accord --help` stays fast).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from accord.cli.options import Format

if TYPE_CHECKING:
    from accord.registry.store import Registry

app = typer.Typer(
    help="The registry: versioned systems in a database (SQLite or PostgreSQL).",
    no_args_is_help=True,
)
evidence_app = typer.Typer(
    help="Evidence records: files or links that show a control was carried out.",
    no_args_is_help=True,
)
log_app = typer.Typer(help="The registry's tamper-evident event log.", no_args_is_help=True)

DB = typer.Option(
    None,
    "--db",
    metavar="URL",
    help="Registry database, e.g. sqlite:///reg.db or postgresql+psycopg://user@host:5432/db "
    "(default: $ACCORD_DB, then `db` in accord.toml, then sqlite:///.accord/registry.db).",
)
FORMAT = typer.Option(Format.text, "--format", "-f", help="Output format.")


def _url(ctx: typer.Context, db: str | None) -> str:
    """--db, ACCORD_DB, the config named by the root --config (or found upwards), default."""
    from accord.registry.url import resolve_url

    config = ctx.find_root().params.get("config")
    return resolve_url(db, Path(config) if config else None)


def _open(ctx: typer.Context, db: str | None, create: bool = False):  # type: ignore[no-untyped-def]
    from accord.registry.store import open_registry

    return open_registry(_url(ctx, db), create=create)


def _print_json(value: Any) -> None:
    print(json.dumps(value, indent=2, ensure_ascii=False))


def _say(text: str) -> str:
    """Print one line as is (no markup, no wrapping; control characters escaped)."""
    from accord.cli.console import out

    out.print(text, markup=False, highlight=False, soft_wrap=True)
    return text


def _table(fmt: Format, header: list[str], rows: list[list[str]]) -> None:
    """Text (aligned columns, never wrapped, so they grep well) or a Markdown table."""
    if fmt is Format.markdown:
        from accord.report.markdown import table, text

        print("\n".join(table(header, [[text(c) for c in r] for r in rows])))
        return
    widths = [max(len(x) for x in col) for col in zip(header, *rows, strict=True)]
    for r in [header, *rows]:
        _say("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip())


# -- registry import / list / owner ---------------------------------------------------------


@app.command("import")
def import_command(
    ctx: typer.Context,
    paths: list[Path] = typer.Argument(
        ..., metavar="PATH...", help="Profile files or folders of them.", show_default=False
    ),
    author: str = typer.Option(
        None, "--author", metavar="NAME", help="Who (default: git user.name, else $USER)."
    ),
    message: str = typer.Option(None, "--message", "-m", metavar="TEXT", help="Why it changed."),
    owner: str = typer.Option(
        None, "--owner", metavar="NAME", help="Set the owner of every imported system."
    ),
    db: str = DB,
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No warnings on standard error."),
) -> None:
    """Import profiles: a new or changed profile becomes a new immutable version of its system
    (author, time, message); an unchanged one adds nothing.

    Every file is validated before anything is written, and the whole import is one
    transaction: a bad file writes nothing. Exit codes: 0 ok; 2 bad input.
    """
    from accord.cli.console import err
    from accord.registry.store import default_author, prepare

    prepared = prepare(paths)
    for p in [] if quiet else prepared:
        for w in p.warnings:
            err.print(f"warning: {p.path}: {w}", markup=False)
    with _open(ctx, db, create=True) as reg:
        results = reg.import_prepared(prepared, author or default_author(), message, owner)
        where = reg.where
    counts: dict[str, int] = {}
    for r in results:
        counts[r.status] = counts.get(r.status, 0) + 1
        shown = f"version {r.number}" if r.status != "unchanged" else f"still version {r.number}"
        _say(f"{r.system_id}: {r.status} ({shown})")
    summary = ", ".join(f"{n} {s}" for s, n in sorted(counts.items()))
    _say(f"{len(results)} profile(s) imported into {where}: {summary}")


@app.command("list")
def list_command(ctx: typer.Context, db: str = DB, fmt: Format = FORMAT) -> None:
    """Systems in the registry: latest version, owner, when last updated."""
    with _open(ctx, db) as reg:
        systems = reg.list_systems()
    if fmt is Format.json:
        _print_json([s.__dict__ for s in systems])
        return
    _table(
        fmt,
        ["system", "name", "version", "owner", "updated"],
        [[s.id, s.name, str(s.latest), s.owner or "-", s.updated[:19] + "Z"] for s in systems],
    )


@app.command("owner")
def owner_command(
    ctx: typer.Context,
    system: str = typer.Argument(..., metavar="SYSTEM", help="System id.", show_default=False),
    owner: str = typer.Argument(..., metavar="OWNER", help="New owner.", show_default=False),
    author: str = typer.Option(None, "--author", metavar="NAME", help="Who makes the change."),
    db: str = DB,
) -> None:
    """Set who owns a system (recorded in the event log)."""

    from accord.registry.store import default_author

    with _open(ctx, db) as reg:
        changed = reg.set_owner(system, owner, author or default_author())
    _say(f"{system}: owner {owner}" + ("" if changed else " (unchanged)"))


# -- history ---------------------------------------------------------------------------------


def history_command(
    ctx: typer.Context,
    system: str = typer.Argument(..., metavar="SYSTEM", help="System id.", show_default=False),
    db: str = DB,
    as_of: str = typer.Option(
        None, "--as-of", metavar="DATE", help="Date the legal changes are judged on; default today."
    ),
    fmt: Format = FORMAT,
) -> None:
    """Every version of a system with author, time and message: which facts changed from the
    version before, and what that changes legally on the date (duties gained or removed,
    classes, dates, exposure), as `accord diff` shows for any two versions."""
    from accord.cli.diff import fact_line, legal_lines
    from accord.cli.options import parse_date
    from accord.engine.batch import assess_many
    from accord.legaldiff import fact_diff, legal_diff
    from accord.profile.loader import profile_from_dict

    day = parse_date(as_of)
    with _open(ctx, db) as reg:
        found = reg.versions(system)
    profiles = [profile_from_dict(v.data()) for v in found]
    assessments = assess_many(profiles, day)
    entries = []
    for i, v in enumerate(found):
        if i == 0:
            entries.append((v, [], None))
            continue
        facts = fact_diff(profiles[i - 1], profiles[i])
        entries.append((v, facts, legal_diff(assessments[i - 1], assessments[i])))
    if fmt is Format.json:
        _print_json(
            [
                {
                    "system": v.system_id,
                    "version": v.number,
                    "sha256": v.sha256,
                    "author": v.author,
                    "created_at": v.created_at.isoformat(),
                    "message": v.message,
                    "changes": [c.model_dump(mode="json") for c in facts],
                    "legal": legal.model_dump(mode="json") if legal is not None else None,
                }
                for v, facts, legal in entries
            ]
        )
        return
    lines = []
    md = fmt is Format.markdown
    for v, facts, legal in reversed(entries):  # newest first, like git log
        head = (
            f"version {v.number}  {v.created_at:%Y-%m-%d %H:%M:%S}Z  {v.author}"
            f"  {v.message or '(no message)'}"
        )
        lines.append(f"## {head}" if md else head)
        if legal is None:
            lines.append("  first version")
        for c in facts:
            lines.append(f"- `{fact_line(c)}`" if md else f"  {fact_line(c)}")
        if legal is not None:
            lines.append(f"Legal changes as of {day}:" if md else f"  legal changes as of {day}:")
            lines += legal_lines(legal, md, "  - " if md else "    ", "    - " if md else "      ")
        lines.append("")

    _say("\n".join(lines).rstrip())


# -- evidence --------------------------------------------------------------------------------


@evidence_app.command("add")
def evidence_add(
    ctx: typer.Context,
    system: str = typer.Argument(..., metavar="SYSTEM", help="System id.", show_default=False),
    control: str = typer.Option(
        None,
        "--control",
        metavar="ID",
        help="Control it evidences (`accord vocab controls`); an audit result: bias-audit.",
    ),
    covers: list[str] = typer.Option(
        None, "--covers", metavar="RULE_ID", help="Rule it covers (repeatable; default: all)."
    ),
    file: Path = typer.Option(None, "--file", metavar="PATH", help="Evidence file (hashed)."),
    url: str = typer.Option(None, "--url", metavar="URL", help="Evidence link (not fetched)."),
    date: str = typer.Option(
        None, "--date", metavar="DATE", help="When performed (default: audit date, else today)."
    ),
    valid_until: str = typer.Option(
        None, "--valid-until", metavar="DATE", help="Last day it counts (audit: +1 year)."
    ),
    owner: str = typer.Option(None, "--owner", metavar="NAME", help="Who is responsible."),
    note: str = typer.Option(None, "--note", metavar="TEXT", help="Free text."),
    replaces: int = typer.Option(
        None, "--replaces", metavar="ID", help="Correct an earlier record (it stops counting)."
    ),
    author: str = typer.Option(None, "--author", metavar="NAME", help="Who adds it."),
    db: str = DB,
) -> None:
    """Add an evidence record (append-only: a correction is a new record with --replaces).

    A file's SHA-256 is stored so `accord evidence verify` can tell if it changes. A result
    written by `accord audit bias -o` is recognised: its audit date is the date and its
    validity (one year) the valid-until, and the control is bias-audit.
    """
    import datetime as dt

    from accord.cli.options import parse_date
    from accord.registry.evidence import prepare_evidence
    from accord.registry.store import default_author

    with _open(ctx, db) as reg:
        reg.require(system)
        new = prepare_evidence(
            system,
            control,
            covers or [],
            file,
            url,
            parse_date(date, "--date") if date else None,
            parse_date(valid_until, "--valid-until") if valid_until else None,
            owner,
            note,
            dt.date.today(),
        )
        rid = reg.add_evidence(new.record, new.kind, replaces, author or default_author())
    rec = new.record
    extra = f" ({new.recognised})" if new.recognised else ""
    until = f", valid until {rec.valid_until}" if rec.valid_until else ""
    _say(f"evidence {rid} for {system}: {rec.control}, {rec.date}{until}{extra}")


@evidence_app.command("list")
def evidence_list(
    ctx: typer.Context,
    system: str = typer.Argument(None, metavar="[SYSTEM]", help="Only this system."),
    all_: bool = typer.Option(False, "--all", help="Include records replaced by a correction."),
    db: str = DB,
    fmt: Format = FORMAT,
) -> None:
    """Evidence records, oldest first."""
    with _open(ctx, db) as reg:
        records = reg.evidence(system, include_replaced=all_)
    if fmt is Format.json:
        _print_json([r.model_dump(mode="json") for r in records])
        return
    _table(
        fmt,
        ["id", "system", "control", "date", "valid until", "owner", "location", "sha256"],
        [
            [
                r.id or "",
                r.system_id,
                r.control,
                str(r.date),
                str(r.valid_until or "-"),
                r.owner or "-",
                r.location,
                (r.sha256 or "-")[:12],
            ]
            for r in records
        ],
    )


@evidence_app.command("verify")
def evidence_verify(
    ctx: typer.Context,
    system: str = typer.Argument(None, metavar="[SYSTEM]", help="Only this system."),
    db: str = DB,
) -> None:
    """Re-hash every evidence file and report those changed or missing since they were added.

    Exit codes: 0 all files unchanged; 1 some changed or missing; 2 bad input.
    """

    from accord.registry.evidence import verify_files

    with _open(ctx, db) as reg:
        checks = verify_files(reg.evidence(system))
    bad = [c for c in checks if c.status in ("changed", "missing")]
    for c in bad:
        _say(
            f"{c.status}: evidence {c.record.id} of {c.record.system_id} ({c.record.control}): "
            f"{c.record.location}",
        )
    files = sum(c.status != "url" for c in checks)
    links = len(checks) - files
    _say(
        f"{files - len(bad)} of {files} file(s) unchanged, {len(bad)} changed or missing; "
        f"{links} link(s) not checked",
    )
    if bad:
        raise typer.Exit(1)


# -- log -------------------------------------------------------------------------------------


@log_app.command("verify")
def log_verify(
    ctx: typer.Context,
    db: str = DB,
    head: str = typer.Option(
        None,
        "--head",
        metavar="HASH",
        help="Also require the chain to pass through this hash, recorded earlier (catches "
        "a rewrite of the whole log).",
    ),
) -> None:
    """Recompute the hash chain of the event log and check every version and evidence row
    against its event: an edited, inserted or deleted row or event is reported with the first
    broken sequence number.

    Exit codes: 0 verified; 1 the log or the data was tampered with; 2 bad input.
    """
    from accord.cli.console import err

    with _open(ctx, db) as reg:
        report = reg.verify_log()
        known = _hashes(reg) if head else set()
    if report.breaks:
        first = report.breaks[0]
        err.print(f"log broken at event #{first.seq}: {first.reason}", markup=False)
        for b in report.breaks[1:6]:
            err.print(f"  also #{b.seq}: {b.reason}", markup=False)
        raise typer.Exit(1)
    if head and head.lower() not in known:
        err.print(f"log broken: no event has hash {head} (the log was rewritten)", markup=False)
        raise typer.Exit(1)
    _say(f"{report.events} events verified; head {report.head}")


def _hashes(reg: Registry) -> set[str]:
    from sqlalchemy import select

    from accord.registry.models import EventRow

    with reg._read() as s:
        return set(s.scalars(select(EventRow.hash)))
