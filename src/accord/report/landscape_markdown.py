"""Markdown output of the world landscape, with sources, for reports and wikis.

Same facts and flags as the terminal layout; Markdown adds every source link, because a
landscape table is only as useful as one's ability to check it.
"""

from __future__ import annotations

import datetime as dt

from accord.landscape.model import International, Jurisdiction, LandscapeView, Source
from accord.report.landscape_text import (
    EIF,
    FLAG,
    NON_PARTIES,
    NOT_BY,
    PARTIES,
    POSITION,
    REGIME_LABEL,
    STATUS_LABEL,
    counts_text,
    date_line,
    flag,
    instrument_line,
    parties_text,
    ratified_count,
)
from accord.report.markdown import link
from accord.report.markdown import table as _table


def _md_flag(text: str) -> str:
    return text.replace(FLAG, "**[needs review]**")


def _sources(sources: list[Source]) -> str:
    return "; ".join(link(s.title, s.url) for s in sources)


def _jurisdiction(j: Jurisdiction, as_of: dt.date) -> list[str]:
    out = [
        f"### {j.code}: {j.name}",
        "",
        _md_flag(
            f"Regime: **{REGIME_LABEL[j.regime]}** ({j.confidence})"
            f"{flag(j.needs_review)}. {j.summary}"
        ),
        "",
    ]
    if j.note:
        out += [j.note, ""]
    out += _table(
        ["Instrument", "Kind", "Binding", "Status", "Key dates", "Sources"],
        [
            [
                f"{i.title} (`{i.id}`)" + (" (rulebook in Accord)" if i.rulebook else ""),
                i.kind,
                "yes" if i.binding else "no",
                _md_flag(f"{STATUS_LABEL[i.status]} ({i.confidence}){flag(i.needs_review)}")
                + (f". {i.note}" if i.note else ""),
                _md_flag("; ".join(date_line(d, as_of) for d in i.dates)),
                _sources(i.sources),
            ]
            for i in j.instruments
        ],
    )
    out += ["", f"Sources: {_sources(j.sources)}", ""]
    return out


def _international(x: International, as_of: dt.date) -> list[str]:
    out = [
        f"### {x.short_title}",
        "",
        _md_flag(
            f"*{x.title}*. {x.kind.replace('_', ' ').capitalize()}, "
            f"{'binding' if x.binding else 'non-binding'} ({x.confidence})"
            f"{flag(x.needs_review)}."
        ),
        "",
    ]
    if x.note:
        out += [x.note, ""]
    out += [_md_flag(f"- {date_line(d, as_of)}") for d in x.dates]
    if x.entry_into_force is not None:
        e = x.entry_into_force
        out.append(
            _md_flag(
                f"- Entry into force: **{EIF[e.state]}**"
                + (f" ({e.date})" if e.date else "")
                + (f". {e.note}" if e.note else "")
                + flag(e.needs_review)
            )
        )
    out += [
        _md_flag(f"- Count: {c.value}, {c.label} ({c.confidence}){flag(c.needs_review)}")
        for c in x.counts
    ]
    out += [f"- Conflict: {text}" for text in x.conflicts]
    if x.signatories:
        out += [
            f"- {PARTIES[x.participation]}:",
            *(_md_flag(f"  - {t}") for t in parties_text(x.signatories, x.participation)),
        ]
    if x.non_signatories:
        out += [
            f"- {NON_PARTIES[x.participation]}:",
            *(_md_flag(f"  - {t}") for t in parties_text(x.non_signatories)),
        ]
    out += ["", f"Sources: {_sources(x.sources)}", ""]
    return out


def render(v: LandscapeView) -> str:
    out = [
        f"# AI regulation landscape as of {v.as_of}",
        "",
        f"Research digest of {v.prepared}; sources until {v.sources_until}. "
        + (f"Events after {v.prepared} are not in the data. " if v.as_of > v.prepared else "")
        + f"Events after {v.as_of} are marked [later]. "
        f"{v.review_count()} fact(s) in this view rest on recall or unchecked sources and "
        "are marked **[needs review]**. Schema " + v.schema_version + ".",
        "",
    ]
    if v.selected:
        out += [f"Selected: {', '.join(v.selected)} (with the regions around and inside them).", ""]
    out += ["## Regime types", ""]
    out += [f"- **{REGIME_LABEL[k]}**: {text}" for k, text in v.regimes.items()]
    out += ["", "## Jurisdictions", ""]
    out += _table(
        ["Code", "Jurisdiction", "Regime", "Instruments and status"],
        [
            [
                j.code,
                j.name,
                _md_flag(REGIME_LABEL[j.regime] + flag(j.needs_review)),
                _md_flag(
                    "; ".join(instrument_line(i) for i in j.instruments) or "none at this date"
                ),
            ]
            for j in v.jurisdictions
        ],
    )
    out += ["", "## International instruments", ""]
    out += _table(
        ["Instrument", "Nature", "Adopted", "Parties"],
        [
            [
                _md_flag(x.short_title + flag(x.needs_review)),
                f"{x.kind.replace('_', ' ')}, {'binding' if x.binding else 'non-binding'}",
                _md_flag(str(x.dates[0].date) + flag(x.dates[0].needs_review)),
                _md_flag(
                    counts_text(x)
                    + ratified_count(x)
                    + (
                        f"; {EIF[x.entry_into_force.state]}{flag(x.entry_into_force.needs_review)}"
                        if x.entry_into_force
                        else ""
                    )
                    + (
                        f"; {NOT_BY[x.participation]} "
                        + ", ".join(p.code or p.name for p in x.non_signatories)
                        if x.non_signatories
                        else ""
                    )
                ),
            ]
            for x in v.international
        ],
    )
    out.append("")
    if v.stances:
        out += ["## Positions of the selected jurisdictions", ""]
        out += _table(
            ["Jurisdiction", "Instrument", "Position", "Confidence"],
            [
                [
                    s.code,
                    s.instrument,
                    POSITION[s.position],
                    _md_flag((s.confidence or "") + flag(s.needs_review)),
                ]
                for s in v.stances
            ],
        )
        out.append("")
    out += ["## Jurisdiction details", ""]
    for j in v.jurisdictions:
        out += _jurisdiction(j, v.as_of)
    out += ["## International instrument details", ""]
    for x in v.international:
        out += _international(x, v.as_of)
    return "\n".join(out)
