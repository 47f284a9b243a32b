"""Classification fairness from confusion counts, in fairlearn's vocabulary.

fairlearn's MetricFrame needs every row in memory; the same numbers follow from TP/FP/TN/FN per
group, which the engine counts in the one grouped query. Names follow fairlearn so that users can
move between the two: `by_group`, `overall`, `difference()` (max - min between groups),
`ratio()` (min / max), `demographic_parity_difference`, `equalized_odds_difference`, ...
Groups with an unknown category are left out (and counted), as in the LL144 tables; `overall`
is taken over the same rows as `by_group`, so it equals fairlearn run on those rows.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from accord.audit.categories import CategoryMapper
from accord.audit.grouping import LabelledCell, categories, collapse
from accord.audit.metrics import rate, spread
from accord.audit.result import FairnessTable, GroupMetrics

METRICS = (
    "selection_rate",
    "true_positive_rate",
    "false_positive_rate",
    "positive_predictive_value",
)


def group_metrics(tp: int, fp: int, tn: int, fn: int) -> GroupMetrics:
    """Rates for one group; a rate with an empty denominator is None, not 0."""
    n = tp + fp + tn + fn
    return GroupMetrics(
        count=n,
        tp=tp,
        fp=fp,
        tn=tn,
        fn=fn,
        selection_rate=rate(tp + fp, n),
        true_positive_rate=rate(tp, tp + fn),
        false_positive_rate=rate(fp, fp + tn),
        positive_predictive_value=rate(tp, tp + fp),
    )


def fairness_table(
    cells: Sequence[LabelledCell], grouping: str, mappers: Mapping[str, CategoryMapper]
) -> FairnessTable:
    """by_group, overall, difference, ratio and the named parity measures for one grouping."""
    sums, unknown = collapse(
        cells, grouping, lambda c: (c.n_classified, c.tp, c.fp, c.tn, c.fn), width=5
    )
    by_group = {
        label: group_metrics(*sums[label][1:])
        for label in categories(grouping, mappers, cells)
        if label in sums and sums[label][0] > 0
    }
    totals = [sum(g[i] for g in sums.values()) for i in range(1, 5)]
    overall = group_metrics(*totals)
    difference: dict[str, float | None] = {}
    ratio: dict[str, float | None] = {}
    for metric in METRICS:
        difference[metric], ratio[metric] = spread(
            {k: getattr(g, metric) for k, g in by_group.items()}
        )
    tpr_d, fpr_d = difference["true_positive_rate"], difference["false_positive_rate"]
    tpr_r, fpr_r = ratio["true_positive_rate"], ratio["false_positive_rate"]
    return FairnessTable(
        dimension=grouping,
        by_group=by_group,
        overall=overall,
        difference=difference,
        ratio=ratio,
        demographic_parity_difference=difference["selection_rate"],
        demographic_parity_ratio=ratio["selection_rate"],
        equalized_odds_difference=_worst(tpr_d, fpr_d, max),
        equalized_odds_ratio=_worst(tpr_r, fpr_r, min),
        equal_opportunity_difference=tpr_d,
        unknown_count=unknown.count,
    )


def _worst(a: float | None, b: float | None, pick: Callable[[float, float], float]) -> float | None:
    """fairlearn's 'worst_case' aggregation over TPR and FPR; None if either is undefined."""
    if a is None or b is None:
        return None
    return pick(a, b)
