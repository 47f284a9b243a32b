"""The same audit on PySpark (local mode) through Ibis. Run with `make test-audit-spark`.

Skipped in the default suite when pyspark is not installed; the make target installs it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from accord.audit import bias_audit

pytestmark = pytest.mark.spark

COLUMNS: dict[str, Any] = {
    "outcome": "selected",
    "score": "score",
    "truth": "truth",
    "prediction": "prediction",
    "sex": "sex",
    "race": "race",
}


def test_spark_matches_duckdb(parquet_file: Path) -> None:
    pytest.importorskip("pyspark", reason="pyspark not installed; run `make test-audit-spark`")
    import ibis
    from pyspark.sql import SparkSession

    session = (
        SparkSession.builder.master("local[2]")
        .appName("accord-audit-test")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.ui.enabled", "false")
        .getOrCreate()
    )
    try:
        con = ibis.pyspark.connect(session)
        table = con.read_parquet(str(parquet_file))
        spark = bias_audit(table, **COLUMNS)
        duck = bias_audit(str(parquet_file), **COLUMNS)
    finally:
        session.stop()
    assert spark.source.backend == "pyspark"
    skip = {"generated_at", "source"}
    a, b = spark.model_dump(exclude=skip), duck.model_dump(exclude=skip)
    assert a["ll144"] is not None and b["ll144"] is not None
    a["ll144"]["public_summary"].pop("data_source")
    b["ll144"]["public_summary"].pop("data_source")
    assert a == b
