"""Human-readable views of an AuditResult: Rich tables for the terminal, Markdown for publishing.

Both views are built from one list of parts, each a list of sections (title, header, rows,
notes), so the terminal and the published page cannot disagree; JSON is the result model itself
(result.py). Rounding happens only here: the result keeps full precision.

The first part is the LL144 public summary: what 6 RCNY 5-303(a) asks an employer to publish
(plus the AEDT's name and the auditor), and nothing else. Everything else (the EEOC four-fifths
rule of thumb, significance tests, fairness metrics, diagnostics) follows under a title that says
it is not part of the summary. Warnings are not part of either: the CLI prints them on stderr.

Category values, file names and other strings come from the data and may be hostile: in text
output their control characters are shown as escapes (`plain`) and they are printed as Rich
`Text`, never as markup; in Markdown they are escaped as well (`markdown`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from accord.audit.result import (
    EEOC_LABEL,
    AuditResult,
    FairnessTable,
    FourFifthsRow,
    RateTable,
)
from accord.audit.spec import visible

DASH = "—"
NOT_GIVEN = "not given"
_TEXT_COLUMNS = frozenset({"Table", "Category", "Group", "Test", "Under\n4/5?"})

#: Title of the publishable part: only what 6 RCNY 5-303 asks for (plus the AEDT and auditor).
SUMMARY_TITLE = "Summary of bias audit results (NYC Local Law 144)"
#: Title of everything else, which must never be mistaken for the public summary.
ADDITIONAL_TITLE = "Additional analysis (not part of the LL144 summary)"
ADDITIONAL_INTRO = (
    "For the auditor and the employer, not for publication: the EEOC four-fifths rule of thumb, "
    "significance tests and fairness metrics are not part of NYC Local Law 144, which sets no "
    "impact-ratio threshold."
)
NO_LL144_TITLE = "Bias audit (no LL144 summary: no sex or race/ethnicity column)"

_DIMENSION_TITLES = {
    "sex": "sex",
    "race_ethnicity": "race/ethnicity",
    "intersectional": "intersectional (sex × race/ethnicity)",
}
_UNKNOWN_WHAT = {
    "sex": "sex",
    "race_ethnicity": "race/ethnicity",
    "intersectional": "sex or race/ethnicity",
}
#: Who the counts count, by employment decision (6 RCNY 5-303(a)(1): "applicants or candidates").
PEOPLE = {"hiring": "applicants", "promotion": "candidates for promotion"}
DATA_TYPES = {
    "historical": "historical data (collected during use of the AEDT)",
    "test": "test data (not historical data)",
}
NOT_HISPANIC_NOTE = (
    "Every race/ethnicity category except Hispanic or Latino is Not Hispanic or Latino "
    "(EEO-1 Component 1)."
)
TESTS = {"two-proportion z-test": "z-test", "Fisher's exact test": "Fisher"}


@dataclass
class Section:
    """One printable table, with lines before it (`intro`) and after it (`notes`)."""

    title: str
    header: list[str]
    rows: list[list[str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    intro: list[str] = field(default_factory=list)
    #: Keep number columns on one line (the text columns wrap instead), to fit 80 columns.
    compact: bool = False


@dataclass
class Part:
    """A top-level part of the report: the public summary, or the additional analysis."""

    title: str
    facts: list[tuple[str, str]] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    intro: list[str] = field(default_factory=list)


def pct(value: float | None) -> str:
    """A rate as a percentage with one decimal."""
    return DASH if value is None else f"{value:.1%}"


def num(value: float | None, digits: int = 3) -> str:
    """A ratio or difference with fixed decimals."""
    return DASH if value is None else f"{value:.{digits}f}"


def _dimension(name: str) -> str:
    return _DIMENSION_TITLES.get(name, name)


def _people(result: AuditResult) -> str:
    """Who the counts count: the LL144 decision's word, or plain individuals without LL144."""
    return PEOPLE[result.ll144.public_summary.decision] if result.ll144 else "individuals"


# --- the public summary (6 RCNY 5-303) -------------------------------------------------------


def summary_facts(result: AuditResult) -> list[tuple[str, str]]:
    """The summary's facts, each always shown (`not given` when missing, with a warning)."""
    assert result.ll144 is not None
    s = result.ll144.public_summary
    items = [
        ("Automated employment decision tool (AEDT)", s.aedt or NOT_GIVEN),
        ("Date of the most recent bias audit", s.audit_date.isoformat()),
        (
            "Distribution date of the AEDT",
            s.distribution_date.isoformat() if s.distribution_date else NOT_GIVEN,
        ),
        ("Independent auditor", s.auditor or NOT_GIVEN),
        ("Data used", DATA_TYPES[s.data_type]),
        ("Source and explanation of the data", s.data_description or NOT_GIVEN),
    ]
    if s.data_period:
        items.append(("Period the data covers", s.data_period))
    if s.data_type == "test":
        items.append(
            (
                "Why historical data was not used, and how the test data was generated and "
                "obtained",
                s.test_data_explanation or NOT_GIVEN,
            )
        )
    return items


def _summary_section(table: RateTable, people: str) -> Section:
    """One published table: count, rate and impact ratio of every category (5-303(a)(1))."""
    kind = table.rate_kind
    section = Section(
        f"{kind.title()} rates by {_dimension(table.dimension)}",
        ["Category", f"Number of {people}", f"{kind.title()} rate", "Impact ratio"],
    )
    for r in table.rows:
        ratio = num(r.impact_ratio)
        if r.excluded_from_impact_ratio and r.count:
            ratio = "excluded"  # the justification follows the table (5-301(d))
        section.rows.append([r.category, f"{r.count:,}", pct(r.rate), ratio])
    what = _UNKNOWN_WHAT.get(table.dimension, table.dimension)
    section.notes.append(
        f"The AEDT also assessed {table.unknown.count:,} {people} whose {what} is unknown; "
        "they are not included in the calculations above."
    )
    if table.dimension in ("race_ethnicity", "intersectional"):
        section.notes.append(NOT_HISPANIC_NOTE)
    for r in table.rows:
        if not r.exclusion_reason:
            continue
        if r.count:
            share = f"{r.share_of_data:.1%} of the data" if r.share_of_data is not None else ""
            section.notes.append(
                f"{r.category} ({share}, under 2%) is excluded from the impact ratios "
                f"(6 RCNY 5-301(d)). Justification: {r.exclusion_reason}"
            )
        else:
            section.notes.append(f"{r.category}: {r.exclusion_reason}.")
    return section


def summary_part(result: AuditResult) -> Part | None:
    """The publishable LL144 summary, or None when the audit has no LL144 tables."""
    if result.ll144 is None:
        return None
    people = _people(result)
    tables = result.ll144.selection + result.ll144.scoring
    return Part(
        SUMMARY_TITLE,
        facts=summary_facts(result),
        sections=[_summary_section(t, people) for t in tables],
    )


# --- everything else -------------------------------------------------------------------------


def details(result: AuditResult) -> list[tuple[str, str]]:
    """Facts about the run that the public summary does not carry."""
    location = result.source.location
    if result.source.table:
        location += f" (table {result.source.table})"
    items = [("Data read from", location), ("Rows in the audited table", f"{result.rows:,}")]
    if result.ll144:
        ll = result.ll144
        items.append(
            (
                "Audit valid until (one year after the audit)",
                ll.public_summary.valid_until.isoformat(),
            )
        )
        if ll.median_score is not None:
            items.append(("Median score (whole sample)", f"{ll.median_score:g}"))
        if ll.rows_without_outcome:
            items.append(("Rows without outcome", f"{ll.rows_without_outcome:,}"))
        if ll.rows_without_score:
            items.append(("Rows without score", f"{ll.rows_without_score:,}"))
    elif result.data_period:
        items.append(("Period the data covers", result.data_period))
    return items


def _unknown_section(tables: list[RateTable]) -> Section:
    """Why individuals are in an unknown category, per table."""
    section = Section(
        "Unknown categories by reason",
        ["Table", "Unknown", "Missing", "Declared", "Unmapped"],
    )
    for t in tables:
        u = t.unknown
        section.rows.append(
            [
                f"{t.rate_kind}/{t.dimension}",
                *(f"{v:,}" for v in (u.count, u.missing, u.declared, u.unmapped)),
            ]
        )
        if u.unmapped_values:
            shown = ", ".join(f"{k!r}: {v:,}" for k, v in list(u.unmapped_values.items())[:8])
            section.notes.append(f"Unmapped values in {t.rate_kind}/{t.dimension}: {shown}")
    section.notes.append(
        "missing: null or blank; declared: the value or the map says unknown; unmapped: a value "
        "nobody recognised (map it with --map-file)."
    )
    return section


def _rate_section(table: RateTable, people: str) -> Section:
    """A rate table for another category (age band, ...): not an LL144 table."""
    kind = table.rate_kind
    positives = "Selected" if kind == "selection" else "Above median"
    section = Section(
        f"{kind.title()} rates by {_dimension(table.dimension)}",
        ["Category", people.capitalize(), positives, f"{kind.title()} rate", "Impact ratio"],
    )
    for r in table.rows:
        ratio = num(r.impact_ratio)
        if r.excluded_from_impact_ratio:
            ratio = f"excluded: {r.exclusion_reason}"
        section.rows.append([r.category, f"{r.count:,}", f"{r.positives:,}", pct(r.rate), ratio])
    section.notes.append(
        f"Unknown category (not included in the calculations): {table.unknown.count:,}"
    )
    if table.unknown.unmapped_values:
        items = list(table.unknown.unmapped_values.items())[:8]
        section.notes.append("Unmapped values: " + ", ".join(f"{k!r}: {v:,}" for k, v in items))
    return section


def _eeoc_sections(result: AuditResult) -> list[Section]:
    """One compact table per rate table (80 columns wide), labelled as the EEOC's."""
    eeoc = result.eeoc_four_fifths_rule_of_thumb
    by_table: dict[str, list[FourFifthsRow]] = {}
    for r in eeoc.rows:
        by_table.setdefault(r.table, []).append(r)
    out: list[Section] = []
    for name, rows in by_table.items():
        kind, _, dimension = name.partition("/")
        section = Section(
            f"EEOC four-fifths rule of thumb: {kind} rates by {_dimension(dimension)}",
            ["Category", "Rate", "95% CI", "Impact\nratio", "Under\n4/5?", "Test", "p-value"],
            compact=True,
        )
        for r in rows:
            if r.significance is None and not r.eeoc_rule_of_thumb_flag:
                continue  # reference categories and excluded ones: nothing to compare
            sig = r.significance
            ci = (
                f"{r.rate_ci95[0]:.1%}–{r.rate_ci95[1]:.1%}".replace("%–", "–")
                if r.rate_ci95
                else DASH
            )
            section.rows.append(
                [
                    r.category,
                    pct(r.rate),
                    ci,
                    num(r.impact_ratio),
                    {True: "FLAG", False: "no", None: DASH}[r.eeoc_rule_of_thumb_flag],
                    TESTS.get(sig.test, sig.test) if sig else DASH,
                    f"{sig.p_value:.3g}" if sig else DASH,
                ]
            )
        refs = sorted({r.reference_category for r in rows if r.reference_category})
        if refs:
            section.notes.append(f"Compared with the highest-rate category: {', '.join(refs)}")
        out.append(section)
    if out:
        flagged = len(eeoc.flagged())
        out[0].intro += [
            EEOC_LABEL,
            f"{flagged} categor{'y' if flagged == 1 else 'ies'} under four-fifths of the "
            "highest rate. Test: two-sided pooled two-proportion z-test, or Fisher's exact test "
            "when an expected count is under 5; 95% CI: Wilson interval.",
        ]
    return out


def _fairness_section(table: FairnessTable) -> Section:
    section = Section(
        f"Classification fairness by {_dimension(table.dimension)}",
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


def additional_part(result: AuditResult) -> Part:
    """Everything that is not the public summary, under a title that says so."""
    people = _people(result)
    sections: list[Section] = []
    tables = result.tables()
    if tables:
        sections.append(_unknown_section(tables))
    sections += [_rate_section(t, people) for t in result.other_categories]
    sections += _eeoc_sections(result)
    sections += [_fairness_section(f) for f in result.fairness]
    if result.ll144 is None:
        return Part(NO_LL144_TITLE, facts=details(result), sections=sections)
    return Part(
        ADDITIONAL_TITLE, facts=details(result), sections=sections, intro=[ADDITIONAL_INTRO]
    )


def parts(result: AuditResult, *, summary_only: bool = False) -> list[Part]:
    """The report: the LL144 public summary first, then (unless `summary_only`) the rest."""
    summary = summary_part(result)
    out = [summary] if summary else []
    if not summary_only:
        out.append(additional_part(result))
    return out


def to_markdown(result: AuditResult, *, summary_only: bool = False) -> str:
    """The report as Markdown. The first part, up to the `Additional analysis` heading, is the
    LL144 public summary; `summary_only` leaves out everything else."""
    lines: list[str] = []
    for part in parts(result, summary_only=summary_only):
        lines += [f"# {_md(part.title)}", ""]
        lines += [f"{_md(line)}  " for line in part.intro]
        if part.intro:
            lines.append("")
        lines += [f"- **{_md(k)}:** {_md(v)}" for k, v in part.facts]
        lines.append("")
        for s in part.sections:
            lines += [f"## {_md(s.title)}", ""]
            lines += [f"{_md(n)}  " for n in s.intro]
            if s.intro:
                lines.append("")
            lines.append("| " + " | ".join(_md(h.replace("\n", " ")) for h in s.header) + " |")
            lines.append("|" + "|".join("---" for _ in s.header) + "|")
            lines += ["| " + " | ".join(_md(c) for c in row) + " |" for row in s.rows]
            lines.append("")
            lines += [f"{_md(n)}  " for n in s.notes]
            lines.append("")
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


def print_report(result: AuditResult, console: object, *, summary_only: bool = False) -> None:
    """Print the report with Rich tables; every string is a Text, never markup. Warnings are
    not part of the report: print them with `print_warnings` (the CLI sends them to stderr)."""
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    assert isinstance(console, Console)
    for i, part in enumerate(parts(result, summary_only=summary_only)):
        if i:
            console.print()
        console.print(Text(plain(part.title), style="bold"))
        for line in part.intro:
            console.print(Text(plain(line), style="dim"))
        for k, v in part.facts:
            console.print(Text(f"  {plain(k)}: {plain(v)}"))
        for s in part.sections:
            console.print()
            for line in s.intro:
                console.print(Text(plain(line)))
            if s.intro:
                console.print()
            table = Table(title=Text(plain(s.title)), title_justify="left", title_style="bold")
            for h in s.header:
                wrap = h in ("Category", "Group", "Table") or not s.compact
                table.add_column(
                    Text("\n".join(plain(x) for x in h.split("\n"))),
                    justify="left" if h in _TEXT_COLUMNS else "right",
                    no_wrap=not wrap,
                )
            for row in s.rows:
                table.add_row(*(Text(plain(c)) for c in row))
            console.print(table)
            for n in s.notes:
                console.print(Text(f"  {plain(n)}", style="dim"))


def print_warnings(result: AuditResult, console: object) -> None:
    """Print the result's warnings (the CLI prints them on stderr, never in the report)."""
    from rich.console import Console
    from rich.text import Text

    assert isinstance(console, Console)
    for w in result.warnings:
        console.print(Text.assemble(("warning:", "yellow"), " ", plain(w)))
