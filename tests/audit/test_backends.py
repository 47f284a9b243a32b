"""The same audit gives the same result on every source: Parquet, CSV, DuckDB, SQLite via Ibis."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest
from audit_testdata import write_duckdb, write_parquet, write_sqlite

from accord.audit import bias_audit
from accord.audit.result import AuditResult

COLUMNS: dict[str, Any] = {
    "outcome": "selected",
    "score": "score",
    "truth": "truth",
    "prediction": "prediction",
    "sex": "sex",
    "race": "race",
    "categories": {"age_band": "age_band"},
}


def comparable(result: AuditResult) -> dict[str, Any]:
    """The result minus the facts that legitimately differ per source."""
    data = result.model_dump(exclude={"generated_at", "source"})
    assert data["ll144"] is not None
    data["ll144"]["public_summary"].pop("data_source")
    return data


@pytest.fixture(scope="module")
def reference(parquet_file: Path) -> dict[str, Any]:
    return comparable(bias_audit(str(parquet_file), **COLUMNS))


def test_sqlite_backend_matches_duckdb(
    tmp_path: Path, rows: list[dict[str, Any]], reference: dict[str, Any]
) -> None:
    db = write_sqlite(rows, tmp_path / "applicants.sqlite")
    result = bias_audit(f"sqlite:///{db}", source={"table": "applicants"}, **COLUMNS)
    assert result.source.backend == "sqlite"
    assert comparable(result) == reference


def test_sqlite_file_path_and_query(
    tmp_path: Path, rows: list[dict[str, Any]], reference: dict[str, Any]
) -> None:
    db = write_sqlite(rows, tmp_path / "applicants.db")
    result = bias_audit(str(db), source={"query": "SELECT * FROM applicants"}, **COLUMNS)
    assert result.source.backend == "sqlite"
    assert comparable(result) == reference


def test_duckdb_file_matches(
    tmp_path: Path, rows: list[dict[str, Any]], reference: dict[str, Any]
) -> None:
    db = write_duckdb(rows, tmp_path / "applicants.duckdb")
    assert comparable(bias_audit(str(db), **COLUMNS)) == reference
    url = bias_audit(f"duckdb:///{db}", source={"table": "applicants"}, **COLUMNS)
    assert comparable(url) == reference


def test_ibis_table_api(parquet_file: Path, reference: dict[str, Any]) -> None:
    import ibis

    table = ibis.duckdb.connect().read_parquet(str(parquet_file))
    assert comparable(bias_audit(table, **COLUMNS)) == reference


def test_parquet_glob_of_many_files(
    tmp_path: Path, rows: list[dict[str, Any]], reference: dict[str, Any]
) -> None:
    for i in range(3):
        write_parquet(rows[i * 1000 : (i + 1) * 1000], tmp_path / f"part-{i}.parquet")
    result = bias_audit(str(tmp_path / "part-*.parquet"), **COLUMNS)
    assert "3 files" in result.source.location
    assert comparable(result) == reference


def _write_csv(
    rows: list[dict[str, Any]], path: Path, delimiter: str, header: bool, enc: str
) -> None:
    names = list(rows[0])
    with path.open("w", newline="", encoding=enc) as fh:
        w = csv.writer(fh, delimiter=delimiter)
        if header:
            w.writerow(names)
        for r in rows:
            w.writerow(
                [
                    "" if r[n] is None else str(r[n]).lower() if isinstance(r[n], bool) else r[n]
                    for n in names
                ]
            )


def test_csv_matches(tmp_path: Path, rows: list[dict[str, Any]], reference: dict[str, Any]) -> None:
    path = tmp_path / "applicants.csv"
    _write_csv(rows, path, ",", True, "utf-8")
    assert comparable(bias_audit(str(path), **COLUMNS)) == reference


def test_csv_options(tmp_path: Path, rows: list[dict[str, Any]]) -> None:
    """Semicolons, no header and Latin-1, with columns named column0, column1, ..."""
    sample = [dict(r, sex="Fémale" if r["sex"] == "Female" else r["sex"]) for r in rows[:500]]
    path = tmp_path / "latin.csv"
    _write_csv(sample, path, ";", False, "latin-1")
    result = bias_audit(
        str(path),
        outcome="column2",
        sex="column0",
        race="column1",
        source={"csv": {"delimiter": ";", "header": False, "encoding": "latin-1"}},
        values={"sex": {"Fémale": "Female"}},
    )
    assert result.ll144 is not None
    female = next(r for r in result.ll144.selection[0].rows if r.category == "Female")
    assert female.count == sum(r["sex"] == "Female" for r in rows[:500])


def test_query_on_a_file(parquet_file: Path, rows: list[dict[str, Any]]) -> None:
    result = bias_audit(
        str(parquet_file),
        outcome="hired",
        sex="sex",
        race="race",
        source={"query": "SELECT *, score >= 15 AS hired FROM data WHERE age_band = '<40'"},
    )
    young = [r for r in rows if r["age_band"] == "<40"]
    assert result.rows == len(young)
    assert result.ll144 is not None
    assert sum(r.positives for r in result.ll144.selection[0].rows) == sum(
        r["score"] >= 15 for r in young if r["sex"] in ("Male", "Female")
    )


def test_integer_outcome_and_coded_categories(tmp_path: Path) -> None:
    import duckdb

    path = tmp_path / "coded.parquet"
    duckdb.sql(
        "SELECT (i % 2)::INT AS hired, (i % 3)::INT AS sex_code, 'White' AS race "
        "FROM range(300) t(i)"
    ).write_parquet(str(path))
    result = bias_audit(
        str(path),
        outcome="hired",
        sex="sex_code",
        race="race",
        values={"sex": {1: "Male", 2: "Female", 0: None}},
    )
    assert result.ll144 is not None
    sex = result.ll144.selection[0]
    assert [r.count for r in sex.rows] == [100, 100]
    assert sex.unknown.declared == 100


@pytest.mark.parametrize("fmt", ["parquet", "csv", "duckdb", "query"])
def test_native_duckdb_path_matches_ibis_path(
    tmp_path: Path, rows: list[dict[str, Any]], parquet_file: Path, fmt: str
) -> None:
    """File sources skip Ibis for speed; the hand-written SQL must give Ibis' exact results."""
    from accord.audit.api import run_bias_audit
    from accord.audit.spec import AuditSpec

    source: dict[str, Any] = {"data": str(parquet_file)}
    if fmt == "csv":
        path = tmp_path / "applicants.csv"
        _write_csv(rows, path, ",", True, "utf-8")
        source = {"data": str(path)}
    elif fmt == "duckdb":
        source = {"data": str(write_duckdb(rows, tmp_path / "applicants.duckdb"))}
    elif fmt == "query":
        source["query"] = "SELECT * FROM data WHERE score > 3"
    spec = AuditSpec.model_validate({"source": source, "columns": COLUMNS})
    native = run_bias_audit(spec, native=True)
    via_ibis = run_bias_audit(spec, native=False)
    assert native.source.backend == via_ibis.source.backend == "duckdb"
    assert comparable(native) == comparable(via_ibis)
