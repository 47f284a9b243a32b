"""Collapse the fine cell table (one row per raw value combination) into the tables people read.

The engine returns counts per combination of *raw* values of every category column. Here each raw
value is mapped to a label once, and the cells are summed into sex, race/ethnicity,
intersectional or custom groupings, keeping unknowns apart with the reason they are unknown.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from accord.audit.categories import (
    INTERSECTIONAL,
    RACE,
    SEX,
    CategoryMapper,
    Mapped,
    UnknownReason,
    intersection_label,
    normalise_key,
)
from accord.audit.counts import Cell, Counts


@dataclass(frozen=True)
class LabelledCell:
    """A cell with each raw category value mapped to a label (or an unknown reason)."""

    cell: Cell
    mapped: Mapping[str, Mapped]
    raw: Mapping[str, object]


def label_cells(counts: Counts, mappers: Mapping[str, CategoryMapper]) -> list[LabelledCell]:
    """Map every cell's raw key once."""
    out = []
    for cell in counts.cells:
        raw = dict(zip(counts.dimensions, cell.key, strict=True))
        mapped = {dim: mappers[dim].map(value) for dim, value in raw.items()}
        out.append(LabelledCell(cell, mapped, raw))
    return out


def components(grouping: str) -> tuple[str, ...]:
    """The dimensions a grouping is made of: intersectional is sex × race/ethnicity."""
    return (SEX, RACE) if grouping == INTERSECTIONAL else (grouping,)


def category_of(lc: LabelledCell, grouping: str) -> str | None:
    """The label of `lc` in `grouping`, or None when any component is unknown."""
    labels = [lc.mapped[d].label for d in components(grouping)]
    if any(label is None for label in labels):
        return None
    return intersection_label(*labels) if grouping == INTERSECTIONAL else labels[0]  # type: ignore[arg-type]


def categories(
    grouping: str, mappers: Mapping[str, CategoryMapper], cells: Iterable[LabelledCell]
) -> list[str]:
    """Every category to report, standard EEO-1 ones first even when nobody is in them."""
    cells = list(cells)

    def seen(dim: str) -> list[str]:
        return [lc.mapped[dim].label for lc in cells if lc.mapped[dim].label is not None]  # type: ignore[misc]

    if grouping == INTERSECTIONAL:
        sexes = mappers[SEX].labels(seen(SEX))
        races = mappers[RACE].labels(seen(RACE))
        return [intersection_label(s, r) for s in sexes for r in races]
    return mappers[grouping].labels(seen(grouping))


@dataclass
class Unknowns:
    """Accumulates unknown-category counts with their reasons."""

    count: int = 0
    by_reason: Counter[UnknownReason] = field(default_factory=Counter)
    unmapped_values: Counter[str] = field(default_factory=Counter)

    def add(self, lc: LabelledCell, grouping: str, weight: int) -> None:
        if not weight:
            return
        self.count += weight
        reasons = [lc.mapped[d].reason for d in components(grouping)]
        for reason in (UnknownReason.UNMAPPED, UnknownReason.DECLARED, UnknownReason.MISSING):
            if reason in reasons:
                self.by_reason[reason] += weight
                break
        for dim in components(grouping):
            if lc.mapped[dim].reason is UnknownReason.UNMAPPED:
                value = normalise_key(lc.raw[dim]) or ""
                prefix = f"{dim}: " if grouping == INTERSECTIONAL else ""
                self.unmapped_values[prefix + value] += weight


def collapse(
    cells: Iterable[LabelledCell],
    grouping: str,
    measure: Callable[[Cell], tuple[int, ...]],
    width: int,
) -> tuple[dict[str, tuple[int, ...]], Unknowns]:
    """Sum `measure(cell)` per category of `grouping`; unknown cells go to Unknowns.

    `measure` returns a tuple whose first element is the population the unknown count is
    measured in (e.g. rows with an outcome).
    """
    sums: dict[str, list[int]] = {}
    unknown = Unknowns()
    for lc in cells:
        values = measure(lc.cell)
        label = category_of(lc, grouping)
        if label is None:
            unknown.add(lc, grouping, values[0])
            continue
        acc = sums.setdefault(label, [0] * width)
        for i, v in enumerate(values):
            acc[i] += v
    return {k: tuple(v) for k, v in sums.items()}, unknown
