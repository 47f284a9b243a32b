"""Markdown output of a comparison, for reports, pull requests and wikis.

Markdown has room for every duty, so it shows the symbol matrix (same symbols as the terminal)
and then a full table per theme with citations, dates and review flags.
"""

from __future__ import annotations

from accord.compare.matrix import Comparison
from accord.report.compare_text import LEGEND_ITEMS, cell_symbol, duty_when
from accord.report.labels import REVIEW, money
from accord.report.markdown import link
from accord.report.markdown import table as _table
from accord.report.markdown import text as _t


def render(c: Comparison) -> str:
    out = [
        f"# Comparison: {c.profile_name}",
        "",
        f"Profile `{c.profile_id}`, as of {c.as_of}. Markets: "
        f"{', '.join(c.markets) or 'unknown'}. Accord {c.accord_version}, "
        f"schema {c.schema_version}.",
        "",
    ]
    if c.scenarios or c.frameworks:
        out += [
            f"Scenarios: {', '.join(c.scenarios) or 'none'}; frameworks: "
            f"{', '.join(c.frameworks) or 'none'}.",
            "",
        ]
    out += ["## Jurisdictions", ""]
    out += _table(
        ["Jurisdiction", "Instruments", "In scope"],
        [
            [
                f"{col.jurisdiction} ({col.name})",
                "; ".join(f"{i.short_title} (`{i.id}`)" for i in col.instruments),
                col.in_scope,
            ]
            for col in c.columns
        ],
    )
    out.append("")
    if c.in_scope_without_duties:
        out += [
            "In scope but no duties for this system: "
            + "; ".join(f"{x.short_title} ({x.jurisdiction})" for x in c.in_scope_without_duties)
            + ".",
            "",
        ]
    if c.not_in_scope:
        out += [
            "Not in scope: "
            + "; ".join(f"{x.short_title} ({x.jurisdiction}, {x.status})" for x in c.not_in_scope)
            + ".",
            "",
        ]
    legend = "; ".join(f"`{symbol}` {meaning}" for symbol, meaning in LEGEND_ITEMS)
    out += ["## Matrix", "", f"Legend: {legend}.", ""]
    if c.columns:
        out += _table(
            ["Theme", *(col.jurisdiction for col in c.columns)],
            [[row.theme, *(cell_symbol(cell) for cell in row.cells)] for row in c.rows],
        )
        out.append("")
    out += ["## Duties by theme", ""]
    for row in c.rows:
        items = [(cell.jurisdiction, d) for cell in row.cells for d in cell.duties]
        if not items:
            continue
        out += (
            [f"### {row.theme}", "", row.description, ""]
            if row.description
            else [f"### {row.theme}", ""]
        )
        out += _table(
            ["Jurisdiction", "Duty", "Result", "When", "Citation", "Binding", "Review"],
            [
                [
                    code,
                    f"{_t(d.title)} (`{d.rule_id}`)",
                    "applies" if d.outcome == "applies" else "possible",
                    duty_when(d),
                    link(d.citation, d.url),
                    "yes" if d.binding else "no",
                    f"**{REVIEW}**" if d.needs_review else "",
                ]
                for code, d in items
            ],
        )
        out.append("")
    d = c.differences
    out += ["## Differences", "", "### Themes with binding duties in some markets only", ""]
    if d.themes_in_some_markets:
        out += _table(
            ["Theme", "Binding duties in", "Voluntary only in", "None in"],
            [
                [
                    g.theme,
                    ", ".join(g.with_duties),
                    ", ".join(g.voluntary_only),
                    ", ".join(g.without_duties),
                ]
                for g in d.themes_in_some_markets
            ],
        )
    else:
        out.append("None.")
    out += ["", "### Upcoming deadlines", ""]
    if d.upcoming_deadlines:
        out += _table(
            ["Date", "Jurisdiction", "Instrument", "Duties", "Themes", "Result"],
            [
                [
                    str(x.date),
                    x.jurisdiction,
                    f"`{x.instrument_id}`",
                    str(len(x.rule_ids)),
                    ", ".join(x.themes),
                    ("possible" if x.possible_only else "applies")
                    + (f" ({REVIEW})" if x.needs_review else ""),
                ]
                for x in d.upcoming_deadlines
            ],
        )
    else:
        out.append("None.")
    out += ["", "### Highest maximum penalty per jurisdiction", "", d.currency_note, ""]
    out += _table(
        ["Jurisdiction", "Maximum", "Tier", "Definite", "Review", "Not computable"],
        [
            [
                e.jurisdiction,
                money(e.max_amount, e.currency) if e.max_amount is not None else "none fixed",
                f"{e.penalty} ({e.citation})" if e.penalty else "",
                "yes" if e.definite else "no",
                f"**{REVIEW}**" if e.needs_review else "",
                "; ".join(e.undetermined),
            ]
            for e in d.max_exposure
        ],
    )
    out += ["", "### Prohibited practices", ""]
    if d.prohibitions:
        out += _table(
            ["Jurisdiction", "Practice", "Result", "From", "Citation", "Review"],
            [
                [
                    p.jurisdiction,
                    p.title + (" (duty not to)" if p.kind == "conduct_ban" else ""),
                    p.outcome,
                    str(p.applies_from or ""),
                    p.citation,
                    f"**{REVIEW}**" if p.needs_review else "",
                ]
                for p in d.prohibitions
            ],
        )
    else:
        out.append("No prohibition applies or may apply in the compared markets.")
    out.append("")
    return "\n".join(out)
