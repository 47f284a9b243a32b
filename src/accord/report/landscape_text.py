"""Terminal layout of the world landscape: a regime table, then details, within 80 columns.

Unverified facts carry "[needs review]" right where they are printed, never only in a footnote,
so a reader who copies one line copies its caveat too.
"""

from __future__ import annotations

import datetime as dt
from itertools import zip_longest

from rich.console import Console
from rich.text import Text

from accord.landscape.model import (
    International,
    Jurisdiction,
    KeyDate,
    LandscapeView,
    Party,
)
from accord.report.plain import PlainOut, wrap

FLAG = "[needs review]"
REGIME_LABEL = {
    "binding_horizontal": "binding horizontal",
    "binding_sectoral": "binding sectoral",
    "principles": "principles",
    "promotion_only": "promotion only",
    "none": "none",
}
STATUS_LABEL = {
    "in_force": "in force",
    "partly_in_force": "partly in force",
    "enacted": "enacted, not yet in force",
    "pending": "pending",
    "lapsed": "lapsed without passing",
    "repealed": "repealed",
    "expired": "expired",
    "revoked": "revoked",
    "voluntary": "voluntary",
    "stayed": "stayed",
}
POSITION = {
    "signed": "signed",
    "endorsed": "endorsed",
    "adhered": "adhered",
    "did_not_sign": "did not sign",
    "not_listed": "not listed",
}
PARTIES = {"signature": "Signatories", "endorsement": "Endorsed by", "adherence": "Adherents"}
NOT_BY = {
    "signature": "not signed by",
    "endorsement": "not endorsed by",
    "adherence": "not adhered to by",
}
NON_PARTIES = {
    "signature": "Did not sign",
    "endorsement": "Did not endorse",
    "adherence": "Did not adhere",
}
"""How the list of parties is headed, by how an instrument is joined."""
EIF = {
    "in_force": "in force",
    "not_in_force": "not in force",
    "unconfirmed": "UNCONFIRMED whether in force",
}


def flag(needs_review: bool) -> str:
    return f" {FLAG}" if needs_review else ""


def date_line(d: KeyDate, as_of: dt.date | None = None) -> str:
    """A dated event; one after the view's date is marked, since it had not happened yet."""
    text = f"{d.date} {d.event}"
    if d.note:
        text += f" ({d.note})"
    if as_of is not None and d.date > as_of:
        text += " [later]"
    return text + flag(d.needs_review)


def instrument_line(i) -> str:
    """One-line status of a national instrument, as the table and Markdown show it."""
    text = f"{i.id}: {STATUS_LABEL[i.status]}" + ("" if i.binding else ", non-binding")
    return text + flag(i.needs_review)


def counts_text(x: International) -> str:
    """Signatory counts for the summary table, with the conflict and review caveats."""
    if not x.counts:
        values = f"{len(x.signatories)} listed" if x.signatories else "n/a"
    else:
        values = " / ".join(str(c.value) + flag(c.needs_review) for c in x.counts)
        if len({c.value for c in x.counts}) > 1 and x.conflicts:
            values += " (sources conflict)"
    unverified = sum(p.needs_review for p in x.signatories)
    if unverified:
        noun = "signatory" if unverified == 1 else "signatories"
        values += f"; {unverified} named {noun} unverified {FLAG}"
    return values


def parties_text(parties: list[Party], participation: str = "signature") -> list[str]:
    """Parties grouped by confidence, so dozens of unverified names carry one visible flag."""
    out = []
    for conf, label in (
        ("confirmed", "confirmed"),
        ("reported", "reported"),
        ("unverified", f"unverified {FLAG}"),
    ):
        names = [_party(p, participation) for p in parties if p.confidence == conf]
        if names:
            out.append(f"{label} ({len(names)}): {', '.join(names)}")
    return out


JOINED = {"signature": "signed", "endorsement": "endorsed", "adherence": "adhered"}


def _party(p: Party, participation: str) -> str:
    """A party's name with what is known of when it joined and ratified."""
    dates = [f"{JOINED[participation]} {p.signed}"] if p.signed else []
    if p.ratified:
        dates.append(f"ratified {p.ratified}")
    notes = [*dates, *([p.note] if p.note else [])]
    return p.name + (f" ({'; '.join(notes)})" if notes else "")


def ratified_count(x: International) -> str:
    """How many parties had ratified, for treaties."""
    n = sum(p.ratified is not None for p in x.signatories)
    return f"; {n} ratified" if x.kind == "treaty" else ""


def _wrap(text: str, width: int, indent: str = "", hang: str = "") -> list[str]:
    return wrap(text, width, indent, hang, keep=(FLAG,))


class _Out(PlainOut):
    def __init__(self, console: Console) -> None:
        super().__init__(console, highlight=(FLAG,))

    def table(self, widths: list[int], header: list[str], rows: list[list[str]]) -> None:
        """Fixed-width columns with wrapped cells; the last column takes the rest."""
        widths = [*widths[:-1], self.width - sum(widths[:-1]) - len(widths) + 1]
        self.line(
            Text(
                " ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)).rstrip(),
                style="bold",
            )
        )
        for row in rows:
            cells = [_wrap(v, w) for v, w in zip(row, widths, strict=True)]
            for parts in zip_longest(*cells, fillvalue=""):
                text = " ".join(p.ljust(w) for p, w in zip(parts, widths, strict=True)).rstrip()
                styled = Text(text)
                styled.highlight_words([FLAG], style="magenta")
                self.line(styled)


def _jurisdiction(j: Jurisdiction, out: _Out, as_of: dt.date) -> None:
    out.line()
    out.para(f"{j.code}  {j.name}: {REGIME_LABEL[j.regime]}{flag(j.needs_review)}", style="bold")
    out.para(j.summary, indent="  ", hang="")
    if j.note:
        out.para(j.note, indent="  ", hang="")
    for i in j.instruments:
        kind = f"{i.kind}, {'binding' if i.binding else 'non-binding'}, {STATUS_LABEL[i.status]}"
        encoded = "; rulebook in Accord" if i.rulebook else ""
        out.para(f"{i.id}  {i.title} ({kind}{encoded}){flag(i.needs_review)}", indent="  ")
        if i.note:
            out.para(i.note, indent="      ", hang="")
        for d in i.dates:
            out.para(date_line(d, as_of), indent="      ")


def _international(x: International, out: _Out, as_of: dt.date) -> None:
    out.line()
    binding = "binding" if x.binding else "non-binding"
    out.para(
        f"{x.short_title} ({x.kind.replace('_', ' ')}, {binding}){flag(x.needs_review)}",
        style="bold",
    )
    out.para(x.title, indent="  ", hang="")
    if x.note:
        out.para(x.note, indent="  ", hang="")
    for d in x.dates:
        out.para(date_line(d, as_of), indent="  ")
    if x.entry_into_force is not None:
        e = x.entry_into_force
        text = f"Entry into force: {EIF[e.state]}" + (f" ({e.date})" if e.date else "")
        if e.note:
            text += f". {e.note}"
        out.para(text + flag(e.needs_review), indent="  ")
    for c in x.counts:
        out.para(
            f"Count: {c.value} - {c.label} ({c.confidence}){flag(c.needs_review)}", indent="  "
        )
    for conflict in x.conflicts:
        out.para(f"Conflict: {conflict}", indent="  ")
    if x.signatories:
        out.line(f"  {PARTIES[x.participation]}:")
        for text in parties_text(x.signatories, x.participation):
            out.para(text, indent="    ")
    if x.non_signatories:
        out.line(f"  {NON_PARTIES[x.participation]}:")
        for text in parties_text(x.non_signatories):
            out.para(text, indent="    ")


def render(v: LandscapeView, console: Console) -> None:
    out = _Out(console)
    out.para(
        f"AI regulation landscape as of {v.as_of}: research digest of {v.prepared} (sources "
        f"until {v.sources_until})",
        style="bold",
    )
    if v.as_of > v.prepared:
        out.para(f"Events after {v.prepared} are not in the data: later changes will not show.")
    n = v.review_count()
    out.para(
        f"{n} fact(s) in this view rest on recall or unchecked sources and are marked "
        f"{FLAG}. Sources: --format markdown or json."
    )
    if v.selected:
        out.para(f"Selected: {', '.join(v.selected)} (with the regions around and inside them)")
    out.heading("Regime types")
    for key, text in v.regimes.items():
        out.para(f"{REGIME_LABEL[key].ljust(19)}{text}", indent="  ", hang=" " * 19)
    out.heading("Jurisdictions")
    if not v.jurisdictions:
        out.para("No jurisdiction in the landscape matches the selection.", indent="  ")
    else:
        out.table(
            [10, 19, 0],
            ["Code", "Regime", "Instruments and status"],
            [
                [
                    j.code,
                    REGIME_LABEL[j.regime] + flag(j.needs_review),
                    "; ".join(instrument_line(i) for i in j.instruments) or "none at this date",
                ]
                for j in v.jurisdictions
            ],
        )
    out.heading("International instruments")
    out.table(
        [24, 16, 14, 0],
        ["Instrument", "Nature", "Adopted", "Parties"],
        [
            [
                x.short_title + flag(x.needs_review),
                f"{x.kind.replace('_', ' ')}, " + ("binding" if x.binding else "non-binding"),
                str(x.dates[0].date) + flag(x.dates[0].needs_review),
                counts_text(x) + ratified_count(x) + _eif_hint(x) + _stance_hint(x),
            ]
            for x in v.international
        ],
    )
    if v.stances:
        out.heading("Positions of the selected jurisdictions")
        for s in v.stances:
            conf = f" ({s.confidence})" if s.confidence else ""
            out.para(
                f"{s.code}  {s.instrument}: {POSITION[s.position]}{conf}" + flag(s.needs_review),
                indent="  ",
            )
    out.heading("Jurisdiction details")
    for j in v.jurisdictions:
        _jurisdiction(j, out, v.as_of)
    out.heading("International instrument details")
    for x in v.international:
        _international(x, out, v.as_of)


def _eif_hint(x: International) -> str:
    e = x.entry_into_force
    if e is None:
        return ""
    return f"; {EIF[e.state]}{flag(e.needs_review)}"


def _stance_hint(x: International) -> str:
    if not x.non_signatories:
        return ""
    names = ", ".join(p.code or p.name for p in x.non_signatories)
    return f"; {NOT_BY[x.participation]} {names}"
