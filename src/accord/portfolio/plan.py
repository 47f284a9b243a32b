"""The harmonised control plan: the cheapest controls that cover every duty in every market.

Model. Every duty of every system in every market (see `accord.portfolio.duties`) is an
element to cover. A rule lists the controls that each satisfy it on its own ("any one of"), so
a duty is covered when at least one of its controls is done for that system. A control is done
once per system and then covers that system's duties in every jurisdiction: that is the
harmonisation. Each control has a cost (the catalogue's rough default in person-days, or
`control_costs` in accord.toml); a control already in place for the system costs nothing.

Choosing the cheapest set is a weighted set cover, NP-hard in general, so it is solved exactly
as a 0-1 integer program with HiGHS: one binary variable per (system, control), one covering
row per distinct duty, zero optimality gap. The naive plan covers each (system, jurisdiction)'s
duties on its own, cheapest first, and pays again for a control every further market needs.

Duties whose rule names no control cannot be planned; they are listed, not dropped.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Hashable, Mapping, Sequence
from types import ModuleType
from typing import TYPE_CHECKING, TypeVar

from pydantic import BaseModel, Field

from accord.errors import AccordError, InputError
from accord.portfolio.duties import Duty, controls_in_place

if TYPE_CHECKING:
    from highspy import Highs

K = TypeVar("K", bound=Hashable)

BATCH_COLUMNS = 400
"""Columns per HiGHS program when many independent parts are solved (see min_cost_cover)."""


def resolve_costs(overrides: Mapping[str, float] | None = None) -> dict[str, float]:
    """The catalogue's default costs with `overrides` (from accord.toml) applied.

    An override naming an unknown control or giving a negative or non-finite cost is an input
    error: a typo that silently kept the default would give a confident wrong plan.
    """
    from accord import vocabulary
    from accord.choices import check_names

    costs = dict(vocabulary.control_costs())
    if overrides:
        check_names(
            overrides, vocabulary.controls(), "control in control_costs", "accord vocab controls"
        )
        for cid, value in overrides.items():
            if not isinstance(value, int | float) or not math.isfinite(value) or value < 0:
                raise InputError(
                    f"control_costs: {cid} = {value!r} is not a cost; use a number of "
                    "person-days >= 0, e.g. bias-audit = 30"
                )
            costs[cid] = float(value)
    return costs


def min_cost_cover(sets: Sequence[frozenset[K]], cost: Mapping[K, float]) -> set[K]:
    """A minimum-cost set of keys that meets every set in `sets` (exact).

    Reductions that cannot change the optimum come first: zero-cost keys are taken outright,
    a set with a single key forces it, and the sets those meet are dropped. What is left splits
    into independent parts (sets linked by shared keys: in a portfolio, at most one system
    each), each a 0-1 program solved by HiGHS with no optimality gap; identical parts are
    solved once. Every set must be non-empty and every key must have a cost.
    """
    if any(not s for s in sets):
        raise ValueError("a set with no keys cannot be covered")
    chosen = {k for s in sets for k in s if cost[k] == 0}
    rows = {s for s in sets if not (s & chosen)}
    while forced := {next(iter(s)) for s in rows if len(s) == 1}:
        chosen |= forced
        rows = {s for s in rows if not (s & forced)}
    if not rows:
        return chosen
    # Identical parts (same rows over same-priced keys) are solved once; distinct ones are
    # packed into programs of a few hundred columns: one program per part costs more in
    # set-up than in solving, one program for everything slows the branch and bound.
    shapes: dict[tuple[tuple[tuple[int, ...], ...], tuple[float, ...]], list[list[K]]] = {}
    for part in _parts(rows):
        keys = sorted({k for s in part for k in s}, key=repr)
        index = {k: i for i, k in enumerate(keys)}
        shape = tuple(sorted(tuple(sorted(index[k] for k in s)) for s in part))
        shapes.setdefault((shape, tuple(float(cost[k]) for k in keys)), []).append(keys)
    highs = _quiet_highs()
    batch: list[tuple[tuple[tuple[int, ...], ...], tuple[float, ...]]] = []
    width = 0
    for i, key in enumerate(shapes):
        batch.append(key)
        width += len(key[1])
        if width >= BATCH_COLUMNS or i == len(shapes) - 1:
            for (shape, prices), picked in zip(batch, _solve_batch(highs, batch), strict=True):
                for keys in shapes[(shape, prices)]:
                    chosen |= {keys[j] for j in picked}
            batch, width = [], 0
    missing = [s for s in rows if not (s & chosen)]
    if missing:  # never expected from an optimal solution; guards against a solver fault
        raise AccordError("the control-plan solver returned a plan that misses a duty")
    return chosen


def _parts(rows: set[frozenset[K]]) -> list[list[frozenset[K]]]:
    """The sets grouped into connected parts (two sets are linked when they share a key)."""
    parent: dict[K, K] = {}

    def root(k: K) -> K:
        while parent.setdefault(k, k) != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    for s in rows:
        first, *rest = s
        for k in rest:
            parent[root(k)] = root(first)
    groups: dict[K, list[frozenset[K]]] = {}
    for s in sorted(rows, key=lambda s: sorted(map(repr, s))):
        groups.setdefault(root(next(iter(s))), []).append(s)
    return list(groups.values())


def _solve_batch(
    highs: Highs, parts: list[tuple[tuple[tuple[int, ...], ...], tuple[float, ...]]]
) -> list[set[int]]:
    """Solve independent parts as one program; each part's chosen columns, in its numbering."""
    rows: list[tuple[int, ...]] = []
    prices: list[float] = []
    for shape, part_prices in parts:
        offset = len(prices)
        rows += [tuple(offset + j for j in r) for r in shape]
        prices += part_prices
    owner: list[tuple[int, int]] = []  # column -> (part, its column in the part)
    for n, (_, part_prices) in enumerate(parts):
        owner += [(n, j) for j in range(len(part_prices))]
    out: list[set[int]] = [set() for _ in parts]
    for column in _solve(highs, tuple(rows), tuple(prices)):
        n, j = owner[column]
        out[n].add(j)
    return out


def _solve(highs: Highs, rows: tuple[tuple[int, ...], ...], prices: tuple[float, ...]) -> set[int]:
    """One 0-1 program: columns 0..n-1 with `prices`, each row needing a chosen column."""
    import numpy as np

    hs = _highspy()
    lp = hs.HighsLp()
    lp.num_col_ = len(prices)
    lp.num_row_ = len(rows)
    lp.col_cost_ = np.array(prices, dtype=float)
    lp.col_lower_ = np.zeros(len(prices))
    lp.col_upper_ = np.ones(len(prices))
    lp.row_lower_ = np.ones(len(rows))
    lp.row_upper_ = np.full(len(rows), hs.kHighsInf)
    starts = [0]
    columns: list[int] = []
    for r in rows:
        columns += r
        starts.append(len(columns))
    lp.a_matrix_.format_ = hs.MatrixFormat.kRowwise
    lp.a_matrix_.start_ = np.array(starts, dtype=np.int32)
    lp.a_matrix_.index_ = np.array(columns, dtype=np.int32)
    lp.a_matrix_.value_ = np.ones(len(columns))
    lp.integrality_ = [hs.HighsVarType.kInteger] * len(prices)
    highs.passModel(lp)
    highs.run()
    if highs.getModelStatus() != hs.HighsModelStatus.kOptimal:
        status = highs.modelStatusToString(highs.getModelStatus())
        raise AccordError(f"the control-plan solver did not find an optimum ({status})")
    return {i for i, v in enumerate(highs.getSolution().col_value) if v > 0.5}


def _highspy() -> ModuleType:
    """The highspy module, imported on first use: it is heavy and only the plan needs it."""
    import highspy

    return highspy


def _quiet_highs() -> Highs:
    """A HiGHS instance that prints nothing and stops only at the exact optimum.

    Constructing `highspy.Highs` prints a banner from C code to file descriptor 1 before any
    option can be set, which would corrupt JSON or CSV on standard output; it is sent to
    /dev/null for that moment.
    """
    import os
    import sys

    highspy = _highspy()
    sys.stdout.flush()
    try:
        saved = os.dup(1)
    except OSError:  # no usable descriptor 1: nothing to protect
        saved = None
    if saved is not None:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        os.close(devnull)
    try:
        highs = highspy.Highs()
        highs.setOptionValue("output_flag", False)
    finally:
        if saved is not None:
            os.dup2(saved, 1)
            os.close(saved)
    highs.setOptionValue("mip_rel_gap", 0.0)
    highs.setOptionValue("mip_abs_gap", 0.0)
    highs.setOptionValue("threads", 1)
    return highs


class PlannedControl(BaseModel):
    """A control the plan does for one system, and what it covers there."""

    control: str
    cost: float = Field(description="What it costs in the plan (0 when already in place).")
    in_place: bool = Field(description="Already in place for every duty that records it.")
    jurisdictions: list[str] = Field(description="Markets whose duties it covers.")
    covers: list[str] = Field(description="Rule ids of the duties it covers.")


class SystemPlan(BaseModel):
    system_id: str
    system_name: str
    duties: int = Field(description="Duties to cover (with at least one control).")
    jurisdictions: list[str]
    controls: list[PlannedControl]
    cost: float = Field(description="Harmonised cost for this system.")
    naive_cost: float = Field(description="Cost when each jurisdiction is handled on its own.")


class UncoveredDuty(BaseModel):
    """A duty whose rule names no control: no plan can cover it; it needs its own work."""

    system_id: str
    jurisdiction: str
    instrument: str
    rule_id: str
    title: str


class ControlPlan(BaseModel):
    """The harmonised plan for a portfolio on a date, against the naive plan."""

    as_of: dt.date
    within: str | None = Field(
        None,
        description="Horizon, e.g. 180d: upcoming duties counted only if they start by "
        "`until`; None: every upcoming duty.",
    )
    until: dt.date | None = None
    possible: bool = Field(False, description="Whether duties that may apply are counted.")
    systems: list[SystemPlan]
    duties: int = Field(description="Duties covered by the plan.")
    total_cost: float
    naive_cost: float
    saving: float
    saving_percent: float | None = Field(None, description="None when the naive plan costs 0.")
    naive_by_jurisdiction: dict[str, float] = Field(
        default_factory=dict, description="Naive plan: what each jurisdiction's duties cost."
    )
    uncovered: list[UncoveredDuty] = Field(default_factory=list)
    costs: dict[str, float] = Field(
        default_factory=dict, description="Cost of each control the plan considered."
    )
    unit: str = "person-days"


def build_plan(
    duties: Sequence[Duty],
    as_of: dt.date,
    costs: Mapping[str, float],
    *,
    within: str | None = None,
    until: dt.date | None = None,
    possible: bool = False,
) -> ControlPlan:
    """Solve the harmonised plan and the naive plan for these duties (see the module doc)."""
    plannable = [d for d in duties if d.controls]
    unknown = sorted({c for d in plannable for c in d.controls if c not in costs})
    if unknown:
        raise InputError(
            f"no cost for control(s) {', '.join(unknown)}; set them in accord.toml, e.g. "
            f"control_costs = {{{unknown[0]} = 5}}"
        )
    done = controls_in_place(plannable)

    def price(system: str, control: str) -> float:
        return 0.0 if control in done.get(system, set()) else float(costs[control])

    # Harmonised: one key per (system, control).
    sets = [frozenset((d.system_id, c) for c in d.controls) for d in plannable]
    keys = {k for s in sets for k in s}
    chosen = min_cost_cover(sets, {k: price(*k) for k in keys})
    # Naive: one key per (system, jurisdiction, control); a control pays in every market.
    naive_sets = [
        frozenset((d.system_id, d.jurisdiction, c) for c in d.controls) for d in plannable
    ]
    naive_keys = {k for s in naive_sets for k in s}
    naive = min_cost_cover(naive_sets, {k: price(k[0], k[2]) for k in naive_keys})

    per_system: dict[str, list[Duty]] = {}
    for d in plannable:
        per_system.setdefault(d.system_id, []).append(d)
    picked: dict[str, list[str]] = {}
    for sid, c in chosen:
        picked.setdefault(sid, []).append(c)
    naive_cost: dict[str, float] = {}
    for sid, _, c in naive:
        naive_cost[sid] = naive_cost.get(sid, 0.0) + price(sid, c)
    systems: list[SystemPlan] = []
    for sid, mine in per_system.items():
        controls = []
        for c in sorted(picked.get(sid, [])):
            covered = [d for d in mine if c in d.controls]
            controls.append(
                PlannedControl(
                    control=c,
                    cost=price(sid, c),
                    in_place=c in done.get(sid, set()),
                    jurisdictions=sorted({d.jurisdiction for d in covered}),
                    covers=list(dict.fromkeys(d.rule_id for d in covered)),
                )
            )
        systems.append(
            SystemPlan(
                system_id=sid,
                system_name=mine[0].system_name,
                duties=len(mine),
                jurisdictions=sorted({d.jurisdiction for d in mine}),
                controls=controls,
                cost=sum(p.cost for p in controls),
                naive_cost=naive_cost.get(sid, 0.0),
            )
        )
    by_jurisdiction: dict[str, float] = {}
    for s, j, c in naive:
        by_jurisdiction[j] = by_jurisdiction.get(j, 0.0) + price(s, c)
    total = sum(p.cost for p in systems)
    naive_total = sum(p.naive_cost for p in systems)
    used = sorted({c for d in plannable for c in d.controls})
    return ControlPlan(
        as_of=as_of,
        within=within,
        until=until,
        possible=possible,
        systems=systems,
        duties=len(plannable),
        total_cost=total,
        naive_cost=naive_total,
        saving=naive_total - total,
        saving_percent=round(100 * (naive_total - total) / naive_total, 1) if naive_total else None,
        naive_by_jurisdiction=dict(sorted(by_jurisdiction.items())),
        uncovered=[
            UncoveredDuty(
                system_id=d.system_id,
                jurisdiction=d.jurisdiction,
                instrument=d.instrument,
                rule_id=d.rule_id,
                title=d.title,
            )
            for d in duties
            if not d.controls
        ],
        costs={c: float(costs[c]) for c in used},
    )
