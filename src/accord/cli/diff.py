"""`accord diff A B`: what changed in the facts between two profiles, and what that changes
legally."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from accord.cli import params
from accord.cli.options import Format

if TYPE_CHECKING:
    from rich.console import Console

    from accord.legaldiff import FactChange, FindingChange, LegalDiff
    from accord.profile.model import Profile

_VERSION = re.compile(r"^(?P<id>[a-z0-9][a-z0-9._-]*)@(?P<n>\d+)$")


def diff_command(
    ctx: typer.Context,
    before: str = typer.Argument(
        ...,
        metavar="A",
        help="Profile file, or SYSTEM@N: version N in the registry.",
        show_default=False,
    ),
    after: str = typer.Argument(
        ..., metavar="B", help="Profile file, or SYSTEM@N.", show_default=False
    ),
    as_of: str = params.AS_OF,
    jurisdiction: list[str] = params.JURISDICTION,
    fmt: Format = params.FORMAT,
    output: Path = params.OUTPUT,
    db: str = typer.Option(
        None,
        "--db",
        metavar="URL",
        help="Registry database for SYSTEM@N (default: ACCORD_DB, config `db`, "
        ".accord/registry.db).",
    ),
    rulebooks: list[Path] = params.RULEBOOKS,
    exit_zero: bool = typer.Option(
        False, "--exit-zero", help="Exit 0 even when the law's answer changes."
    ),
    quiet: bool = params.QUIET,
) -> None:
    """Compare A and B: first the facts (field by field; lists of codes as sets), then what
    that changes legally, both assessed on the same date: per instrument, scope, classes,
    prohibitions, duties gained or removed, duties whose status or dates moved, and penalty
    exposure. Useful in CI: "does this change our obligations?"

    Exit codes: 0 no legal change; 1 a legal change; 2 bad input.
    """
    from accord.cli.options import load_checked_rules, parse_date, parse_jurisdictions
    from accord.cli.report_out import check_output, deliver
    from accord.engine.batch import assess_many
    from accord.legaldiff import fact_diff, legal_diff

    files = [Path(x) for x in (before, after) if not _VERSION.match(x)]
    check_output(output, files)
    date = parse_date(as_of)
    codes = parse_jurisdictions(jurisdiction)
    from accord.cli.systems import config_path

    config = config_path(ctx)
    a = _load(before, db, config, quiet)
    b = _load(after, db, config, quiet)
    rs = load_checked_rules(rulebooks, quiet)
    left, right = assess_many([a, b], date, ruleset=rs, jurisdictions=codes, lean=True)
    facts = fact_diff(a, b)
    legal = legal_diff(left, right)

    def render(console: Console) -> str | None:
        if fmt is Format.json:
            import json

            doc: dict[str, Any] = {
                "schema_version": legal.schema_version,
                "before": before,
                "after": after,
                "as_of": str(date),
                "facts": [c.model_dump(mode="json") for c in facts],
                "legal": legal.model_dump(mode="json"),
            }
            return json.dumps(doc, indent=2)
        lines = render_lines(
            before, after, date.isoformat(), facts, legal, markdown=fmt is Format.markdown
        )
        if fmt is Format.markdown:
            return "\n".join(lines)
        import textwrap

        from rich.text import Text

        for line in lines:
            indent = " " * (len(line) - len(line.lstrip()) + 4)
            for part in textwrap.wrap(
                line,
                console.width,
                subsequent_indent=indent,
                break_on_hyphens=False,
                break_long_words=False,
            ) or [""]:
                console.print(Text(part))
        return None

    deliver(render, output, files)
    if legal.changed and not exit_zero:
        raise typer.Exit(1)


def _load(ref: str, db: str | None, config: Path | None, quiet: bool) -> Profile:
    """A profile file, or SYSTEM@N from the registry; anything else is an input error."""
    from accord.cli.options import load_profile_with_evidence
    from accord.errors import InputError

    path = Path(ref)
    if path.exists():
        return load_profile_with_evidence(path, quiet)
    m = _VERSION.match(ref)
    if m is None:
        raise InputError(
            f"{ref}: no such profile file, and not SYSTEM@VERSION (e.g. cv-screener@2)"
        )
    from accord import registry

    url = registry.resolve_url(db, config)
    return registry.profile_at(url, m.group("id"), int(m.group("n")))


def _value(v: Any) -> str:
    import json

    return v if isinstance(v, str) else json.dumps(v, ensure_ascii=False, default=str)


def fact_line(c: FactChange) -> str:
    if c.change == "added":
        return f"{c.path}: + {_value(c.new)}"
    if c.change == "removed":
        return f"{c.path}: - {_value(c.old)}"
    return f"{c.path}: {_value(c.old)} -> {_value(c.new)}"


def _finding_line(kind: str, c: FindingChange) -> str:
    """`+ duty gained: ...`, `- class lost: ...`, `~ duty moved: ... -> ...`."""
    name = c.label if kind == "class" and c.label else c.title
    head = f"{name} [{c.rule_id}]" + ("" if c.binding else " (not binding)")
    if c.change == "gained" and c.after is not None:
        return f"+ {kind} gained: {head}: {c.after.words()}"
    if c.change == "lost" and c.before is not None:
        return (
            f"- {kind} {'removed' if kind == 'duty' else 'lost'}: {head} (was: {c.before.words()})"
        )
    assert c.before is not None and c.after is not None
    return f"~ {kind} moved: {head}: {c.before.words()} -> {c.after.words()}"


_SCOPE = {"applies": "in scope", "does_not_apply": "not in scope", "possible": "possibly in scope"}


def _money(amount: float | None, currency: str | None) -> str:
    return "none" if amount is None else f"{currency or ''} {amount:,.0f}".strip()


def render_lines(
    before: str,
    after: str,
    as_of: str,
    facts: list[FactChange],
    legal: LegalDiff,
    markdown: bool = False,
) -> list[str]:
    """The report as lines: plain text, or Markdown (headings, escaped data, bullet lists)."""
    from accord.report.markdown import text as md

    esc = md if markdown else (lambda s: s)
    h1, h2, bullet, sub = ("# ", "## ", "- ", "  - ") if markdown else ("", "", "  ", "    ")
    lines = [f"{h1}{esc(before)} -> {esc(after)}", ""]
    lines.append(f"{h2}Facts: {len(facts)} change(s)" if facts else f"{h2}Facts: no change")
    lines += [f"{bullet}{esc(fact_line(c))}" for c in facts]
    lines += ["", f"{h2}Legal changes as of {as_of}"]
    lines += legal_lines(legal, markdown, bullet, sub)
    lines += ["", _summary(legal)]
    return lines


def legal_lines(
    legal: LegalDiff, markdown: bool = False, bullet: str = "  ", sub: str = "    "
) -> list[str]:
    """What changed legally, instrument by instrument (shared with `accord history`)."""
    from accord.report.markdown import text as md

    esc = md if markdown else (lambda s: s)
    lines: list[str] = []
    if not legal.changed:
        lines.append(f"{bullet}no legal change")
    for d in legal.instruments:
        head = f"{d.jurisdiction} {d.short_title} [{d.instrument}]"
        items: list[str] = []
        if d.scope_changed:
            old = _SCOPE.get(d.scope_before or "", "not assessed")
            new = _SCOPE.get(d.scope_after or "", "not assessed")
            items.append(f"scope: {old} -> {new}")
        for label, group in (
            ("class", d.classes),
            ("prohibition", d.prohibitions),
            ("duty", d.duties),
        ):
            items += [_finding_line(label, c) for c in group]
        if d.exposure is not None:
            e = d.exposure
            words = (
                f"penalty exposure: {_money(e.before, e.currency_before)} -> "
                f"{_money(e.after, e.currency_after)}"
            )
            if e.penalties_gained:
                words += f"; now triggered: {', '.join(e.penalties_gained)}"
            if e.penalties_lost:
                words += f"; no longer triggered: {', '.join(e.penalties_lost)}"
            items.append(words)
        for cov in d.coverage:
            state = "now covered by a control" if not cov.gap_after else "no longer covered"
            items.append(f"coverage: {cov.title} [{cov.rule_id}] {state}")
        lines.append(f"{bullet}{esc(head)}: {d.legal_changes} legal change(s)")
        if markdown:  # "- - x" would be a nested list: the words say gained/removed/moved
            items = [i[2:] if i[:2] in ("+ ", "- ", "~ ") else i for i in items]
        lines += [f"{sub}{esc(i)}" for i in items]
    return lines


def _summary(legal: LegalDiff) -> str:
    if not legal.changed:
        return "No legal change: the same scope, classes, prohibitions, duties and dates."
    n = sum(1 for d in legal.instruments if d.legal_changes)
    return f"{legal.legal_changes} legal change(s) in {n} instrument(s)."
