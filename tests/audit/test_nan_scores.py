"""NaN and infinite scores are missing scores: never compared with the median, never a rate.

Before the fix DuckDB sorted NaN above every number, so a category whose scores were all NaN got
scoring rate 1.0 and dragged every other impact ratio down, with `rows_without_score` 0 and no
warning. fairlearn (on the rows pandas sees as finite) is the oracle; every engine path must agree.
"""

from __future__ import annotations

import csv
import math
import random
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from audit_testdata import generate_rows, write_duckdb, write_parquet, write_sqlite
from test_backends import comparable
from test_fairness_oracle import check_table, frame

from accord.audit import bias_audit, run_bias_audit
from accord.audit.result import AuditResult, RateTable
from accord.audit.spec import AuditSpec

flm = pytest.importorskip("fairlearn.metrics")

ALL_NAN = "Native Hawaiian or Pacific Islander"
COLUMNS: dict[str, Any] = {
    "outcome": "selected",
    "score": "score",
    "truth": "truth",
    "prediction": "prediction",
    "sex": "sex",
    "race": "race",
}


def nan_rows(n: int, seed: int) -> list[dict[str, Any]]:
    """Float scores with NaN, ±inf and nulls mixed in, and one race whose scores are all NaN."""
    rows = generate_rows(n, seed=seed)
    rng = random.Random(seed)
    for r in rows:
        roll = rng.random()
        score: float | None = float(r["score"])
        if roll < 0.05:
            score = math.nan
        elif roll < 0.07:
            score = math.inf
        elif roll < 0.08:
            score = -math.inf
        elif roll < 0.10:
            score = None
        if r["race"] == ALL_NAN:
            score = math.nan
        r["score"] = score
    return rows


@pytest.fixture(scope="module")
def rows() -> list[dict[str, Any]]:
    return nan_rows(3000, seed=21)


@pytest.fixture(scope="module")
def nan_parquet(tmp_path_factory: pytest.TempPathFactory, rows: list[dict[str, Any]]) -> Path:
    return write_parquet(rows, tmp_path_factory.mktemp("nan") / "nan.parquet", pa.float64())


@pytest.fixture(scope="module")
def result(nan_parquet: Path) -> AuditResult:
    return bias_audit(str(nan_parquet), **COLUMNS)


def _usable(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [r for r in rows if r["score"] is not None and math.isfinite(r["score"])]


def check_scoring(table: RateTable, df: pd.DataFrame, features: list[str]) -> None:
    """Scoring rates and impact ratios equal fairlearn's selection rate of `score > median`."""
    scored = df[np.isfinite(df["score"].astype(float))]
    median = scored["score"].median()
    known = scored.dropna(subset=features)
    above = (known["score"] > median).astype(int)
    sens = known[features[0]] if len(features) == 1 else known[features]
    mf = flm.MetricFrame(
        metrics={"count": flm.count, "rate": flm.selection_rate},
        y_true=above,
        y_pred=above,
        sensitive_features=sens,
    )
    theirs = {(k if isinstance(k, str) else " × ".join(k)): v for k, v in mf.by_group.iterrows()}
    best = max(v["rate"] for v in theirs.values())
    ours = {r.category: r for r in table.rows}
    assert table.unknown.count == len(scored) - len(known)
    for label, row in ours.items():
        if label not in theirs:
            assert row.count == 0 and row.rate is None and row.impact_ratio is None
            continue
        expected = theirs[label]
        assert row.count == expected["count"]
        assert row.rate == pytest.approx(expected["rate"], abs=1e-12)
        assert row.impact_ratio == pytest.approx(expected["rate"] / best, abs=1e-12)


def test_nan_scores_match_fairlearn(result: AuditResult, rows: list[dict[str, Any]]) -> None:
    df = frame(rows)
    assert result.ll144 is not None
    usable = _usable(rows)
    assert result.ll144.median_score == pytest.approx(
        float(np.median([r["score"] for r in usable]))
    )
    assert result.ll144.rows_without_score == len(rows) - len(usable)
    scoring = {t.dimension: t for t in result.ll144.scoring}
    check_scoring(scoring["sex"], df, ["sex_l"])
    check_scoring(scoring["race_ethnicity"], df, ["race_l"])
    check_scoring(scoring["intersectional"], df, ["sex_l", "race_l"])
    # Fairness metrics (boolean truth and prediction) are untouched by the NaN scores.
    tables = {t.dimension: t for t in result.fairness}
    check_table(tables["sex"], df, ["sex_l"])
    check_table(tables["intersectional"], df, ["sex_l", "race_l"])


def test_all_nan_category_gets_no_rate_and_a_reason(
    result: AuditResult, rows: list[dict[str, Any]]
) -> None:
    assert result.ll144 is not None
    race = result.ll144.scoring[1]
    row = next(r for r in race.rows if r.category == ALL_NAN)
    people = sum(r["race"] == ALL_NAN for r in rows)
    assert people > 0
    assert (row.count, row.rate, row.impact_ratio) == (0, None, None)
    assert row.excluded_from_impact_ratio
    assert row.exclusion_reason and "no score" in row.exclusion_reason
    assert f"{people:,} individuals" in row.exclusion_reason
    assert ALL_NAN not in race.reference_categories
    assert max(r.impact_ratio or 0 for r in race.rows) == 1.0  # not dragged down by NaN
    # The selection table still has the category: only its scores are missing.
    sel = next(r for r in result.ll144.selection[1].rows if r.category == ALL_NAN)
    assert sel.count == people and sel.rate is not None
    assert any(ALL_NAN in w and "no score" in w for w in result.warnings)
    assert any("no usable score (null, NaN or infinite)" in w for w in result.warnings)
    # The EEOC section does not compare a category that has no scoring rate.
    assert not any(
        r.table == "scoring/race_ethnicity" and r.category == ALL_NAN
        for r in result.eeoc_four_fifths_rule_of_thumb.rows
    )


def _write_csv(rows: list[dict[str, Any]], path: Path) -> Path:
    names = list(rows[0])
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(names)
        for r in rows:
            w.writerow(
                [
                    "" if r[n] is None else str(r[n]).lower() if isinstance(r[n], bool) else r[n]
                    for n in names
                ]
            )
    return path


@pytest.mark.parametrize("path_kind", ["ibis-parquet", "csv", "duckdb", "duckdb-ibis", "sqlite"])
def test_every_engine_path_agrees_on_nan(
    tmp_path: Path,
    rows: list[dict[str, Any]],
    nan_parquet: Path,
    result: AuditResult,
    path_kind: str,
) -> None:
    native = True
    source: dict[str, Any] = {"data": str(nan_parquet)}
    if path_kind == "ibis-parquet":
        native = False
    elif path_kind == "csv":
        source["data"] = str(_write_csv(rows, tmp_path / "nan.csv"))
    elif path_kind.startswith("duckdb"):
        db = write_duckdb(rows, tmp_path / "nan.duckdb", score=pa.float64())
        source["data"] = str(db)
        native = path_kind == "duckdb"
    else:  # SQLite keeps infinity but stores NaN as NULL: both are missing either way
        db = write_sqlite(rows, tmp_path / "nan.sqlite", score="REAL")
        source = {"data": f"sqlite:///{db}", "table": "applicants"}
    spec = AuditSpec.model_validate({"source": source, "columns": COLUMNS})
    other = run_bias_audit(spec, native=native, today=result.audit_date)
    assert comparable(other) == comparable(result)


def test_all_nan_score_column_is_an_error(cli: Any, tmp_path: Path) -> None:
    rows = generate_rows(40, seed=3, messy=False)
    for i, r in enumerate(rows):
        r["score"] = [math.nan, math.inf, -math.inf, None][i % 4]
    path = write_parquet(rows, tmp_path / "allnan.parquet", pa.float64())
    code, _, err = cli(
        "audit", "bias", path, "--outcome", "selected", "--score", "score", "--sex", "sex"
    )
    assert code == 2 and "Traceback" not in err
    assert "no usable values" in err and "NaN" in err


def test_float_outcome_with_nan_is_refused(cli: Any, tmp_path: Path) -> None:
    import duckdb

    path = tmp_path / "float_outcome.parquet"
    duckdb.sql(
        "SELECT 'Male' AS sex, CASE WHEN i % 3 = 0 THEN 'nan'::DOUBLE ELSE (i % 2)::DOUBLE END "
        "AS selected FROM range(30) t(i)"
    ).write_parquet(str(path))
    code, _, err = cli("audit", "bias", path, "--outcome", "selected", "--sex", "sex")
    assert code == 2 and "Traceback" not in err
    assert "'selected' is float64, not boolean" in " ".join(err.split())


def test_category_without_any_outcome_gets_no_selection_rate(tmp_path: Path) -> None:
    rows = generate_rows(200, seed=5, messy=False)
    for r in rows:
        if r["sex"] == "Female":
            r["selected"] = None
    result = bias_audit(
        str(write_parquet(rows, tmp_path / "d.parquet")), outcome="selected", sex="sex"
    )
    assert result.ll144 is not None
    female = next(r for r in result.ll144.selection[0].rows if r.category == "Female")
    assert (female.count, female.rate, female.impact_ratio) == (0, None, None)
    assert female.exclusion_reason and female.exclusion_reason.startswith("no outcome")
    assert result.ll144.rows_without_outcome == sum(r["sex"] == "Female" for r in rows)
    assert any("no outcome (null)" in w for w in result.warnings)
