"""NYC Local Law 144 bias-audit tables (6 RCNY 5-301) and the public summary (5-303).

The rule, as implemented here:
- selection rate = selected / individuals in the category (5-301(b));
- scoring rate = share of the category scoring *strictly above* the median score of the whole
  sample, the median taken over every individual with a score, unknown category included (5-301(c));
- impact ratio = rate / highest rate among categories (5-300 "impact ratio");
- sex, race/ethnicity and intersectional sex × race/ethnicity tables, calculated separately;
- individuals with an unknown category are excluded from the calculations and counted
  (5-301(b)(5), (c)(5));
- a category under 2% of the audit data may be excluded from impact ratios only with a stated
  reason; its count and rate are still reported (5-301(d)). "The data" here is the table's audit
  population, unknown category included.
LL144 sets no threshold on impact ratios; thresholds live in eeoc.py, labelled as EEOC's.

The public summary (5-303(a)) carries the date of the most recent bias audit; the source and
explanation of the data (and, for test data, why historical data was not used and how the test
data was generated and obtained, 5-302(b)); the number of individuals in an unknown category;
the number of applicants or candidates, the selection or scoring rates and the impact ratios for
all categories (with the justification of any 2% exclusion, 5-301(d)); and the AEDT's
distribution date. Accord adds the AEDT's name and the auditor, to identify the summary.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from accord.audit.categories import (
    INTERSECTION_SEPARATOR,
    INTERSECTIONAL,
    RACE,
    SEX,
    CategoryMapper,
    UnknownReason,
)
from accord.audit.counts import Cell, Counts
from accord.audit.grouping import LabelledCell, categories, collapse, components
from accord.audit.metrics import impact_ratios, rate
from accord.audit.result import (
    LL144Section,
    PublicSummary,
    PublicSummaryRow,
    RateKind,
    RateRow,
    RateTable,
    UnknownCount,
)
from accord.audit.spec import AuditInfo, AuditSpec, Exclusion, input_error

#: LL144 5-301(d): categories representing less than this share may be excluded.
EXCLUSION_LIMIT = 0.02

#: Facts of the public summary that only the user can give: spec field -> (flag, what is
#: missing, why it matters). A missing one is listed in `missing_fields` and warned about.
REQUIRED_FACTS: dict[str, tuple[str, str, str]] = {
    "aedt": (
        "--aedt",
        "no name of the AEDT",
        "the summary must say which tool its audit date, distribution date and results are for",
    ),
    "distribution_date": (
        "--distribution-date",
        "no distribution date of the AEDT",
        "6 RCNY 5-303(a)(2) requires it in the published summary",
    ),
    "data_description": (
        "--data-description",
        "no source and explanation of the data",
        "6 RCNY 5-303(a)(1) requires it in the published summary; the file or database the "
        "data was read from is not published in its place",
    ),
    "auditor": (
        "--auditor",
        "no independent auditor named",
        "the bias audit must be done by an independent auditor (6 RCNY 5-300, 5-301)",
    ),
    "test_data_explanation": (
        "--test-data-explanation",
        "test data without an explanation",
        "6 RCNY 5-302(b) requires the summary to explain why historical data was not used and "
        "how the test data was generated and obtained",
    ),
}


def missing_facts(info: AuditInfo) -> list[str]:
    """The REQUIRED_FACTS not given (the test-data explanation only matters for test data)."""
    return [
        name
        for name in REQUIRED_FACTS
        if getattr(info, name) is None
        and (name != "test_data_explanation" or info.data_type == "test")
    ]


def missing_fact_warning(name: str) -> str:
    """The warning for one missing fact: what, which flag or spec key, and why."""
    flag, what, why = REQUIRED_FACTS[name]
    return (
        f"LL144 public summary: {what} ({flag} or audit.{name} in the spec); {why}. "
        "The summary says 'not given'."
    )


#: Per kind: (individuals with the measure, positives, all rows). The first is the population
#: of the rate; the last shows a category whose every value is missing (null, NaN, infinite).
MEASURES: dict[RateKind, Callable[[Cell], tuple[int, int, int]]] = {
    "selection": lambda c: (c.n_outcome, c.selected, c.n),
    "scoring": lambda c: (c.n_scored, c.above_median, c.n),
}

_MISSING = {"selection": "outcome", "scoring": "score"}


def missing_measure_reason(kind: RateKind, rows: int) -> str:
    """Why a category with individuals has no rate: all its outcomes or scores are missing."""
    what = _MISSING[kind]
    extra = " (null, NaN or infinite)" if kind == "scoring" else " (null)"
    return (
        f"no {what}: all {rows:,} individuals in this category have a missing {what}{extra}; "
        "no rate or impact ratio"
    )


@dataclass
class ExclusionTracker:
    """Checks each requested exclusion against the 2% rule and remembers which ones matched.

    An exclusion names a category in any accepted spelling (the DCWP's "Native Hawaiian or Other
    Pacific Islander", "White (Not Hispanic or Latino)", any case), resolved through `mappers`.
    In the intersectional table it matches every cell containing that category, or one cell
    when it names both parts ("Female × Asian").
    """

    exclusions: Sequence[Exclusion]
    mappers: Mapping[str, CategoryMapper] = field(default_factory=dict)
    matched: set[int] = field(default_factory=set)
    #: Exclusions that named only categories nobody is in, with the tables where that happened.
    empty: dict[int, list[str]] = field(default_factory=dict)

    def _canonical(self, dimension: str, text: str) -> str:
        mapper = self.mappers.get(dimension)
        return (mapper.canonical(text) if mapper else None) or text.strip()

    def _matches(self, ex: Exclusion, grouping: str, category: str) -> bool:
        if grouping in (SEX, RACE):
            return self._canonical(grouping, ex.category) == category
        if grouping != INTERSECTIONAL:
            return ex.category == category
        sex, race = category.split(INTERSECTION_SEPARATOR, 1)
        named = ex.category.split(INTERSECTION_SEPARATOR.strip())
        if len(named) == 2:  # one cell, its parts in either order
            a, b = (part.strip() for part in named)
            return {sex, race} in (
                {self._canonical(SEX, a), self._canonical(RACE, b)},
                {self._canonical(RACE, a), self._canonical(SEX, b)},
            )
        return (
            self._canonical(SEX, ex.category) == sex or self._canonical(RACE, ex.category) == race
        )

    def _matching(self, grouping: str, category: str) -> list[int]:
        return [
            i
            for i, ex in enumerate(self.exclusions)
            if (not ex.table or ex.table == grouping) and self._matches(ex, grouping, category)
        ]

    def reason_for(self, grouping: str, category: str, share: float | None) -> str | None:
        """The stated reason if `category` in `grouping` is excluded, after checking the 2%."""
        for i in self._matching(grouping, category):
            self.matched.add(i)
            if share is None or share >= EXCLUSION_LIMIT:
                pct = "no data" if share is None else f"{share:.2%} of the data"
                raise input_error(
                    f"Cannot exclude {category!r} from the {grouping} impact ratios: it is {pct}.",
                    "LL144 (6 RCNY 5-301(d)) allows excluding only categories under 2% of the data",
                )
            return self.exclusions[i].reason
        return None

    def note_empty(self, grouping: str, kind: RateKind, category: str) -> None:
        """Record exclusions naming `category`, which has nobody in this table."""
        for i in self._matching(grouping, category):
            tables = self.empty.setdefault(i, [])
            if f"{kind}/{grouping}" not in tables:
                tables.append(f"{kind}/{grouping}")

    def check_all_matched(self) -> None:
        unmatched = [
            ex
            for i, ex in enumerate(self.exclusions)
            if i not in self.matched and i not in self.empty
        ]
        if unmatched:
            names = ", ".join(repr(ex.category) for ex in unmatched)
            raise input_error(
                f"Exclusion of {names} matches no category in the audit tables.",
                "use a category label as printed in the tables, e.g. "
                "'Native American or Alaska Native' (DCWP and EEO-1 spellings are accepted)",
            )

    def empty_only(self) -> list[str]:
        """Warnings for exclusions that named only empty categories: they change nothing."""
        out = []
        for i, tables in self.empty.items():
            if i in self.matched:
                continue
            name = self.exclusions[i].category
            out.append(
                f"Exclusion of {name!r} changes nothing: that category has no individuals in "
                f"the {', '.join(tables)} table{'s' if len(tables) > 1 else ''}. An empty category "
                "has no rate and no impact ratio and cannot be the highest-rate category, so "
                "excluding it has no effect on any impact ratio; it is still listed, with 0 "
                "individuals."
            )
        return out


def rate_table(
    cells: Sequence[LabelledCell],
    grouping: str,
    kind: RateKind,
    mappers: Mapping[str, CategoryMapper],
    exclusions: ExclusionTracker,
) -> RateTable:
    """One LL144 table: counts, rates, impact ratios, unknowns and exclusions."""
    sums, unknown = collapse(cells, grouping, MEASURES[kind], width=3)
    labels = categories(grouping, mappers, cells)
    total = sum(n for n, _, _ in sums.values()) + unknown.count
    rows: list[RateRow] = []
    rates: dict[str, float | None] = {}
    eligible: set[str] = set()
    reasons: dict[str, str | None] = {}
    for label in labels:
        n, k, everyone = sums.get(label, (0, 0, 0))
        share = n / total if total else None
        reason = exclusions.reason_for(grouping, label, share) if n else None
        if not n:
            exclusions.note_empty(grouping, kind, label)
        if not n and everyone:
            reason = missing_measure_reason(kind, everyone)
        if n and reason is None:
            eligible.add(label)
        rates[label] = rate(k, n)
        reasons[label] = reason
    ratios, refs = impact_ratios(rates, eligible)
    for label in labels:
        n, k, _ = sums.get(label, (0, 0, 0))
        rows.append(
            RateRow(
                category=label,
                count=n,
                positives=k,
                rate=rates[label],
                impact_ratio=ratios[label],
                share_of_data=n / total if total else None,
                excluded_from_impact_ratio=reasons[label] is not None,
                exclusion_reason=reasons[label],
            )
        )
    return RateTable(
        dimension=grouping,
        rate_kind=kind,
        rows=rows,
        total=total,
        unknown=UnknownCount(
            count=unknown.count,
            missing=unknown.by_reason[UnknownReason.MISSING],
            declared=unknown.by_reason[UnknownReason.DECLARED],
            unmapped=unknown.by_reason[UnknownReason.UNMAPPED],
            # Most frequent first, ties by value: stable whatever order the engine returns.
            unmapped_values=dict(
                sorted(unknown.unmapped_values.items(), key=lambda kv: (-kv[1], kv[0]))
            ),
        ),
        reference_categories=refs,
    )


def groupings(dimensions: Sequence[str]) -> list[str]:
    """LL144 groupings available for the given dimensions."""
    out = [d for d in (SEX, RACE) if d in dimensions]
    if SEX in dimensions and RACE in dimensions:
        out.append(INTERSECTIONAL)
    return out


def ll144_section(
    counts: Counts,
    cells: Sequence[LabelledCell],
    mappers: Mapping[str, CategoryMapper],
    spec: AuditSpec,
    exclusions: ExclusionTracker,
    source_location: str,
    audit_date: dt.date,
) -> LL144Section | None:
    """Selection and scoring tables for sex, race/ethnicity and intersectional, plus summary."""
    grouped = groupings(counts.dimensions)
    if not grouped:
        return None
    selection = (
        [rate_table(cells, g, "selection", mappers, exclusions) for g in grouped]
        if counts.has_outcome
        else []
    )
    scoring = (
        [rate_table(cells, g, "scoring", mappers, exclusions) for g in grouped]
        if counts.has_score
        else []
    )
    rows = counts.rows
    info = spec.audit
    summary_rows = [
        PublicSummaryRow(
            table=t.dimension,
            rate_kind=t.rate_kind,
            category=r.category,
            count=r.count,
            rate=r.rate,
            impact_ratio=r.impact_ratio,
            excluded_from_impact_ratio=r.excluded_from_impact_ratio,
            exclusion_reason=r.exclusion_reason,
        )
        for t in selection + scoring
        for r in t.rows
    ]
    summary = PublicSummary(
        audit_date=audit_date,
        valid_until=_one_year_after(audit_date),
        aedt=info.aedt,
        auditor=info.auditor,
        distribution_date=info.distribution_date,
        data_source=source_location,
        data_description=info.data_description,
        data_type=info.data_type,
        test_data_explanation=info.test_data_explanation,
        data_period=info.data_period,
        decision=info.decision,
        number_of_individuals=rows,
        unknown_category_count={
            f"{t.rate_kind}/{t.dimension}": t.unknown.count for t in selection + scoring
        },
        missing_fields=missing_facts(info),
        rows=summary_rows,
    )
    return LL144Section(
        selection=selection,
        scoring=scoring,
        median_score=float(counts.median_score) if counts.median_score is not None else None,
        rows_without_outcome=sum(c.n - c.n_outcome for c in counts.cells)
        if counts.has_outcome
        else 0,
        rows_without_score=sum(c.n - c.n_scored for c in counts.cells) if counts.has_score else 0,
        public_summary=summary,
    )


def _one_year_after(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


__all__ = [
    "EXCLUSION_LIMIT",
    "REQUIRED_FACTS",
    "ExclusionTracker",
    "components",
    "ll144_section",
    "missing_fact_warning",
    "missing_facts",
    "rate_table",
]
