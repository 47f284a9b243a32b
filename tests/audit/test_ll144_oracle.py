"""LL144 tables against an independent, deliberately naive row-by-row implementation."""

from __future__ import annotations

import statistics
from pathlib import Path
from typing import Any

import pytest
from audit_testdata import generate_rows, write_parquet

from accord.audit import bias_audit
from accord.audit.result import AuditResult, RateTable

SEX_LABELS = ["Male", "Female"]
RACE_LABELS = [
    "Hispanic or Latino",
    "White",
    "Black or African American",
    "Native Hawaiian or Pacific Islander",
    "Asian",
    "Native American or Alaska Native",
    "Two or More Races",
]


def oracle_label(value: str | None, labels: list[str]) -> str | None:
    """The test's own mapping: exact EEO-1 labels, ignoring case; anything else is unknown."""
    if value is None:
        return None
    for label in labels:
        if value.strip().lower() == label.lower():
            return label
    return None


def oracle_table(rows: list[dict[str, Any]], grouping: str, kind: str) -> dict[str, Any]:
    """Straight from the rule's text: count, rate, rate / highest rate, unknown count."""
    if kind == "scoring":
        population = [r for r in rows if r["score"] is not None]
        median = statistics.median(r["score"] for r in population)
        positive = [r["score"] > median for r in population]
    else:
        population = [r for r in rows if r["selected"] is not None]
        positive = [bool(r["selected"]) for r in population]
    counts: dict[str, list[int]] = {}
    unknown = 0
    for r, pos in zip(population, positive, strict=True):
        s = oracle_label(r["sex"], SEX_LABELS)
        race = oracle_label(r["race"], RACE_LABELS)
        if grouping == "sex":
            label = s
        elif grouping == "race_ethnicity":
            label = race
        else:
            label = f"{s} × {race}" if s and race else None
        if label is None:
            unknown += 1
            continue
        c = counts.setdefault(label, [0, 0])
        c[0] += 1
        c[1] += int(pos)
    if grouping == "sex":
        labels = SEX_LABELS
    elif grouping == "race_ethnicity":
        labels = RACE_LABELS
    else:
        labels = [f"{s} × {r}" for s in SEX_LABELS for r in RACE_LABELS]
    rates = {lab: (counts[lab][1] / counts[lab][0] if lab in counts else None) for lab in labels}
    best = max((v for v in rates.values() if v is not None), default=None)
    out = []
    for lab in labels:
        n, k = counts.get(lab, [0, 0])
        r = rates[lab]
        ir = r / best if r is not None and best else None
        out.append((lab, n, k, r, ir))
    return {"rows": out, "unknown": unknown}


def assert_table_matches(table: RateTable, expected: dict[str, Any]) -> None:
    got = [(r.category, r.count, r.positives, r.rate, r.impact_ratio) for r in table.rows]
    assert [g[:3] for g in got] == [e[:3] for e in expected["rows"]]
    for g, e in zip(got, expected["rows"], strict=True):
        for a, b in ((g[3], e[3]), (g[4], e[4])):
            assert (a is None) == (b is None), (g, e)
            if a is not None:
                assert a == pytest.approx(b, abs=1e-12)
    assert table.unknown.count == expected["unknown"]
    assert table.total == sum(e[1] for e in expected["rows"]) + expected["unknown"]


def run(rows: list[dict[str, Any]], tmp_path: Path) -> AuditResult:
    path = write_parquet(rows, tmp_path / "d.parquet")
    return bias_audit(str(path), outcome="selected", score="score", sex="sex", race="race")


def check_all(result: AuditResult, rows: list[dict[str, Any]]) -> None:
    assert result.ll144 is not None
    for kind, tables in (("selection", result.ll144.selection), ("scoring", result.ll144.scoring)):
        assert [t.dimension for t in tables] == ["sex", "race_ethnicity", "intersectional"]
        for t in tables:
            assert_table_matches(t, oracle_table(rows, t.dimension, kind))


def test_generated_data_matches_oracle(parquet_file: Path, rows: list[dict[str, Any]]) -> None:
    result = bias_audit(
        str(parquet_file), outcome="selected", score="score", sex="sex", race="race"
    )
    check_all(result, rows)
    assert result.ll144 is not None
    assert result.ll144.median_score == statistics.median(r["score"] for r in rows)


def test_ties_at_the_median_are_not_above(tmp_path: Path) -> None:
    rows = generate_rows(400, seed=3, messy=False)
    for r in rows:
        r["score"] = 5 if r["score"] % 3 else 7  # most scores tie exactly at the median
    result = run(rows, tmp_path)
    check_all(result, rows)
    assert result.ll144 is not None
    assert result.ll144.median_score == 5
    sex = result.ll144.scoring[0]
    assert sum(r.positives for r in sex.rows) == sum(r["score"] == 7 for r in rows)


def test_all_scores_equal_gives_no_impact_ratio(tmp_path: Path) -> None:
    rows = generate_rows(50, seed=4, messy=False)
    for r in rows:
        r["score"] = 3
    result = run(rows, tmp_path)
    check_all(result, rows)
    assert result.ll144 is not None
    assert all(r.rate == 0 and r.impact_ratio is None for r in result.ll144.scoring[0].rows)


def test_even_sample_median_is_the_mean_of_the_middle_two(tmp_path: Path) -> None:
    rows = generate_rows(4, seed=5, messy=False)
    for r, s in zip(rows, [1, 2, 3, 10], strict=True):
        r["score"] = s
    result = run(rows, tmp_path)
    assert result.ll144 is not None
    assert result.ll144.median_score == 2.5
    check_all(result, rows)


def test_empty_categories_are_listed_with_no_rate(tmp_path: Path) -> None:
    rows = [r for r in generate_rows(600, seed=8, messy=False) if r["race"] != "Asian"]
    result = run(rows, tmp_path)
    check_all(result, rows)
    assert result.ll144 is not None
    asian = next(r for r in result.ll144.selection[1].rows if r.category == "Asian")
    assert (asian.count, asian.rate, asian.impact_ratio) == (0, None, None)


def test_category_that_is_all_unknown(tmp_path: Path) -> None:
    rows = generate_rows(300, seed=9, messy=False)
    for r in rows:
        r["race"] = None
    result = run(rows, tmp_path)
    check_all(result, rows)
    assert result.ll144 is not None
    race = result.ll144.selection[1]
    assert race.unknown.count == race.total == 300
    assert race.unknown.missing == 300
    assert race.reference_categories == []
    assert any("every individual has an unknown category" in w for w in result.warnings)


def test_single_category_sample(tmp_path: Path) -> None:
    rows = generate_rows(200, seed=10, messy=False)
    for r in rows:
        r["sex"] = "Female"
    result = run(rows, tmp_path)
    check_all(result, rows)
    assert result.ll144 is not None
    sex = result.ll144.selection[0]
    assert [(r.category, r.impact_ratio) for r in sex.rows] == [("Male", None), ("Female", 1.0)]
    assert any("only one category" in w for w in result.warnings)


def test_unknown_values_are_reported_by_reason(
    parquet_file: Path, rows: list[dict[str, Any]]
) -> None:
    result = bias_audit(str(parquet_file), outcome="selected", sex="sex", race="race")
    assert result.ll144 is not None
    race = result.ll144.selection[1]
    assert race.unknown.missing == sum(r["race"] is None for r in rows)
    assert race.unknown.unmapped == sum(r["race"] == "Martian" for r in rows)
    assert race.unknown.unmapped_values == {"Martian": race.unknown.unmapped}
    sex = result.ll144.selection[0]
    assert sex.unknown.declared == sum(r["sex"] == "Decline to state" for r in rows)
    assert any("Martian" in w for w in result.warnings)


def test_null_outcomes_are_counted_not_dropped(tmp_path: Path) -> None:
    rows = generate_rows(300, seed=11, messy=False)
    for r in rows[:17]:
        r["selected"] = None
    result = run(rows, tmp_path)
    check_all(result, rows)
    assert result.ll144 is not None
    assert result.ll144.rows_without_outcome == 17
    assert result.ll144.selection[0].total == 283


def test_exclusion_under_two_percent_keeps_count_and_rate(tmp_path: Path) -> None:
    rows = generate_rows(2000, seed=12, messy=False)
    small = "Native American or Alaska Native"
    rows = [r for i, r in enumerate(rows) if r["race"] != small or i % 2]  # about 1%
    path = write_parquet(rows, tmp_path / "d.parquet")
    reason = "fewer than 2% of applicants; ratio would be unstable"
    result = bias_audit(
        str(path),
        outcome="selected",
        sex="sex",
        race="race",
        exclusions=[{"category": "Native American or Alaska Native", "reason": reason}],
    )
    assert result.ll144 is not None
    race = result.ll144.selection[1]
    row = next(r for r in race.rows if r.category == "Native American or Alaska Native")
    assert row.excluded_from_impact_ratio and row.exclusion_reason == reason
    assert row.impact_ratio is None and row.rate is not None and row.count > 0
    assert row.share_of_data is not None and row.share_of_data < 0.02
    # The reference excludes the category: recompute the oracle without it.
    expected = oracle_table(rows, "race_ethnicity", "selection")
    best = max(e[3] for e in expected["rows"] if e[0] != row.category and e[3] is not None)
    for r in race.rows:
        if r.category != row.category and r.rate is not None:
            assert r.impact_ratio == pytest.approx(r.rate / best, abs=1e-12)
    inter = result.ll144.selection[2]
    assert all(
        r.excluded_from_impact_ratio for r in inter.rows if r.category.endswith(row.category)
    )
