"""The portfolio table: systems x jurisdictions, read from each system's verdict lines.

A cell sums the verdict lines of the jurisdiction's instruments for the system, so the table
can never disagree with what `accord assess` prints for one system. Instruments that do not
apply, or apply but bind nothing (e.g. executive orders that bind only agencies), make no cell;
a jurisdiction with no cell gets no column.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from pydantic import BaseModel, Field

from accord.engine.result import Assessment, VerdictLine


class Cell(BaseModel):
    """One system in one jurisdiction (or a jurisdiction's totals)."""

    jurisdiction: str
    instruments: list[str] = Field(default_factory=list)
    classes: list[str] = Field(
        default_factory=list, description="Verdict classes, e.g. 'high-risk from 2027-12-02'."
    )
    prohibited: int = Field(0, description="Prohibited practices that apply now.")
    duties_now: int = 0
    duties_upcoming: int = 0
    duties_possible: int = 0
    gaps: int = Field(0, description="Duties applicable now with no control in place.")
    next_date: dt.date | None = Field(None, description="Earliest date an upcoming duty starts.")
    systems: int = Field(1, description="Systems counted (totals: systems with a cell).")

    def add(self, other: Cell) -> None:
        """Fold another cell's counts into this one (for totals)."""
        self.prohibited += other.prohibited
        self.duties_now += other.duties_now
        self.duties_upcoming += other.duties_upcoming
        self.duties_possible += other.duties_possible
        self.gaps += other.gaps
        self.systems += other.systems
        dates = [d for d in (self.next_date, other.next_date) if d]
        self.next_date = min(dates) if dates else None


class Row(BaseModel):
    system_id: str
    system_name: str
    source: str | None = Field(None, description="Profile file or registry id@version.")
    cells: list[Cell] = Field(description="Only the jurisdictions where something binds.")
    total: Cell


class PortfolioTable(BaseModel):
    as_of: dt.date
    jurisdictions: list[str] = Field(description="Columns: jurisdictions with at least one cell.")
    rows: list[Row]
    totals: list[Cell] = Field(description="Per jurisdiction, in column order.")
    total: Cell = Field(description="The whole portfolio.")

    def cell(self, system_id: str, jurisdiction: str) -> Cell | None:
        for row in self.rows:
            if row.system_id == system_id:
                return next((c for c in row.cells if c.jurisdiction == jurisdiction), None)
        return None


def _cell(jurisdiction: str, lines: Sequence[VerdictLine]) -> Cell:
    dates = [v.next_date for v in lines if v.next_date]
    return Cell(
        jurisdiction=jurisdiction,
        instruments=[v.instrument for v in lines],
        classes=[c for v in lines for c in v.classes],
        prohibited=sum(len(v.prohibited) for v in lines),
        duties_now=sum(v.duties_now for v in lines),
        duties_upcoming=sum(v.duties_upcoming for v in lines),
        duties_possible=sum(v.duties_possible for v in lines),
        gaps=sum(v.gaps for v in lines),
        next_date=min(dates) if dates else None,
    )


def build_table(
    assessments: Sequence[Assessment], sources: Sequence[str | None] | None = None
) -> PortfolioTable:
    """The table for these assessments (all on one date); `sources` label each row."""
    if not assessments:
        raise ValueError("a portfolio table needs at least one assessment")
    rows: list[Row] = []
    for i, a in enumerate(assessments):
        grouped: dict[str, list[VerdictLine]] = {}
        for v in a.verdict:
            if v.in_scope == "does_not_apply" or v.settled_nothing_binding:
                continue
            grouped.setdefault(v.jurisdiction, []).append(v)
        cells = [_cell(j, lines) for j, lines in grouped.items()]
        total = Cell(jurisdiction="all", systems=0)
        for c in cells:
            total.add(c.model_copy(update={"systems": 0}))
        total.systems = 1
        rows.append(
            Row(
                system_id=a.profile_id,
                system_name=a.profile_name,
                source=sources[i] if sources else None,
                cells=cells,
                total=total,
            )
        )
    codes = sorted({c.jurisdiction for r in rows for c in r.cells}, key=lambda j: (j != "EU", j))
    totals = {j: Cell(jurisdiction=j, systems=0) for j in codes}
    for r in rows:
        for c in r.cells:
            totals[c.jurisdiction].add(c)
    grand = Cell(jurisdiction="all", systems=0)
    for r in rows:
        grand.add(r.total)
    return PortfolioTable(
        as_of=assessments[0].as_of,
        jurisdictions=codes,
        rows=rows,
        totals=[totals[j] for j in codes],
        total=grand,
    )
