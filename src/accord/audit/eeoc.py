"""EEOC four-fifths checks, with significance tests and Wilson intervals.

The four-fifths rule comes from the EEOC's Uniform Guidelines (29 CFR 1607.4(D)): a selection
rate under 80% of the highest group's is "generally" evidence of adverse impact. It is a rule of
thumb, not a legal bright line, and NYC LL144 sets no threshold at all. So every flag produced
here carries the EEOC label, and each flag comes with a test of whether the gap could be chance:
small groups flag easily and prove little.
"""

from __future__ import annotations

from collections.abc import Sequence

from accord.audit.metrics import compare_proportions, wilson_interval
from accord.audit.result import FOUR_FIFTHS, EEOCSection, FourFifthsRow, RateTable, Significance

ALPHA = 0.05


def four_fifths(tables: Sequence[RateTable]) -> EEOCSection:
    """Check every non-empty category of every table against its table's reference category."""
    rows: list[FourFifthsRow] = []
    for table in tables:
        by_name = {r.category: r for r in table.rows}
        ref = by_name.get(table.reference_categories[0]) if table.reference_categories else None
        for r in table.rows:
            if r.count == 0:
                continue
            significance = None
            if ref is not None and r.category != ref.category and not r.excluded_from_impact_ratio:
                test = compare_proportions(r.positives, r.count, ref.positives, ref.count)
                if test is not None:
                    significance = Significance(
                        test=test.test,
                        statistic=test.statistic,
                        p_value=test.p_value,
                        significant_at_0_05=test.p_value < ALPHA,
                    )
            flag = None if r.impact_ratio is None else r.impact_ratio < FOUR_FIFTHS
            rows.append(
                FourFifthsRow(
                    table=f"{table.rate_kind}/{table.dimension}",
                    category=r.category,
                    count=r.count,
                    rate=r.rate,
                    rate_ci95=wilson_interval(r.positives, r.count),
                    reference_category=ref.category if ref else None,
                    impact_ratio=r.impact_ratio,
                    eeoc_rule_of_thumb_flag=flag,
                    significance=significance,
                )
            )
    return EEOCSection(rows=rows)
