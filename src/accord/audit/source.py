"""Open the user's data as an Ibis table, on the engine where the data already lives.

Files (Parquet, CSV, DuckDB, SQLite) are opened with embedded DuckDB, which reads them out of
core; anything else is an Ibis connection URL, so the same audit runs on PostgreSQL, Spark or a
cloud warehouse without moving rows. Every way this can fail (missing file, unknown scheme,
unreadable file, ragged CSV) becomes an AuditError naming the file and a likely fix.
"""

from __future__ import annotations

import csv
import glob
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from accord.audit.query import check_duckdb_query, check_query
from accord.audit.spec import CsvOptions, SourceSpec, input_error, visible
from accord.errors import AuditError

if TYPE_CHECKING:
    import ibis.expr.types as ir

    from accord.audit.native import Relation

T = TypeVar("T")

_URL = re.compile(r"^(?P<scheme>[A-Za-z][A-Za-z0-9+.\-]*)://")
_GLOB_CHARS = set("*?[")
_PARQUET = (".parquet", ".pq", ".parq")
_CSV = (".csv", ".tsv", ".txt", ".csv.gz", ".tsv.gz", ".csv.zst")
_DUCKDB = (".duckdb", ".ddb")
_SQLITE = (".sqlite", ".sqlite3", ".db")
_FILE_SCHEMES = {"duckdb", "sqlite"}
#: Name under which file sources are registered, so `--query "SELECT ... FROM data"` works.
FILE_TABLE = "data"
_QUERY_VIEW = "accord_audit_query"


@dataclass
class Source:
    """An opened source plus what the audit report says about where it came from.

    File sources carry a DuckDB `relation` (the native path, see accord.audit.native); every
    other source carries an Ibis `table`.
    """

    table: ir.Table | None
    backend: str
    location: str
    kind: str
    table_name: str | None = None
    query: str | None = None
    hint: str | None = None
    relation: Relation | None = None
    diagnose: Callable[[], str | None] | None = None

    def run(self, what: str, fn: Callable[[], T]) -> T:
        """Execute on the engine, turning engine errors into AuditErrors that name the source."""
        return execute(self.location, what, fn, self.hint, self.diagnose)

    def rows(self, what: str, expr: ir.Table) -> list[dict[str, Any]]:
        """Execute a (small-result) table expression and return its rows as dicts."""

        def fetch() -> list[dict[str, Any]]:
            import ibis

            backend = ibis.get_backend(expr)
            if self.backend == "duckdb" and hasattr(backend, "con"):
                # Straight to DuckDB with Ibis' SQL: Ibis' own fetch path imports pandas,
                # which costs more than the whole query on a million rows.
                cursor = backend.con.execute(backend.compile(expr))
                names = [d[0] for d in cursor.description]
                return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
            return expr.to_pyarrow().to_pylist()

        return self.run(what, fetch)


def execute(
    location: str,
    what: str,
    fn: Callable[[], T],
    hint: str | None = None,
    diagnose: Callable[[], str | None] | None = None,
) -> T:
    """Run `fn` and translate any engine failure into an AuditError about `location`.

    `diagnose` may explain the failure better than the engine (e.g. the line of a ragged CSV
    row, which DuckDB's dialect sniffer does not report).
    """
    try:
        return fn()
    except AuditError:
        raise
    except Exception as exc:
        if type(exc).__name__ == "InterruptException":  # DuckDB's Ctrl-C: not bad input
            raise KeyboardInterrupt from exc
        found = diagnose() if diagnose else None
        if found:
            raise input_error(found, hint) from exc
        raise input_error(
            f"Reading {location} failed while {what}: {_first_lines(exc)}", hint
        ) from exc


_CSV_HINT = (
    "every row needs the same number of fields; check --csv-delimiter, --csv-no-header "
    "and --csv-encoding"
)


def _first_lines(exc: BaseException, limit: int = 4) -> str:
    text = str(exc).strip() or type(exc).__name__
    lines = [ln for ln in text.splitlines() if ln.strip()][:limit]
    return f"{type(exc).__name__}: " + "\n    ".join(lines)


def known_backends() -> list[str]:
    """Ibis backends installed as entry points (their drivers may still be missing)."""
    from importlib.metadata import entry_points

    return sorted(e.name for e in entry_points(group="ibis.backends"))


def from_table(table: ir.Table, location: str | None = None) -> Source:
    """Wrap an Ibis table the caller already has (Python API)."""
    try:
        backend = table._find_backend().name
    except Exception:
        backend = "unknown"
    return Source(table, backend, location or f"{backend} table", kind="ibis")


def open_source(spec: SourceSpec, native: bool = True) -> Source:
    """Open the source described by `spec`.

    Files go to embedded DuckDB directly when `native` (the default); `native=False` routes them
    through Ibis too, which the tests use to check that both paths agree.
    """
    if not spec.data:
        raise input_error(
            "No data source given.", "pass a file, glob or URL as DATA, or set source.data"
        )
    match = _URL.match(spec.data)
    if match:
        return _open_url(spec, _scheme(match.group("scheme")))
    return _open_files(spec, native)


def _scheme(scheme: str) -> str:
    scheme = scheme.lower()
    return "postgres" if scheme == "postgresql" else scheme


def local_paths(spec: SourceSpec) -> list[Path]:
    """The local files a source would read (for refusing to write output over them), or []."""
    data = spec.data or ""
    match = _URL.match(data)
    try:
        if match:
            if _scheme(match.group("scheme")) not in _FILE_SCHEMES:
                return []
            path = data.split("://", 1)[1].split("?", 1)[0]
            return [Path(path)] if path and path != ":memory:" else []
        return _expand(data)
    except AuditError:
        return []


def _open_url(spec: SourceSpec, scheme: str) -> Source:
    import ibis

    data = spec.data or ""
    backends = known_backends()
    if scheme not in backends:
        raise input_error(
            f"Unknown backend {scheme!r} in {_redact(data)}.",
            f"known Ibis backends: {', '.join(backends)}; for a file pass its path, not a URL",
        )
    query = check_query(spec.query, scheme) if spec.query else None
    kwargs: dict[str, Any] = {}
    if scheme in _FILE_SCHEMES:
        # Ibis reads `sqlite:///abs/path.db` as /abs/path.db and `sqlite://rel.db` as rel.db.
        path = data.split("://", 1)[1].split("?", 1)[0]
        if path and path != ":memory:" and not _exists(path):
            raise input_error(f"Database file not found: {path} (from {data}).")
        if scheme == "duckdb" and path and path != ":memory:":
            kwargs["read_only"] = True
    try:
        con = ibis.connect(data, **kwargs)
    except ModuleNotFoundError as exc:
        raise AuditError(
            f"The {scheme} backend is not installed ({exc.name} is missing). "
            f"Install it with: pip install 'ibis-framework[{scheme}]'"
        ) from exc
    except Exception as exc:
        raise input_error(f"Cannot connect to {_redact(data)}: {_first_lines(exc)}") from exc
    if scheme == "duckdb":
        execute(_redact(data), "restricting the database", lambda: restrict(con.con, []))
    return _pick_table(con, spec, _redact(data), backend=scheme, kind="url", query=query)


def _exists(path: str) -> bool:
    try:
        return Path(path).exists()
    except (OSError, ValueError):
        return False


def restrict(con: Any, allowed: list[str]) -> None:
    """Lock a DuckDB connection down before any user SQL runs on it.

    External access (reading or writing any other file, COPY, ATTACH, INSTALL/LOAD of
    extensions) is disabled; only the `allowed` files (the registered data files) stay
    readable, and the configuration is locked so that no statement can undo this.
    """
    if allowed:
        try:
            con.execute("SET allowed_paths = [" + ", ".join(_literal(p) for p in allowed) + "]")
        except Exception as exc:  # DuckDB before 1.2 has no allowed_paths
            if "allowed_paths" not in str(exc):
                raise
            return  # the registered files must stay readable: the query check is the guard
    con.execute("SET enable_external_access = false")
    con.execute("SET lock_configuration = true")


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _redact(url: str) -> str:
    """Hide a password in a connection URL before it is printed or saved in evidence."""
    return re.sub(r"(://[^:/@]+:)[^@]+@", r"\1***@", url)


def _pick_table(
    con: Any, spec: SourceSpec, location: str, backend: str, kind: str, query: str | None = None
) -> Source:
    if spec.query:
        sql = query or check_query(spec.query, backend)
        table = _query_table(con, sql, location, backend)
        return Source(table, backend, location, kind, query=spec.query)
    names = execute(location, "listing tables", lambda: _list_tables(con, backend))
    name = _choose_table(names, spec.table, location)
    table = execute(location, f"opening table {name}", lambda: con.table(name))
    return Source(table, backend, location, kind, table_name=name)


def _list_tables(con: Any, backend: str) -> list[str]:
    if backend == "duckdb":
        # Ask DuckDB directly: Ibis' list_tables breaks on some DuckDB releases.
        rows = con.con.execute(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = current_schema() AND table_catalog = current_database()"
        ).fetchall()
        return [r[0] for r in rows]
    return list(con.list_tables())


def _query_table(con: Any, sql: str, location: str, backend: str) -> ir.Table:
    """A table for `sql`, which `check_query` has already accepted."""
    if backend == "duckdb":
        # A temporary view keeps the query lazy and, unlike `con.sql`, works across the
        # DuckDB versions Ibis supports.
        def make() -> ir.Table:
            check_duckdb_query(con.con, sql)
            con.raw_sql(f'CREATE OR REPLACE TEMP VIEW "{_QUERY_VIEW}" AS {sql}')
            return con.table(_QUERY_VIEW)

        return execute(location, "preparing the query", make)
    return execute(location, "preparing the query", lambda: con.sql(sql))


def _expand(data: str) -> list[Path]:
    """The files `data` names: an existing file or directory as is (even when its name contains
    glob characters, like `weird[1].csv`), otherwise a glob pattern."""
    try:
        path = Path(data)
        if path.is_dir():
            files = sorted(p for p in path.rglob("*") if p.is_file() and _suffix(p) in _PARQUET)
            if not files:
                raise input_error(f"Directory {data} holds no Parquet files.")
            return files
        if path.exists():
            from accord import files as safe

            if path.is_file() or not path.resolve().exists():
                return [path]
            safe.regular_file(path, "data file")  # a FIFO or device: refused, never read
            return [path]
        if any(ch in _GLOB_CHARS for ch in data):
            files = sorted(Path(p) for p in glob.glob(data, recursive=True) if Path(p).is_file())
            if not files:
                raise input_error(f"No files match {data!r}.")
            return files
    except OSError as exc:
        raise input_error(f"Cannot open {data!r}: {exc.strerror or exc}.") from None
    except ValueError as exc:  # e.g. an embedded NUL character
        raise input_error(f"Cannot open {data!r}: {exc}.") from None
    raise input_error(f"File not found: {data}.")


def duck_path(path: Path | str) -> str:
    """An absolute path for DuckDB's file readers, with glob characters escaped so that an
    existing file named `weird[1].csv` or `a*b.parquet` is read as that file only."""
    text = os.path.abspath(path)
    return "".join(f"[{ch}]" if ch in _GLOB_CHARS else ch for ch in text)


def _allowed(paths: list[str]) -> list[str]:
    """What DuckDB must be allowed to open: the (escaped) patterns and the files themselves."""
    out = [duck_path(p) for p in paths] + [os.path.abspath(p) for p in paths]
    return list(dict.fromkeys(out))


def _suffix(path: Path) -> str:
    name = path.name.lower()
    for multi in (".csv.gz", ".tsv.gz", ".csv.zst"):
        if name.endswith(multi):
            return multi
    return path.suffix.lower()


def _sniff(path: Path) -> str | None:
    """Recognise a file by its magic bytes, for names whose suffix says nothing."""
    try:
        with path.open("rb") as fh:
            head = fh.read(16)
    except OSError as exc:
        raise input_error(f"Cannot read {path}: {exc.strerror or exc}.") from exc
    if head.startswith(b"PAR1"):
        return "parquet"
    if head.startswith(b"SQLite format 3"):
        return "sqlite"
    if head[8:12] == b"DUCK":
        return "duckdb"
    return None


def _kind(path: Path) -> str:
    suffix = _suffix(path)
    magic = _sniff(path)  # also proves the file is readable
    if suffix in _PARQUET:
        return "parquet"
    if suffix in _CSV:
        return "csv"
    if suffix in _DUCKDB:
        return "duckdb"
    if magic:
        return magic
    if suffix in _SQLITE:
        raise input_error(f"{path} is neither a SQLite nor a DuckDB database.")
    raise input_error(
        f"Cannot tell the format of {path}: use a .parquet, .csv, .duckdb or .sqlite file, "
        "or an Ibis URL such as sqlite:///file.db."
    )


#: Rows of a CSV file scanned (only after a read failed) to find the first ragged row.
CSV_SCAN_ROWS = 1_000_000


def ragged_csv_row(paths: list[str], options: CsvOptions) -> str | None:
    """The first row whose number of fields differs from the file's first row, as
    `file:line: ...`, or None. Run only after DuckDB failed: its dialect sniffer reports a
    ragged row near the top of a file without the line."""
    import gzip

    for name in paths:
        if name.lower().endswith(".zst"):
            continue
        opener: Any = gzip.open if name.lower().endswith(".gz") else open
        try:
            with opener(name, "rt", encoding=options.encoding, newline="") as fh:
                reader = csv.reader(fh, delimiter=options.delimiter)
                expected = None
                start = 1
                for i, row in enumerate(reader):
                    if i >= CSV_SCAN_ROWS:
                        break
                    if row:
                        if expected is None:
                            expected = (len(row), start)
                        elif len(row) != expected[0]:
                            return (
                                f"{name}:{start}: this row has {len(row)} fields, but line "
                                f"{expected[1]} has {expected[0]}: "
                                f"{visible(options.delimiter.join(row)[:120])!r}"
                            )
                    start = reader.line_num + 1
        except (OSError, UnicodeError, csv.Error, EOFError):
            continue
    return None


def _open_files(spec: SourceSpec, native: bool = True) -> Source:
    data = spec.data or ""
    files = _expand(data)
    kinds = {_kind(f) for f in files}
    if len(kinds) > 1:
        raise input_error(f"{data} matches files of different formats: {', '.join(sorted(kinds))}.")
    kind = kinds.pop()
    location = data if len(files) == 1 else f"{data} ({len(files)} files)"
    query = check_query(spec.query, kind if kind == "sqlite" else "duckdb") if spec.query else None
    if kind in ("duckdb", "sqlite"):
        if len(files) > 1:
            raise input_error(f"{data} matches {len(files)} database files; give exactly one.")
        path = str(files[0])
        if kind == "duckdb" and native:
            from accord.audit import native as duck

            def open_db() -> Any:
                con = duck.connect(path)
                restrict(con, [])
                return con

            con = execute(location, "opening the database", open_db)
            return _pick_native(con, spec, location, query)

        def connect() -> Any:
            import ibis

            if kind == "duckdb":
                con = ibis.duckdb.connect(path, read_only=True)
                restrict(con.con, [])
                return con
            return ibis.sqlite.connect(path)

        con = execute(location, "opening the database", connect)
        return _pick_table(con, spec, location, backend=kind, kind=kind, query=query)

    paths = [str(f) for f in files]
    if spec.table and spec.table != FILE_TABLE:
        raise input_error(
            f"--table {spec.table} does not apply to a {kind} file; the file is the table "
            f"(refer to it as {FILE_TABLE!r} in --query)."
        )
    if native:
        return _open_native_files(spec, kind, paths, location, query)
    import ibis

    hint = None
    diagnose = None
    con = ibis.duckdb.connect()
    # Insertion order does not matter for counts; dropping it lets DuckDB stream with less memory.
    con.raw_sql("SET preserve_insertion_order = false")
    escaped = [duck_path(p) for p in paths]
    if kind == "parquet":
        table = execute(
            location, "opening Parquet", lambda: con.read_parquet(escaped, table_name=FILE_TABLE)
        )
    else:
        csv_options = spec.csv
        hint = _CSV_HINT

        def diagnose() -> str | None:
            return ragged_csv_row(paths, csv_options)

        table = execute(
            location,
            "opening CSV",
            lambda: con.read_csv(
                escaped,
                table_name=FILE_TABLE,
                delim=csv_options.delimiter,
                header=csv_options.header,
                encoding=csv_options.encoding,
                # skip=0 stops the sniffer from silently skipping leading rows of a ragged file.
                skip=0,
            ),
            hint,
            diagnose,
        )
    execute(location, "restricting the engine", lambda: restrict(con.con, _allowed(paths)))
    if query:
        table = _query_table(con, query, location, "duckdb")
        return Source(
            table, "duckdb", location, kind, query=spec.query, hint=hint, diagnose=diagnose
        )
    return Source(table, "duckdb", location, kind, hint=hint, diagnose=diagnose)


def _open_native_files(
    spec: SourceSpec, kind: str, paths: list[str], location: str, query: str | None
) -> Source:
    from accord.audit import native as duck

    hint = _CSV_HINT if kind == "csv" else None

    def diagnose() -> str | None:
        return ragged_csv_row(paths, spec.csv) if kind == "csv" else None

    con = duck.connect()
    rel = execute(
        location,
        f"opening {'Parquet' if kind == 'parquet' else 'CSV'}",
        lambda: duck.read_files(con, kind, [duck_path(p) for p in paths], spec.csv, FILE_TABLE),
        hint,
        diagnose,
    )
    execute(location, "restricting the engine", lambda: restrict(con, _allowed(paths)))
    source = Source(None, "duckdb", location, kind, hint=hint, relation=rel, diagnose=diagnose)
    if query:
        source.relation = source.run("preparing the query", lambda: _native_query(con, query, duck))
        source.query = spec.query
    return source


def _native_query(con: Any, sql: str, duck: Any) -> Relation:
    check_duckdb_query(con, sql)
    return duck.query_view(con, sql, _QUERY_VIEW)  # type: ignore[no-any-return]


def _pick_native(con: Any, spec: SourceSpec, location: str, query: str | None) -> Source:
    from accord.audit import native as duck

    if query:
        rel = execute(location, "preparing the query", lambda: _native_query(con, query, duck))
        return Source(None, "duckdb", location, "duckdb", query=spec.query, relation=rel)
    names = execute(location, "listing tables", lambda: duck.list_tables(con))
    name = _choose_table(names, spec.table, location)
    rel = duck.Relation(con, duck.quote(name))
    return Source(None, "duckdb", location, "duckdb", table_name=name, relation=rel)


def _choose_table(names: list[str], name: str | None, location: str) -> str:
    """The table to audit: the one given, or the only one there is."""
    if name is None:
        if len(names) == 1:
            return names[0]
        if not names:
            raise input_error(f"{location} contains no tables.")
        raise input_error(
            f"{location} contains {len(names)} tables; say which one to audit with --table "
            f"(tables: {', '.join(sorted(names)[:20])})."
        )
    if name not in names:
        raise input_error(
            f"Table {name!r} not found in {location} "
            f"(tables: {', '.join(sorted(names)[:20]) or 'none'})."
        )
    return name
