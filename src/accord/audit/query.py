"""`--query` and a spec's `source.query`: one read-only SELECT, checked before anything runs.

A spec file travels between people, so its query is untrusted input: `SELECT * FROM data; COPY
... TO '/anywhere'` must not write a file. The query is parsed with sqlglot (Ibis' own SQL
parser) in the source engine's dialect and accepted only if it is a single SELECT (optionally
WITH ... SELECT, or a UNION/INTERSECT/EXCEPT of SELECTs) containing no statement that writes,
loads, attaches or configures anything. DuckDB sources are also checked with DuckDB's own parser
(no parser differential) and run with external access disabled (see accord.audit.source).
"""

from __future__ import annotations

import logging
from typing import Any

from accord.audit.spec import input_error

_HINT = "give one read-only SELECT (or WITH ... SELECT) statement, e.g. SELECT * FROM data"

#: Ibis backend names whose sqlglot dialect has another name.
_DIALECTS = {
    "postgres": "postgres",
    "postgresql": "postgres",
    "mssql": "tsql",
    "pyspark": "spark",
    "impala": "hive",
    "datafusion": None,
    "polars": None,
}


def dialect_for(backend: str) -> str | None:
    """The sqlglot dialect for an Ibis backend name, or None for sqlglot's generic SQL."""
    from sqlglot.dialects.dialect import Dialect

    if backend in _DIALECTS:
        return _DIALECTS[backend]
    return backend if Dialect.get(backend) is not None else None


def _denied() -> tuple[type, ...]:
    """Expression types that write, load, attach, configure or end a transaction."""
    from sqlglot import exp

    names = (
        "Alter", "Analyze", "Attach", "Cache", "Command", "Commit", "Copy", "Create", "Delete",
        "Describe", "Detach", "Drop", "Export", "Grant", "Insert", "Install", "Into", "Kill",
        "LoadData", "Lock", "Merge", "Pragma", "Refresh", "Revoke", "Rollback", "Set",
        "Summarize", "Transaction", "TruncateTable", "Uncache", "Update", "Use",
    )  # fmt: skip
    return tuple(t for t in (getattr(exp, n, None) for n in names) if isinstance(t, type))


def _is_select(node: Any) -> bool:
    from sqlglot import exp

    while isinstance(node, exp.Subquery):
        node = node.this
    set_op = getattr(exp, "SetOperation", exp.Union)
    if isinstance(node, set_op):
        return _is_select(node.left) and _is_select(node.right)
    return isinstance(node, exp.Select)


def _kind(node: Any) -> str:
    """A short name for a refused statement or clause, e.g. COPY, ATTACH, SELECT ... INTO."""
    from sqlglot import exp

    if isinstance(node, exp.Into):
        return "SELECT ... INTO"
    if isinstance(node, exp.Command):
        return str(node.this).upper()
    if isinstance(node, exp.Lock):
        return "SELECT ... FOR UPDATE/SHARE"
    name = type(node).__name__
    return {"TruncateTable": "TRUNCATE", "LoadData": "LOAD DATA"}.get(name, name.upper())


def _statements(sql: str, dialect: str | None) -> list[list[Any]]:
    """The query's tokens, split into statements at semicolons (empty statements dropped)."""
    import sqlglot
    from sqlglot.errors import SqlglotError
    from sqlglot.tokens import TokenType

    try:
        tokens = sqlglot.tokenize(sql, read=dialect)
    except SqlglotError as exc:
        raise input_error(f"The query is not valid SQL: {_first_line(exc)}", _HINT) from None
    out: list[list[Any]] = [[]]
    for token in tokens:
        if token.token_type == TokenType.SEMICOLON:
            out.append([])
        else:
            out[-1].append(token)
    return [group for group in out if group]


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


_STARTS = {"SELECT", "WITH", "FROM", "("}


def check_query(sql: str, backend: str) -> str:
    """Raise an AuditError unless `sql` is a single read-only SELECT in `backend`'s dialect.

    Returns the statement without trailing semicolons and comments, ready to wrap in a view.
    """
    import sqlglot
    from sqlglot.errors import SqlglotError

    if not isinstance(sql, str) or not sql.strip():
        raise input_error("The query is empty.", _HINT)
    dialect = dialect_for(backend)
    statements = _statements(sql, dialect)
    if not statements:
        raise input_error("The query is empty.", _HINT)
    if len(statements) > 1:
        kinds = ", ".join(group[0].text.upper() for group in statements)
        raise input_error(
            f"Refused query: {len(statements)} statements ({kinds}); only one SELECT is run.",
            _HINT,
        )
    first = statements[0][0].text.upper()
    if first not in _STARTS:
        raise input_error(
            f"Refused query: {first} is not allowed; only a read-only SELECT is run.", _HINT
        )
    statement = sql[: statements[0][-1].end + 1]  # without trailing semicolons and comments
    logger = logging.getLogger("sqlglot")
    level = logger.level
    logger.setLevel(logging.ERROR)  # sqlglot logs a warning when it falls back to Command
    try:
        parsed = [s for s in sqlglot.parse(statement, read=dialect) if s is not None]
    except SqlglotError as exc:
        raise input_error(f"The query is not valid SQL: {_first_line(exc)}", _HINT) from None
    finally:
        logger.setLevel(level)
    if len(parsed) != 1:
        raise input_error(
            f"Refused query: it parses as {len(parsed)} statements; only one SELECT is run.",
            _HINT,
        )
    stmt = parsed[0]
    denied = _denied()
    bad = next((n for n in stmt.walk() if isinstance(n, denied)), None)
    if bad is not None:
        raise input_error(
            f"Refused query: it contains {_kind(bad)}; only a read-only SELECT is run.", _HINT
        )
    if not _is_select(stmt):
        raise input_error(
            f"Refused query: it is not a SELECT statement ({type(stmt).__name__}); only a "
            "read-only SELECT is run.",
            _HINT,
        )
    return statement


def check_duckdb_query(con: Any, sql: str) -> None:
    """DuckDB's own parser must agree: exactly one statement, of type SELECT."""
    import duckdb

    try:
        statements = con.extract_statements(sql)
    except duckdb.Error as exc:
        raise input_error(f"The query is not valid SQL: {_first_line(exc)}", _HINT) from None
    if len(statements) != 1 or statements[0].type != duckdb.StatementType.SELECT:
        kinds = ", ".join(s.type.name for s in statements) or "nothing"
        raise input_error(f"Refused query: DuckDB reads it as {kinds}; only one SELECT is run.")
