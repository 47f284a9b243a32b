"""The embedded default without Ibis: the same two queries, written for DuckDB directly.

Files (Parquet, CSV, DuckDB databases) are read by embedded DuckDB. For them, Ibis adds only a
fixed cost: importing it and its compilers takes longer than the whole query on a few million
rows, which put Accord at 2x a hand-written DuckDB query at 10M rows and below 100x fairlearn's
speed at 1M. So file sources run these few SQL statements on the `duckdb` module itself, while
every other backend (PostgreSQL, SQLite, Spark, warehouses) goes through Ibis. The test suite
runs the same audits both ways and requires identical results.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from accord.audit.spec import AuditSpec, CsvOptions, input_error

Progress = Callable[[str], None]


def quote(name: str) -> str:
    """A DuckDB identifier, safely quoted."""
    return '"' + name.replace('"', '""') + '"'


def literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


@dataclass
class Relation:
    """An open DuckDB connection and the name of the view or table to audit."""

    con: Any
    name: str

    def execute(self, sql: str, params: list[Any] | None = None) -> list[dict[str, Any]]:
        cursor = self.con.execute(sql, params or [])
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    def schema(self) -> dict[str, str]:
        """Column name -> DuckDB type name."""
        rows = self.con.execute(f"DESCRIBE SELECT * FROM {self.name}").fetchall()
        return {r[0]: str(r[1]) for r in rows}


def connect(path: str | None = None) -> Any:
    import duckdb

    con = duckdb.connect(path, read_only=True) if path else duckdb.connect()
    # Insertion order does not matter for counts; dropping it lets DuckDB stream with less memory.
    con.execute("SET preserve_insertion_order = false")
    return con


def read_files(con: Any, kind: str, paths: list[str], csv: CsvOptions, view: str) -> Relation:
    files = "[" + ", ".join(literal(p) for p in paths) + "]"
    if kind == "parquet":
        source = f"read_parquet({files})"
    else:
        # skip=0 stops the sniffer from silently skipping leading rows of a ragged file.
        source = (
            f"read_csv({files}, delim={literal(csv.delimiter)}, "
            f"header={'true' if csv.header else 'false'}, encoding={literal(csv.encoding)}, "
            "skip=0)"
        )
    con.execute(f"CREATE OR REPLACE TEMP VIEW {quote(view)} AS SELECT * FROM {source}")
    return Relation(con, quote(view))


def query_view(con: Any, query: str, view: str) -> Relation:
    sql = query.strip().rstrip(";")
    con.execute(f"CREATE OR REPLACE TEMP VIEW {quote(view)} AS {sql}")
    return Relation(con, quote(view))


def list_tables(con: Any) -> list[str]:
    rows = con.execute(
        "SELECT table_name FROM information_schema.tables "
        "WHERE table_schema = current_schema() AND table_catalog = current_database()"
    ).fetchall()
    return [r[0] for r in rows]


_INTEGER = (
    "TINYINT",
    "SMALLINT",
    "INTEGER",
    "BIGINT",
    "HUGEINT",
    "UTINYINT",
    "USMALLINT",
    "UINTEGER",
    "UBIGINT",
    "UHUGEINT",
)
_FLOATING = ("FLOAT", "DOUBLE", "REAL")


def kind_of(type_name: str) -> str:
    """Classify a DuckDB type the way the audit needs: boolean, integer, float (which can hold
    NaN and infinity), numeric (decimal), nested, other."""
    t = type_name.upper()
    if t == "BOOLEAN":
        return "boolean"
    if t in _INTEGER:
        return "integer"
    if t in _FLOATING:
        return "float"
    if t.startswith("DECIMAL"):
        return "numeric"
    if t.endswith("]") or t.startswith(("STRUCT", "MAP", "UNION")):
        return "nested"
    return "other"


_DISPLAY = {
    "VARCHAR": "string",
    "BOOLEAN": "boolean",
    "TINYINT": "int8",
    "SMALLINT": "int16",
    "INTEGER": "int32",
    "BIGINT": "int64",
    "FLOAT": "float32",
    "DOUBLE": "float64",
    "DATE": "date",
    "TIMESTAMP": "timestamp",
}


def display_type(type_name: str) -> str:
    """Type names as the Ibis path prints them, so messages read the same on every backend."""
    return _DISPLAY.get(type_name.upper(), type_name.lower())


def score_sql(column: str, kind: str) -> str:
    """The score as SQL, with NaN and infinity turned into NULL: they are missing scores, never
    compared with the median (DuckDB sorts NaN above every number)."""
    col = quote(column)
    return f"(CASE WHEN isfinite({col}) THEN {col} END)" if kind == "float" else col


def median_score(rel: Relation, column: str, kind: str = "numeric") -> tuple[Any, int]:
    """Exact median (DuckDB's median interpolates the two middle values) and the count."""
    col = score_sql(column, kind)
    row = rel.execute(f"SELECT median({col}) AS median, count({col}) AS n FROM {rel.name}")[0]
    return row["median"], int(row["n"] or 0)


def total_rows(rel: Relation) -> int:
    return int(rel.execute(f"SELECT count(*) AS n FROM {rel.name}")[0]["n"] or 0)


def grouped_counts_sql(
    spec: AuditSpec, kinds: dict[str, str], binary: list[tuple[str, str]], limit: int
) -> tuple[str, list[str]]:
    """The one grouped aggregation, and the names of its key columns."""
    dims = spec.dimensions()
    keys = [f"k{i}" for i in range(len(dims))]
    select = [f"{quote(col)} AS {k}" for k, (_, col) in zip(keys, dims, strict=True)]
    select.append("count(*) AS n")

    def count_true(expr: str) -> str:
        return f"sum(CAST({expr} AS BIGINT))"

    def positive(col: str) -> str:
        return quote(col) if kinds[col] == "boolean" else f"({quote(col)} = 1)"

    for role, col in binary:
        if kinds[col] == "integer":
            q = quote(col)
            select.append(
                f"{count_true(f'{q} IS NOT NULL AND {q} NOT IN (0, 1)')} AS invalid_{role}"
            )
    c = spec.columns
    if c.outcome:
        select.append(f"count({quote(c.outcome)}) AS n_outcome")
        select.append(f"{count_true(positive(c.outcome))} AS selected")
    if c.score:
        score = score_sql(c.score, kinds[c.score])
        select.append(f"count({score}) AS n_scored")
        select.append(f"{count_true(f'{score} > ?')} AS above_median")
    pred = spec.effective_prediction()
    if c.truth and pred:
        t, p = positive(c.truth), positive(pred)
        select.append(
            f"{count_true(f'{quote(c.truth)} IS NOT NULL AND {quote(pred)} IS NOT NULL')} "
            "AS n_classified"
        )
        select.append(f"{count_true(f'{t} AND {p}')} AS tp")
        select.append(f"{count_true(f'NOT {t} AND {p}')} AS fp")
        select.append(f"{count_true(f'{t} AND NOT {p}')} AS fn")
    group = f" GROUP BY {', '.join(keys)}" if keys else ""
    return f"SELECT {', '.join(select)} FROM {{rel}}{group} LIMIT {limit}", keys


def no_rows_error(location: str) -> Exception:
    return input_error(
        f"The table in {location} has no rows.",
        "check the file, table name or query's WHERE clause",
    )
