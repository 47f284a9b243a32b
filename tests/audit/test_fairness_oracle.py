"""Fairness metrics from counts against fairlearn's MetricFrame on the raw rows (to 1e-9)."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from audit_testdata import generate_rows, write_parquet
from fairlearn import metrics as flm
from sklearn.metrics import precision_score

from accord.audit import bias_audit
from accord.audit.result import FairnessTable, GroupMetrics

pytest.importorskip("fairlearn")

SEX = ["Male", "Female"]
RACE = [
    "Hispanic or Latino",
    "White",
    "Black or African American",
    "Native Hawaiian or Pacific Islander",
    "Asian",
    "Native American or Alaska Native",
    "Two or More Races",
]
TOL = 1e-9


def _label(value: str | None, labels: list[str]) -> str | None:
    if value is None:
        return None
    return next((lab for lab in labels if value.lower() == lab.lower()), None)


def frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    df = pd.DataFrame(rows)
    df["sex_l"] = [_label(r["sex"], SEX) for r in rows]
    df["race_l"] = [_label(r["race"], RACE) for r in rows]
    return df


def ppv(y_true: Any, y_pred: Any) -> float:
    return float(precision_score(y_true, y_pred, zero_division=0))


METRICS = {
    "count": flm.count,
    "selection_rate": flm.selection_rate,
    "true_positive_rate": flm.true_positive_rate,
    "false_positive_rate": flm.false_positive_rate,
    "positive_predictive_value": ppv,
}


def close(a: float | None, b: float) -> bool:
    return a is not None and math.isclose(a, float(b), rel_tol=0, abs_tol=TOL)


def check_group(ours: GroupMetrics, theirs: pd.Series) -> None:
    assert ours.count == theirs["count"]
    for name in ("selection_rate", "true_positive_rate", "false_positive_rate"):
        assert close(getattr(ours, name), theirs[name]), name
    assert close(ours.positive_predictive_value, theirs["positive_predictive_value"])


def check_table(table: FairnessTable, df: pd.DataFrame, features: list[str]) -> None:
    known = df.dropna(subset=features)
    sens = known[features[0]] if len(features) == 1 else known[features]
    y_true, y_pred = known["truth"].astype(int), known["prediction"].astype(int)
    mf = flm.MetricFrame(metrics=METRICS, y_true=y_true, y_pred=y_pred, sensitive_features=sens)
    by_group = mf.by_group
    assert table.unknown_count == len(df) - len(known)
    assert len(table.by_group) == len(by_group)
    for key, theirs in by_group.iterrows():
        label = key if isinstance(key, str) else " × ".join(key)
        check_group(table.by_group[label], theirs)
    check_group(table.overall, mf.overall)
    diff, ratio = mf.difference(), mf.ratio()
    for name in ("selection_rate", "true_positive_rate", "false_positive_rate"):
        assert close(table.difference[name], diff[name]), name
        assert close(table.ratio[name], ratio[name]), name
    assert close(table.difference["positive_predictive_value"], diff["positive_predictive_value"])
    kw = {"y_true": y_true, "y_pred": y_pred, "sensitive_features": sens}
    assert close(table.demographic_parity_difference, flm.demographic_parity_difference(**kw))
    assert close(table.demographic_parity_ratio, flm.demographic_parity_ratio(**kw))
    assert close(table.equalized_odds_difference, flm.equalized_odds_difference(**kw))
    assert close(table.equalized_odds_ratio, flm.equalized_odds_ratio(**kw))
    assert close(table.equal_opportunity_difference, flm.equal_opportunity_difference(**kw))


@pytest.mark.parametrize("seed", [1, 2])
def test_fairness_equals_fairlearn(tmp_path: Path, seed: int) -> None:
    rows = generate_rows(4000, seed=seed)
    path = write_parquet(rows, tmp_path / "d.parquet")
    result = bias_audit(
        str(path),
        truth="truth",
        prediction="prediction",
        sex="sex",
        race="race",
        categories={"age_band": "age_band"},
    )
    df = frame(rows)
    df["age_l"] = df["age_band"]
    tables = {t.dimension: t for t in result.fairness}
    assert list(tables) == ["sex", "race_ethnicity", "intersectional", "age_band"]
    check_table(tables["sex"], df, ["sex_l"])
    check_table(tables["race_ethnicity"], df, ["race_l"])
    check_table(tables["intersectional"], df, ["sex_l", "race_l"])
    check_table(tables["age_band"], df, ["age_l"])


def test_prediction_defaults_to_outcome(tmp_path: Path) -> None:
    rows = generate_rows(500, seed=3, messy=False)
    path = write_parquet(rows, tmp_path / "d.parquet")
    result = bias_audit(str(path), outcome="prediction", truth="truth", sex="sex")
    df = frame(rows)
    check_table(result.fairness[0], df, ["sex_l"])
