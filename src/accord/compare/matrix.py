"""One system, many laws: a theme × jurisdiction matrix built from one assessment.

The engine answers per instrument; a company shipping to five markets needs the transpose:
for each kind of duty (bias audit, notice, impact assessment, ...) which markets demand it, from
when, and where the rules diverge. Several instruments of one jurisdiction (California's three
laws, China's five measures) merge into one column, so columns are markets, not statutes; the
instrument ids stay in each duty so nothing is lost.

The matrix is derived data: it never re-evaluates rules, it only regroups `assess()` findings,
so it is exactly as right (and as reviewed) as the rulebooks.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Literal

from pydantic import BaseModel, Field

from accord import vocabulary
from accord.engine.result import Assessment, Finding, InstrumentResult

SCHEMA_VERSION = "1.0"

CORE_THEMES: tuple[str, ...] = (
    "risk-management",
    "impact-assessment",
    "bias-audit",
    "notice-to-individuals",
    "explanation-and-appeal",
    "human-oversight",
    "transparency",
    "content-labelling",
    "documentation",
    "registration",
    "incident-reporting",
)
"""Rows always shown, so an empty row is itself an answer ("nobody asks for registration")."""

CURRENCY_NOTE = (
    "Amounts are statutory maxima per infringement in each law's own currency. Accord does not "
    "convert currencies, so amounts in different currencies cannot be ranked against each other."
)

CellState = Literal["applicable", "upcoming", "possible", "none"]
_LIVE_STATUSES = ("applicable", "upcoming")


class Duty(BaseModel):
    """One obligation or prohibition that applies (or may) to the system in one market."""

    rule_id: str
    instrument_id: str
    kind: Literal["obligation", "prohibition"]
    title: str
    outcome: Literal["applies", "possible"]
    status: Literal["applicable", "upcoming"]
    applies_from: dt.date | None = None
    citation: str
    url: str | None = None
    binding: bool
    needs_review: bool
    deadline: str | None = None


class Cell(BaseModel):
    """The duties of one theme in one jurisdiction, summarised for the matrix symbol."""

    theme: str
    jurisdiction: str
    state: CellState = Field(description="Strongest state: applicable > upcoming > possible.")
    earliest: dt.date | None = Field(
        None,
        description="Earliest application date among the duties (upcoming date if none "
        "applies yet).",
    )
    instruments: list[str] = Field(default_factory=list)
    binding: bool = Field(False, description="True if any duty in the cell is binding.")
    needs_review: bool = Field(False, description="True if any duty rests on unverified law.")
    duties: list[Duty] = Field(default_factory=list)


class ColumnInstrument(BaseModel):
    id: str
    short_title: str
    in_scope: Literal["applies", "possible"]
    status: str
    binding: bool


class Column(BaseModel):
    """One jurisdiction; `in_scope` is the strongest scope result of its instruments."""

    jurisdiction: str
    name: str
    in_scope: Literal["applies", "possible"]
    instruments: list[ColumnInstrument]


class Row(BaseModel):
    theme: str
    description: str
    cells: list[Cell] = Field(description="One cell per column, in column order.")


class ThemeGap(BaseModel):
    """A theme some markets regulate and others do not: the first place to look for effort.

    Only binding duties count as regulation here; markets whose only duties on the theme are
    voluntary (opted-in frameworks, "endeavour" clauses) are listed separately.
    """

    theme: str
    with_duties: list[str]
    without_duties: list[str]
    voluntary_only: list[str] = Field(default_factory=list)


class Deadline(BaseModel):
    """Duties of one instrument that start applying on one future date."""

    date: dt.date
    jurisdiction: str
    instrument_id: str
    themes: list[str]
    rule_ids: list[str]
    possible_only: bool = Field(description="True when every duty is only possible.")
    needs_review: bool


class Exposure(BaseModel):
    """The highest statutory maximum fine in one jurisdiction, per currency."""

    jurisdiction: str
    currency: str | None = None
    max_amount: float | None = Field(None, description="None when no tier has a fixed maximum.")
    instrument_id: str | None = None
    penalty: str | None = None
    citation: str | None = None
    formula: str | None = None
    definite: bool = Field(False, description="False when only possible findings trigger it.")
    needs_review: bool = False
    undetermined: list[str] = Field(
        default_factory=list,
        description="Triggered tiers without a computable maximum (e.g. set nationally).",
    )


class ProhibitionHit(BaseModel):
    """A prohibited practice, or a duty not to do something (a conduct ban filed under the
    prohibited-practices theme), that applies or may apply in one market."""

    jurisdiction: str
    instrument_id: str
    rule_id: str
    kind: Literal["prohibition", "conduct_ban"] = Field(
        "prohibition",
        description="prohibition: the practice is banned (the system must not do it); "
        "conduct_ban: a duty not to use the system in a banned way, binding on every use.",
    )
    title: str
    outcome: Literal["applies", "possible"]
    status: Literal["applicable", "upcoming"]
    applies_from: dt.date | None = None
    citation: str
    needs_review: bool


class Differences(BaseModel):
    themes_in_some_markets: list[ThemeGap] = Field(default_factory=list)
    upcoming_deadlines: list[Deadline] = Field(default_factory=list)
    max_exposure: list[Exposure] = Field(default_factory=list)
    currency_note: str = CURRENCY_NOTE
    prohibitions: list[ProhibitionHit] = Field(default_factory=list)


class OutOfScope(BaseModel):
    """An instrument named for context only: out of scope, or in scope without duties."""

    jurisdiction: str
    instrument_id: str
    short_title: str
    status: str


class Comparison(BaseModel):
    """The cross-jurisdiction view of one profile on one date (`accord compare`)."""

    schema_version: str = SCHEMA_VERSION
    accord_version: str
    profile_id: str
    profile_name: str
    as_of: dt.date
    markets: list[str] = Field(description="Markets compared (profile markets or --markets).")
    scenarios: list[str] = Field(default_factory=list)
    frameworks: list[str] = Field(default_factory=list)
    columns: list[Column]
    rows: list[Row]
    differences: Differences
    in_scope_without_duties: list[OutOfScope] = Field(
        default_factory=list,
        description="Instruments that (may) apply but hold no duty for this system; their "
        "jurisdictions get no column.",
    )
    not_in_scope: list[OutOfScope] = Field(
        default_factory=list, description="Instruments of the markets that do not apply."
    )

    def cell(self, theme: str, jurisdiction: str) -> Cell | None:
        """The cell at (theme, jurisdiction), if both exist."""
        codes = [c.jurisdiction for c in self.columns]
        for row in self.rows:
            if row.theme == theme and jurisdiction in codes:
                return row.cells[codes.index(jurisdiction)]
        return None


def relevant_duty(f: Finding) -> bool:
    """A duty for the matrix: an obligation or prohibition that applies or may, now or later."""
    return (
        f.kind in ("obligation", "prohibition")
        and f.outcome != "does_not_apply"
        and f.status in _LIVE_STATUSES
    )


def _related(a: str, b: str) -> bool:
    return vocabulary.within(a, b) or vocabulary.within(b, a)


def compare(
    assessment: Assessment,
    markets: Sequence[str],
    frameworks: Sequence[str] = (),
) -> Comparison:
    """Regroup an assessment by theme and jurisdiction.

    `markets` are the markets to compare (already canonical). An instrument becomes part of a
    column when it is in scope or possibly in scope and its jurisdiction contains or lies inside
    one of the markets; opted-in frameworks are kept whatever their jurisdiction. With no
    markets (unknown), every instrument that may apply is compared.
    """
    order = {m: i for i, m in enumerate(markets)}

    def rank(code: str) -> int:
        if not order:  # unknown markets: EU first, as `assess` orders instruments
            return 0 if code == "EU" else 1
        hits = [i for m, i in order.items() if _related(code, m)]
        return min(hits) if hits else len(order)

    chosen: dict[str, list[InstrumentResult]] = {}
    not_in_scope: list[OutOfScope] = []
    for inst in assessment.instruments:
        related = (
            not markets
            or inst.id in frameworks
            or any(_related(inst.jurisdiction, m) for m in markets)
        )
        if not related:
            continue
        if inst.in_scope == "does_not_apply":
            not_in_scope.append(
                OutOfScope(
                    jurisdiction=inst.jurisdiction,
                    instrument_id=inst.id,
                    short_title=inst.short_title,
                    status=inst.status,
                )
            )
            continue
        chosen.setdefault(inst.jurisdiction, []).append(inst)
    duties: dict[tuple[str, str], list[Duty]] = {}
    for code, instruments in chosen.items():
        for inst in instruments:
            for f in (*inst.prohibitions, *inst.obligations):
                if relevant_duty(f):
                    duties.setdefault((f.theme, code), []).append(_duty(f, inst.id))
    # A jurisdiction whose in-scope instruments ask nothing of this system (e.g. orders that
    # bind only federal agencies) gets a line, not a column of dots.
    with_duties = {code for _, code in duties}
    quiet = [
        OutOfScope(
            jurisdiction=code, instrument_id=i.id, short_title=i.short_title, status=i.status
        )
        for code in sorted(chosen, key=lambda c: (rank(c), c))
        if code not in with_duties
        for i in chosen[code]
    ]
    codes = sorted(with_duties, key=lambda c: (rank(c), c))
    table = vocabulary.jurisdictions()
    columns = [
        Column(
            jurisdiction=code,
            name=table[code].name if code in table else code,
            in_scope="applies"
            if any(i.in_scope == "applies" for i in chosen[code])
            else "possible",
            instruments=[
                ColumnInstrument(
                    id=i.id,
                    short_title=i.short_title,
                    in_scope=i.in_scope,  # type: ignore[arg-type]
                    status=i.status,
                    binding=i.binding,
                )
                for i in chosen[code]
            ],
        )
        for code in codes
    ]
    themes = _themes(t for t, _ in duties)
    descriptions = vocabulary.themes()
    rows = [
        Row(
            theme=t,
            description=descriptions.get(t, ""),
            cells=[_cell(t, code, duties.get((t, code), [])) for code in codes],
        )
        for t in themes
    ]
    differences = Differences(
        themes_in_some_markets=_gaps(rows, codes),
        upcoming_deadlines=_deadlines(chosen, codes),
        max_exposure=[e for code in codes for e in _exposure(code, chosen[code])],
        prohibitions=[p for code in codes for p in _prohibitions(code, chosen[code])],
    )
    return Comparison(
        accord_version=assessment.accord_version,
        profile_id=assessment.profile_id,
        profile_name=assessment.profile_name,
        as_of=assessment.as_of,
        markets=list(markets),
        scenarios=list(assessment.scenarios),
        frameworks=list(frameworks),
        columns=columns,
        rows=rows,
        differences=differences,
        in_scope_without_duties=quiet,
        not_in_scope=not_in_scope,
    )


def _duty(f: Finding, instrument_id: str) -> Duty:
    return Duty(
        rule_id=f.rule_id,
        instrument_id=instrument_id,
        kind=f.kind,  # type: ignore[arg-type]
        title=f.title,
        outcome=f.outcome,  # type: ignore[arg-type]
        status=f.status,  # type: ignore[arg-type]
        applies_from=f.applies_from,
        citation=f.citation,
        url=f.url,
        binding=f.binding,
        needs_review=f.needs_review,
        deadline=f.deadline,
    )


def _themes(found: Iterable[str]) -> list[str]:
    """Core themes first, then other themes with duties, in vocabulary order."""
    present = set(found)
    vocab = list(vocabulary.themes())
    extra = sorted(
        present - set(CORE_THEMES), key=lambda t: (vocab.index(t) if t in vocab else len(vocab), t)
    )
    return [*CORE_THEMES, *extra]


def _cell(theme: str, code: str, duties: list[Duty]) -> Cell:
    duties = sorted(
        duties,
        key=lambda d: (
            d.outcome != "applies",
            d.status != "applicable",
            d.applies_from or dt.date.min,
            d.rule_id,
        ),
    )
    if not duties:
        return Cell(theme=theme, jurisdiction=code, state="none")
    definite = [d for d in duties if d.outcome == "applies"]
    if any(d.status == "applicable" for d in definite):
        state: CellState = "applicable"
    elif definite:
        state = "upcoming"
    else:
        state = "possible"
    dated = [d.applies_from for d in duties if d.applies_from is not None]
    if state == "upcoming":
        dated = [d.applies_from for d in definite if d.applies_from is not None]
    return Cell(
        theme=theme,
        jurisdiction=code,
        state=state,
        earliest=min(dated) if dated else None,
        instruments=sorted({d.instrument_id for d in duties}),
        binding=any(d.binding for d in duties),
        needs_review=any(d.needs_review for d in duties),
        duties=duties,
    )


def _gaps(rows: list[Row], codes: list[str]) -> list[ThemeGap]:
    out = []
    for row in rows:
        with_ = [c.jurisdiction for c in row.cells if c.state != "none" and c.binding]
        soft = [c.jurisdiction for c in row.cells if c.state != "none" and not c.binding]
        if with_ and len(with_) < len(codes):
            out.append(
                ThemeGap(
                    theme=row.theme,
                    with_duties=with_,
                    voluntary_only=soft,
                    without_duties=[c for c in codes if c not in with_ and c not in soft],
                )
            )
    return out


def _deadlines(chosen: dict[str, list[InstrumentResult]], codes: list[str]) -> list[Deadline]:
    groups: dict[tuple[dt.date, str, str], list[Finding]] = {}
    for code in codes:
        for inst in chosen[code]:
            for f in (*inst.prohibitions, *inst.obligations):
                if relevant_duty(f) and f.status == "upcoming" and f.applies_from:
                    groups.setdefault((f.applies_from, code, inst.id), []).append(f)
    out = [
        Deadline(
            date=date,
            jurisdiction=code,
            instrument_id=inst_id,
            themes=sorted({f.theme for f in fs}),
            rule_ids=[f.rule_id for f in fs],
            possible_only=all(f.outcome == "possible" for f in fs),
            needs_review=any(f.needs_review for f in fs),
        )
        for (date, code, inst_id), fs in groups.items()
    ]
    out.sort(key=lambda d: (d.date, codes.index(d.jurisdiction), d.instrument_id))
    return out


def _exposure(code: str, instruments: list[InstrumentResult]) -> list[Exposure]:
    """Highest computable maximum per currency; tiers without one are listed, not guessed."""
    best: dict[str, Exposure] = {}
    undetermined: list[str] = []
    for inst in instruments:
        for p in inst.penalties:
            if p.max_amount is None:
                undetermined.append(f"{p.title} ({p.citation}): {p.formula}")
                continue
            current = best.get(p.currency)
            # The largest tier wins even if only possible; `definite` says so, so nothing
            # is understated.
            if current is None or (p.max_amount or 0) > (current.max_amount or 0):
                best[p.currency] = Exposure(
                    jurisdiction=code,
                    currency=p.currency,
                    max_amount=p.max_amount,
                    instrument_id=inst.id,
                    penalty=p.title,
                    citation=p.citation,
                    formula=p.formula,
                    definite=p.definite,
                    needs_review=p.needs_review,
                )
    if not best:
        return [Exposure(jurisdiction=code, undetermined=undetermined)]
    out = sorted(best.values(), key=lambda e: e.currency or "")
    out[0].undetermined = undetermined
    return out


def _prohibitions(code: str, instruments: list[InstrumentResult]) -> list[ProhibitionHit]:
    return [
        ProhibitionHit(
            jurisdiction=code,
            instrument_id=inst.id,
            rule_id=f.rule_id,
            kind="prohibition" if f.kind == "prohibition" else "conduct_ban",
            title=f.title,
            outcome=f.outcome,  # type: ignore[arg-type]
            status=f.status,  # type: ignore[arg-type]
            applies_from=f.applies_from,
            citation=f.citation,
            needs_review=f.needs_review,
        )
        for inst in instruments
        for f in (*inst.prohibitions, *inst.obligations)
        if relevant_duty(f) and (f.kind == "prohibition" or f.theme == "prohibited-practices")
    ]
