"""`--query` and `source.query` run one read-only SELECT, and file sources cannot touch other files.

Before the fix `SELECT * FROM data; COPY ... TO '/some/path'` (from the command line or a shared
spec file) wrote files: the query was pasted into a DuckDB statement that runs stacked statements.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb
import pytest
from audit_testdata import generate_rows, write_duckdb, write_parquet, write_sqlite

from accord.audit import bias_audit, run_bias_audit
from accord.audit.query import check_query
from accord.audit.source import open_source
from accord.audit.spec import AuditSpec, SourceSpec
from accord.errors import AuditError

Cli = Callable[..., tuple[int, str, str]]
BASE = ["--outcome", "selected", "--sex", "sex", "--race", "race"]


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_parquet(generate_rows(60, seed=1), tmp_path_factory.mktemp("q") / "d.parquet")


def _refused(target: Path) -> list[tuple[str, str]]:
    """(query, what the message must name); `target` is where a write would land."""
    t = str(target)
    return [
        (f"SELECT * FROM data; COPY (SELECT 1) TO '{t}'", "COPY"),
        (f"SELECT * FROM data;COPY (SELECT 1) TO '{t}' (FORMAT csv);", "COPY"),
        (f"COPY (SELECT 1) TO '{t}'", "COPY"),
        (f"ATTACH '{t}' AS x", "ATTACH"),
        ("INSTALL httpfs", "INSTALL"),
        ("LOAD httpfs", "LOAD"),
        ("PRAGMA version", "PRAGMA"),
        ("SET threads = 1", "SET"),
        (f"CREATE TABLE x AS SELECT * FROM read_csv('{t}')", "CREATE"),
        ("INSERT INTO data VALUES (1)", "INSERT"),
        (f"EXPORT DATABASE '{t}'", "EXPORT"),
        ("SELECT * INTO copy_of_data FROM data", "INTO"),
        ("WITH gone AS (DELETE FROM data RETURNING *) SELECT * FROM gone", "DELETE"),
        ("CALL pragma_version()", "CALL"),
        ("VALUES (1, 2)", "VALUES"),
    ]


def test_cli_refuses_everything_but_one_select(cli: Cli, data: Path, tmp_path: Path) -> None:
    target = tmp_path / "written.csv"
    for query, name in _refused(target):
        code, out, err = cli("audit", "bias", data, *BASE, "--query", query)
        assert code == 2, (query, out, err)
        assert "Traceback" not in err
        text = " ".join(err.split())
        assert "Refused query" in text and name in text, (query, text)
    assert not target.exists()
    assert list(tmp_path.iterdir()) == []


def test_spec_query_is_checked_too(cli: Cli, data: Path, tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    spec = tmp_path / "audit.yaml"
    spec.write_text(
        f"source:\n  data: {data}\n"
        f"  query: \"SELECT * FROM data; COPY (SELECT 42) TO '{target}'\"\n"
        "columns: {outcome: selected, sex: sex, race: race}\n",
        encoding="utf-8",
    )
    code, _, err = cli("audit", "bias", "--spec", spec)
    assert code == 2 and "Refused query: 2 statements (SELECT, COPY)" in " ".join(err.split())
    assert not target.exists()


@pytest.mark.parametrize("backend", ["native", "ibis", "duckdb-file", "sqlite", "duckdb-url"])
def test_python_api_refuses_stacked_statements(data: Path, tmp_path: Path, backend: str) -> None:
    target = tmp_path / "x.csv"
    source: dict[str, Any] = {"data": str(data)}
    if backend == "duckdb-file":
        source["data"] = str(write_duckdb(generate_rows(20, seed=2), tmp_path / "d.duckdb"))
    elif backend == "sqlite":
        source["data"] = str(write_sqlite(generate_rows(20, seed=2), tmp_path / "d.sqlite"))
    elif backend == "duckdb-url":
        db = write_duckdb(generate_rows(20, seed=2), tmp_path / "u.duckdb")
        source["data"] = f"duckdb:///{db}"
    source["query"] = f"SELECT * FROM applicants; COPY (SELECT 1) TO '{target}'"
    spec = AuditSpec.model_validate(
        {"source": source, "columns": {"outcome": "selected", "sex": "sex"}}
    )
    with pytest.raises(AuditError, match="Refused query"):
        run_bias_audit(spec, native=backend != "ibis")
    assert not target.exists()


@pytest.mark.parametrize("native", [True, False])
def test_file_sources_cannot_read_or_write_other_files(
    data: Path, tmp_path: Path, native: bool
) -> None:
    """Defence in depth: a SELECT that passes the parser still cannot reach other files."""
    secret = tmp_path / "secret.csv"
    secret.write_text("sex,x\nMale,1\n", encoding="utf-8")
    query = f"SELECT d.*, s.x FROM data d, read_csv('{secret}') s"
    spec = AuditSpec.model_validate(
        {
            "source": {"data": str(data), "query": query},
            "columns": {"outcome": "selected", "sex": "sex"},
        }
    )
    with pytest.raises(AuditError, match="disabled by configuration"):
        run_bias_audit(spec, native=native)


@pytest.mark.parametrize("kind", ["parquet", "csv", "duckdb"])
def test_engine_connection_is_locked(data: Path, tmp_path: Path, kind: str) -> None:
    path = data
    if kind == "csv":
        path = tmp_path / "d.csv"
        path.write_text("sex,race,selected\nMale,White,true\n", encoding="utf-8")
    elif kind == "duckdb":
        path = write_duckdb(generate_rows(10, seed=3), tmp_path / "d.duckdb")
    source = open_source(SourceSpec(data=str(path)))
    assert source.relation is not None
    con = source.relation.con
    target = tmp_path / "x.csv"
    for statement in (
        f"COPY (SELECT 1) TO '{target}'",
        f"ATTACH '{tmp_path / 'new.db'}' AS n",
        "SET enable_external_access = true",
        "SET lock_configuration = false",
    ):
        with pytest.raises(duckdb.Error):
            con.execute(statement)
    assert not target.exists() and not (tmp_path / "new.db").exists()
    assert source.relation.execute(f"SELECT count(*) AS n FROM {source.relation.name}")[0]["n"]


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * FROM data WHERE score > 3",
        "select *, score >= 15 as hired from data;",
        "WITH young AS (SELECT * FROM data WHERE age_band = '<40') SELECT * FROM young",
        "SELECT * FROM data WHERE sex = 'Male' UNION ALL SELECT * FROM data WHERE sex = 'Female'",
        "-- a comment first\nSELECT * FROM data -- and one last\n;",
        "FROM data SELECT *",
    ],
)
def test_plain_selects_still_work(data: Path, query: str) -> None:
    result = bias_audit(str(data), outcome="selected", sex="sex", source={"query": query})
    assert result.rows > 0
    assert result.source.query == query


def test_query_check_names_the_statement() -> None:
    with pytest.raises(AuditError, match=r"Refused query: 2 statements \(SELECT, DROP\)"):
        check_query("SELECT 1; DROP TABLE data", "postgres")
    with pytest.raises(AuditError, match="contains UPDATE"):
        check_query("WITH u AS (UPDATE t SET a = 1 RETURNING *) SELECT * FROM u", "postgres")
    with pytest.raises(AuditError, match="not valid SQL"):
        check_query("SELECT 'unterminated", "duckdb")
    with pytest.raises(AuditError, match="empty"):
        check_query("  ;  ", "duckdb")
    assert check_query("SELECT 1 ; -- done", "duckdb") == "SELECT 1"
