"""The sufficient statistics: one median query and one grouped count, run on the engine.

Every audit metric (selection and scoring rates, impact ratios, TPR/FPR/PPV, confidence
intervals, tests) is a function of a handful of counts per demographic cell. So the engine does
the heavy part once, out of core and next to the data, and returns a table of a few dozen rows;
nothing row-level ever crosses into Python. The cells are keyed by *raw* category values, so the
mapping onto EEO-1 labels (and the unknown accounting) happens afterwards in plain Python.
"""

from __future__ import annotations

import difflib
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from accord.audit.source import Source
from accord.audit.spec import AuditSpec, input_error
from accord.errors import AccordError, AuditError, ErrorCollector

if TYPE_CHECKING:
    import ibis.expr.types as ir

Progress = Callable[[str], None]

#: More cells than this means a category column is really an identifier; refuse, don't stream it.
MAX_CELLS = 100_000

#: Backends whose Ibis `median()` is exact (others approximate or lack it; see `median_score`).
EXACT_MEDIAN_BACKENDS = frozenset(
    {"duckdb", "postgres", "snowflake", "datafusion", "polars", "pyspark", "databricks"}
)


@dataclass(frozen=True)
class Cell:
    """Counts for one combination of raw category values."""

    key: tuple[Any, ...]
    n: int
    n_outcome: int = 0
    selected: int = 0
    n_scored: int = 0
    above_median: int = 0
    n_classified: int = 0
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def tn(self) -> int:
        """True negatives: classified rows that are neither TP, FP nor FN."""
        return self.n_classified - self.tp - self.fp - self.fn


@dataclass
class Counts:
    """The whole engine-side result: the cell table plus the sample median."""

    dimensions: tuple[str, ...]
    cells: list[Cell]
    median_score: float | None
    scored_rows: int
    has_outcome: bool
    has_score: bool
    has_classification: bool

    @property
    def rows(self) -> int:
        """All rows in the audited table."""
        return sum(c.n for c in self.cells)


def _binary_columns(spec: AuditSpec) -> list[tuple[str, str]]:
    c = spec.columns
    cols = [("outcome", c.outcome), ("truth", c.truth)]
    pred = spec.effective_prediction()
    if pred and pred != c.outcome:
        cols.append(("prediction", pred))
    return [(role, col) for role, col in cols if col]


def ibis_kinds(table: ir.Table) -> dict[str, tuple[str, str]]:
    """Column -> (audit kind, type name) for an Ibis table."""
    out: dict[str, tuple[str, str]] = {}
    for name, dtype in table.schema().items():
        if dtype.is_boolean():
            kind = "boolean"
        elif dtype.is_integer():
            kind = "integer"
        elif dtype.is_floating():
            kind = "float"
        elif dtype.is_numeric():
            kind = "numeric"
        elif dtype.is_nested():
            kind = "nested"
        else:
            kind = "other"
        out[name] = (kind, str(dtype))
    return out


def _all_named(schema: dict[str, tuple[str, str]], spec: AuditSpec) -> bool:
    """Every column the spec names is there (so a type problem may just be an empty table)."""
    named = [col for _, col in _binary_columns(spec)] + [col for _, col in spec.dimensions()]
    if spec.columns.score:
        named.append(spec.columns.score)
    return all(col in schema for col in named)


def check_columns(table: ir.Table, spec: AuditSpec, location: str) -> None:
    check_schema(ibis_kinds(table), spec, location)


def check_schema(schema: dict[str, tuple[str, str]], spec: AuditSpec, location: str) -> None:
    """Check that every named column exists and has a usable type; report all problems at once."""
    names = list(schema)
    problems = ErrorCollector()
    roles: list[tuple[str, str]] = [*_binary_columns(spec)]
    if spec.columns.score:
        roles.append(("score", spec.columns.score))
    roles += [(f"{dim} category", col) for dim, col in spec.dimensions()]
    for role, col in roles:
        if col not in schema:
            close = difflib.get_close_matches(col, names, n=3)
            hint = f"did you mean {', '.join(close)}?" if close else None
            problems.add(
                f"{role} column {col!r} not found in {location} (columns: {', '.join(names[:30])})",
                hint=hint,
            )
            continue
        kind, dtype = schema[col]
        if role in ("outcome", "truth", "prediction"):
            if kind not in ("boolean", "integer"):
                problems.add(
                    f"{role} column {col!r} is {dtype}, not boolean",
                    hint="the outcome must be boolean or 0/1; derive it with --query, e.g. "
                    f"SELECT *, {col} = 'hired' AS selected FROM data",
                )
        elif role == "score":
            if kind not in ("integer", "float", "numeric"):
                problems.add(
                    f"score column {col!r} is {dtype}, not numeric",
                    hint="cast it in --query, e.g. SELECT *, CAST(score AS DOUBLE) AS s FROM data",
                )
        elif kind == "nested":
            problems.add(f"{role} column {col!r} is {dtype}; a category must be a scalar value")
    problems.raise_if_any(AuditError, "The column mapping does not fit the data.")


#: The largest finite double; `BETWEEN -MAX AND MAX` is false for NaN and ±infinity on every
#: engine (those that have NaN sort it above every number), which `isnan` is not portable for.
_MAX_FLOAT = sys.float_info.max


def clean_score(column: ir.NumericColumn) -> ir.NumericColumn:
    """The score with NaN and ±infinity turned into NULL: they count as missing scores and are
    never compared with the median."""
    import ibis

    if not column.type().is_floating():
        return column
    return ibis.ifelse(column.between(-_MAX_FLOAT, _MAX_FLOAT), column, ibis.null())


def no_scores_error(column: str, location: str) -> AuditError:
    return input_error(
        f"Score column {column!r} in {location} has no usable values: every score is null, "
        "NaN or infinite.",
        "check the column mapping, or drop --score to audit selection rates only",
    )


def median_score(source: Source, column: str, progress: Progress | None = None) -> tuple[Any, int]:
    """The exact median of the usable scores, computed on the engine, and their count.

    LL144's scoring rate is the share of a category scoring *above the sample median*, so the
    median must be exact. Where Ibis' median is exact it is one query; elsewhere a count and an
    ordered LIMIT/OFFSET pick the middle value(s), which every SQL engine does exactly. Null, NaN
    and infinite scores are missing: not in the median, not counted.
    """
    table = source.table
    score = clean_score(table[column])
    if progress:
        progress(f"computing the median of {column}")
    if source.backend in EXACT_MEDIAN_BACKENDS:
        expr = table.aggregate(median=score.median(), n=score.count())
        row = source.rows("computing the median score", expr)[0]
        median, n = row["median"], int(row["n"] or 0)
    else:
        n = int(source.rows("counting scores", table.aggregate(n=score.count()))[0]["n"] or 0)
        median = None
        if n:
            middle = (
                table.filter(score.notnull())
                .select(v=score)
                .order_by("v")
                .limit(1 if n % 2 else 2, offset=(n - 1) // 2)
            )
            values = [r["v"] for r in source.rows("computing the median score", middle)]
            median = values[0] if n % 2 else (values[0] + values[1]) / 2
    if n == 0:
        total = source.rows("counting rows", table.aggregate(n=table.count()))[0]["n"]
        if not total:
            raise input_error(
                f"The table in {source.location} has no rows.",
                "check the file, table name or query's WHERE clause",
            )
        raise no_scores_error(column, source.location)
    return median, n


def _positive(col: ir.Column) -> ir.BooleanValue:
    return col if col.type().is_boolean() else col == 1


def grouped_counts(
    source: Source,
    spec: AuditSpec,
    median: Any = None,
    progress: Progress | None = None,
) -> list[Cell]:
    """Run the one grouped aggregation and return its rows as cells."""
    import ibis

    table = source.table
    dims = spec.dimensions()
    keys = {f"k{i}": table[col] for i, (_, col) in enumerate(dims)}
    metrics: dict[str, Any] = {"n": table.count()}

    def count_true(expr: ir.BooleanValue) -> ir.IntegerScalar:
        # SUM(CAST(b AS BIGINT)) skips NULLs like CASE would, and DuckDB runs it ~2x faster.
        return expr.cast("int64").sum()

    invalid: list[tuple[str, str]] = []
    for role, col in _binary_columns(spec):
        if table[col].type().is_integer():
            c = table[col]
            metrics[f"invalid_{role}"] = count_true(c.notnull() & ~c.isin([0, 1]))
            invalid.append((role, col))
    c = spec.columns
    if c.outcome:
        outcome = _positive(table[c.outcome])
        metrics["n_outcome"] = table[c.outcome].count()
        metrics["selected"] = count_true(outcome)
    if c.score:
        score = clean_score(table[c.score])
        metrics["n_scored"] = score.count()
        metrics["above_median"] = count_true(score > ibis.literal(median))
    pred_col = spec.effective_prediction()
    if c.truth and pred_col:
        truth, pred = _positive(table[c.truth]), _positive(table[pred_col])
        metrics["n_classified"] = count_true(table[c.truth].notnull() & table[pred_col].notnull())
        metrics["tp"] = count_true(truth & pred)
        metrics["fp"] = count_true(~truth & pred)
        metrics["fn"] = count_true(truth & ~pred)
    expr = table.group_by(**keys).aggregate(**metrics).limit(MAX_CELLS + 1)
    if progress:
        progress("counting by category")
    rows = source.rows("counting by category", expr)
    return cells_from_rows(rows, list(keys), invalid, source.location)


def cells_from_rows(
    rows: list[dict[str, Any]], keys: list[str], invalid: list[tuple[str, str]], location: str
) -> list[Cell]:
    """Check the grouped rows (cell count, 0/1 values, emptiness) and turn them into cells."""
    if len(rows) > MAX_CELLS:
        raise input_error(
            f"The category columns have more than {MAX_CELLS:,} combinations of values in "
            f"{location}.",
            "a category column looks like an identifier; check --sex/--race/--category",
        )
    bad = ErrorCollector()
    for role, col in invalid:
        n_bad = sum(int(r[f"invalid_{role}"] or 0) for r in rows)
        if n_bad:
            bad.add(
                f"{role} column {col!r} has {n_bad:,} values other than 0 and 1",
                hint="the outcome must be boolean or 0/1; derive it with --query",
            )
    bad.raise_if_any(AuditError, "The data does not fit the column mapping.")
    cells = [
        Cell(
            key=tuple(r[k] for k in keys),
            n=int(r["n"]),
            n_outcome=int(r.get("n_outcome") or 0),
            selected=int(r.get("selected") or 0),
            n_scored=int(r.get("n_scored") or 0),
            above_median=int(r.get("above_median") or 0),
            n_classified=int(r.get("n_classified") or 0),
            tp=int(r.get("tp") or 0),
            fp=int(r.get("fp") or 0),
            fn=int(r.get("fn") or 0),
        )
        for r in rows
    ]
    if not cells or sum(cell.n for cell in cells) == 0:
        raise input_error(
            f"The table in {location} has no rows.",
            "check the file, table name or query's WHERE clause",
        )
    return cells


def _collect_native(
    source: Source, spec: AuditSpec, progress: Progress | None
) -> tuple[Any, int, list[Cell]]:
    """The same statistics through the `duckdb` module directly (see accord.audit.native)."""
    from accord.audit import native

    rel = source.relation
    assert rel is not None
    types = source.run("reading the columns", rel.schema)
    schema = {name: (native.kind_of(t), native.display_type(t)) for name, t in types.items()}
    try:
        check_schema(schema, spec, source.location)
    except AccordError:
        # An empty file has untyped (text) columns; "no rows" is the real problem then.
        if _all_named(schema, spec) and not source.run(
            "counting rows", lambda: native.total_rows(rel)
        ):
            raise native.no_rows_error(source.location) from None
        raise
    median, scored = None, 0
    if spec.columns.score:
        if progress:
            progress(f"computing the median of {spec.columns.score}")
        score_kind = schema[spec.columns.score][0]
        median, scored = source.run(
            "computing the median score",
            lambda: native.median_score(rel, spec.columns.score, score_kind),
        )
        if scored == 0:
            if source.run("counting rows", lambda: native.total_rows(rel)) == 0:
                raise native.no_rows_error(source.location)
            raise no_scores_error(spec.columns.score, source.location)
    kinds = {name: kind for name, (kind, _) in schema.items()}
    binary = _binary_columns(spec)
    sql, keys = native.grouped_counts_sql(spec, kinds, binary, MAX_CELLS + 1)
    params = [median] if spec.columns.score else []
    if progress:
        progress("counting by category")
    rows = source.run("counting by category", lambda: rel.execute(sql.format(rel=rel.name), params))
    invalid = [(role, col) for role, col in binary if kinds.get(col) == "integer"]
    return median, scored, cells_from_rows(rows, keys, invalid, source.location)


def collect(source: Source, spec: AuditSpec, progress: Progress | None = None) -> Counts:
    """Validate the columns, then run the median (if scoring) and the grouped count."""
    if source.relation is not None:
        median, scored, cells = _collect_native(source, spec, progress)
    else:
        assert source.table is not None
        try:
            check_columns(source.table, spec, source.location)
        except AccordError:
            table = source.table
            if not _all_named(ibis_kinds(table), spec):
                raise
            total = source.rows("counting rows", table.aggregate(n=table.count()))[0]["n"]
            if not total:
                raise input_error(
                    f"The table in {source.location} has no rows.",
                    "check the file, table name or query's WHERE clause",
                ) from None
            raise
        median, scored = None, 0
        if spec.columns.score:
            median, scored = median_score(source, spec.columns.score, progress)
        cells = grouped_counts(source, spec, median, progress)
    return Counts(
        dimensions=tuple(name for name, _ in spec.dimensions()),
        cells=cells,
        median_score=median,
        scored_rows=scored,
        has_outcome=bool(spec.columns.outcome),
        has_score=bool(spec.columns.score),
        has_classification=bool(spec.columns.truth and spec.effective_prediction()),
    )
