"""Human-readable views of an AuditResult: Rich tables for the terminal, Markdown for publishing.

Both views are built from one list of sections (title, header, rows, notes), so the terminal and
the published summary cannot disagree; JSON is the result model itself (result.py). Rounding
happens only here: the result keeps full precision.

Category values, file names and other strings come from the data and may be hostile: in text
output their control characters are shown as escapes (`plain`) and they are printed as Rich
`Text`, never as markup; in Markdown they are escaped as well (`markdown`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from accord.audit.result import EEOC_LABEL, AuditResult, FairnessTable, RateTable
from accord.audit.spec import visible

DASH = "—"
_TEXT_COLUMNS = frozenset({"Table", "Category", "Group", "Test", "Under 4/5?"})

_DIMENSION_TITLES = {
    "sex": "sex",
    "race_ethnicity": "race/ethnicity",
    "intersectional": "intersectional (sex × race/ethnicity)",
}


@dataclass
class Section:
    """One printable table."""

    title: str
    header: list[str]
    rows: list[list[str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def pct(value: float | None) -> str:
    """A rate as a percentage with one decimal."""
    return DASH if value is None else f"{value:.1%}"


def num(value: float | None, digits: int = 3) -> str:
    """A ratio or difference with fixed decimals."""
    return DASH if value is None else f"{value:.{digits}f}"


def _rate_section(table: RateTable, prefix: str) -> Section:
    kind = table.rate_kind
    positives = "Selected" if kind == "selection" else "Above median"
    title = f"{prefix}{kind} rates by {_DIMENSION_TITLES.get(table.dimension, table.dimension)}"
    section = Section(
        title, ["Category", "Applicants", positives, f"{kind.title()} rate", "Impact ratio"]
    )
    for r in table.rows:
        ratio = num(r.impact_ratio)
        if r.excluded_from_impact_ratio:
            ratio = f"excluded: {r.exclusion_reason}"
        section.rows.append([r.category, f"{r.count:,}", f"{r.positives:,}", pct(r.rate), ratio])
    u = table.unknown
    detail = ", ".join(
        f"{name} {value:,}"
        for name, value in (
            ("missing", u.missing),
            ("declared", u.declared),
            ("unmapped", u.unmapped),
        )
        if value
    )
    section.notes.append(
        f"Unknown category (not included in the calculations): {u.count:,}"
        + (f" ({detail})" if detail else "")
    )
    if u.unmapped_values:
        shown = ", ".join(f"{k!r}: {v:,}" for k, v in list(u.unmapped_values.items())[:8])
        section.notes.append(f"Unmapped values: {shown}")
    return section


def _eeoc_section(result: AuditResult) -> Section:
    eeoc = result.eeoc_four_fifths_rule_of_thumb
    section = Section(
        "EEOC four-fifths rule of thumb",
        ["Table", "Category", "Rate (95% CI)", "Impact ratio", "Under 4/5?", "Test", "p-value"],
    )
    for r in eeoc.rows:
        if r.significance is None and not r.eeoc_rule_of_thumb_flag:
            continue  # reference categories and excluded ones: nothing to compare
        ci = f" ({pct(r.rate_ci95[0])}–{pct(r.rate_ci95[1])})" if r.rate_ci95 else ""
        sig = r.significance
        section.rows.append(
            [
                r.table,
                r.category,
                pct(r.rate) + ci,
                num(r.impact_ratio),
                {True: "FLAG", False: "no", None: DASH}[r.eeoc_rule_of_thumb_flag],
                sig.test if sig else DASH,
                f"{sig.p_value:.3g}" if sig else DASH,
            ]
        )
    flagged = len(eeoc.flagged())
    section.notes.append(EEOC_LABEL)
    section.notes.append(
        f"{flagged} categor{'y' if flagged == 1 else 'ies'} under four-fifths of the reference; "
        "tests compare each category with its table's highest-rate category "
        "(Fisher's exact test when an expected count is under 5)."
    )
    return section


def _fairness_section(table: FairnessTable) -> Section:
    title = _DIMENSION_TITLES.get(table.dimension, table.dimension)
    section = Section(
        f"Classification fairness by {title}",
        ["Group", "Count", "Selection rate", "TPR", "FPR", "PPV"],
    )
    rows = [*table.by_group.items(), ("overall", table.overall)]
    for name, g in rows:
        section.rows.append(
            [
                name,
                f"{g.count:,}",
                num(g.selection_rate),
                num(g.true_positive_rate),
                num(g.false_positive_rate),
                num(g.positive_predictive_value),
            ]
        )
    section.notes.append(
        f"demographic parity difference {num(table.demographic_parity_difference)}, "
        f"ratio {num(table.demographic_parity_ratio)}; "
        f"equalized odds difference {num(table.equalized_odds_difference)}; "
        f"equal opportunity difference {num(table.equal_opportunity_difference)}"
    )
    if table.unknown_count:
        section.notes.append(f"Unknown category (not included): {table.unknown_count:,}")
    return section


def sections(result: AuditResult) -> Iterator[Section]:
    """Every table of the report, in reading order."""
    if result.ll144:
        for t in result.ll144.selection + result.ll144.scoring:
            yield _rate_section(t, "NYC LL144 ")
    for t in result.other_categories:
        yield _rate_section(t, "")
    if result.eeoc_four_fifths_rule_of_thumb.rows:
        yield _eeoc_section(result)
    for f in result.fairness:
        yield _fairness_section(f)


def facts(result: AuditResult) -> list[tuple[str, str]]:
    """The header facts: what, when, from where (the LL144 summary's non-table fields)."""
    items = [
        ("Data source", result.source.location),
        ("Audit date", result.audit_date.isoformat()),
        ("Data period", result.data_period or DASH),
        ("Rows", f"{result.rows:,}"),
    ]
    if result.ll144:
        s = result.ll144.public_summary
        items.append(("Audit valid until", s.valid_until.isoformat()))
        if s.aedt:
            items.append(("AEDT", s.aedt))
        if s.distribution_date:
            items.append(("AEDT distribution date", s.distribution_date.isoformat()))
        if s.data_description:
            items.append(("Data description", s.data_description))
        items.append(("Data type", s.data_type))
        if result.ll144.median_score is not None:
            items.append(("Median score (whole sample)", f"{result.ll144.median_score:g}"))
        if result.ll144.rows_without_outcome:
            items.append(("Rows without outcome", f"{result.ll144.rows_without_outcome:,}"))
        if result.ll144.rows_without_score:
            items.append(("Rows without score", f"{result.ll144.rows_without_score:,}"))
    return items


def to_markdown(result: AuditResult) -> str:
    """The report as Markdown, suitable for the LL144 public summary page."""
    lines = ["# Bias audit", ""]
    lines += [f"- **{_md(k)}:** {_md(v)}" for k, v in facts(result)]
    lines.append("")
    for s in sections(result):
        lines += [f"## {_md(s.title)}", ""]
        lines.append("| " + " | ".join(_md(h) for h in s.header) + " |")
        lines.append("|" + "|".join("---" for _ in s.header) + "|")
        lines += ["| " + " | ".join(_md(c) for c in row) + " |" for row in s.rows]
        lines.append("")
        lines += [f"{_md(n)}  " for n in s.notes]
        lines.append("")
    if result.warnings:
        lines += ["## Warnings", ""] + [f"- {_md(w)}" for w in result.warnings] + [""]
    lines.append(
        f"_Generated by Accord {result.accord_version}, result schema {result.schema_version}._"
    )
    return "\n".join(lines) + "\n"


def plain(text: str) -> str:
    """One line of terminal text: control characters (ESC, C1, newlines, bidi overrides) shown
    as visible escapes such as `\\x1b`, so data can never drive the terminal."""
    return visible(text, newlines=False)


_MD_SPECIAL = re.compile(r"[\\`*_~\[\]|<>&]")
_MD_ENTITIES = {"<": "&lt;", ">": "&gt;", "&": "&amp;"}


def markdown(text: str) -> str:
    """Text for a Markdown line or table cell: control characters made visible, `<`, `>` and
    `&` as HTML entities, and backslash, backtick, `*`, `_`, `~`, `[`, `]` and `|` escaped with a
    backslash, so a category value can inject neither HTML, links, code nor table cells."""
    return _MD_SPECIAL.sub(lambda m: _MD_ENTITIES.get(m.group(), "\\" + m.group()), plain(text))


_md = markdown


def print_report(result: AuditResult, console: object) -> None:
    """Print the report with Rich tables; every string is a Text, never markup."""
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    assert isinstance(console, Console)
    console.print(Text("Bias audit", style="bold"))
    for k, v in facts(result):
        console.print(Text(f"  {plain(k)}: {plain(v)}"))
    for s in sections(result):
        table = Table(title=Text(plain(s.title)), title_justify="left", title_style="bold")
        for h in s.header:
            table.add_column(Text(plain(h)), justify="left" if h in _TEXT_COLUMNS else "right")
        for row in s.rows:
            table.add_row(*(Text(plain(c)) for c in row))
        console.print()
        console.print(table)
        for n in s.notes:
            console.print(Text(f"  {plain(n)}", style="dim"))
    if result.warnings:
        console.print()
        for w in result.warnings:
            console.print(Text.assemble(("warning:", "yellow"), " ", plain(w)))
