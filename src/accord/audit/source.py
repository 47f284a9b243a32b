"""Open the user's data as an Ibis table, on the engine where the data already lives.

Files (Parquet, CSV, DuckDB, SQLite) are opened with embedded DuckDB, which reads them out of
core; anything else is an Ibis connection URL, so the same audit runs on PostgreSQL, Spark or a
cloud warehouse without moving rows. Every way this can fail (missing file, unknown scheme,
unreadable file, ragged CSV) becomes an AuditError naming the file and a likely fix.
"""

from __future__ import annotations

import glob
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from accord.audit.spec import SourceSpec, input_error
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

    def run(self, what: str, fn: Callable[[], T]) -> T:
        """Execute on the engine, turning engine errors into AuditErrors that name the source."""
        return execute(self.location, what, fn, self.hint)

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


def execute(location: str, what: str, fn: Callable[[], T], hint: str | None = None) -> T:
    """Run `fn` and translate any engine failure into an AuditError about `location`."""
    try:
        return fn()
    except AuditError:
        raise
    except Exception as exc:
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
        return _open_url(spec, match.group("scheme").lower())
    return _open_files(spec, native)


def _open_url(spec: SourceSpec, scheme: str) -> Source:
    import ibis

    data = spec.data or ""
    if scheme == "postgresql":
        scheme = "postgres"
    backends = known_backends()
    if scheme not in backends:
        raise input_error(
            f"Unknown backend {scheme!r} in {_redact(data)}.",
            f"known Ibis backends: {', '.join(backends)}; for a file pass its path, not a URL",
        )
    if scheme in _FILE_SCHEMES:
        # Ibis reads `sqlite:///abs/path.db` as /abs/path.db and `sqlite://rel.db` as rel.db.
        path = data.split("://", 1)[1].split("?", 1)[0]
        if path and path != ":memory:" and not Path(path).exists():
            raise AuditError(f"Database file not found: {path} (from {data}).")
    try:
        con = ibis.connect(data)
    except ModuleNotFoundError as exc:
        raise AuditError(
            f"The {scheme} backend is not installed ({exc.name} is missing). "
            f"Install it with: pip install 'ibis-framework[{scheme}]'"
        ) from exc
    except Exception as exc:
        raise AuditError(f"Cannot connect to {_redact(data)}: {_first_lines(exc)}") from exc
    return _pick_table(con, spec, _redact(data), backend=scheme, kind="url")


def _redact(url: str) -> str:
    """Hide a password in a connection URL before it is printed or saved in evidence."""
    return re.sub(r"(://[^:/@]+:)[^@]+@", r"\1***@", url)


def _pick_table(con: Any, spec: SourceSpec, location: str, backend: str, kind: str) -> Source:
    if spec.query:
        table = _query_table(con, spec.query, location, backend)
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


def _query_table(con: Any, query: str, location: str, backend: str) -> ir.Table:
    if backend == "duckdb":
        # A temporary view keeps the query lazy and, unlike `con.sql`, works across the
        # DuckDB versions Ibis supports.
        sql = query.strip().rstrip(";")

        def make() -> ir.Table:
            con.raw_sql(f'CREATE OR REPLACE TEMP VIEW "{_QUERY_VIEW}" AS {sql}')
            return con.table(_QUERY_VIEW)

        return execute(location, "preparing the query", make)
    return execute(location, "preparing the query", lambda: con.sql(query))


def _expand(data: str) -> list[Path]:
    if any(ch in _GLOB_CHARS for ch in data):
        files = sorted(Path(p) for p in glob.glob(data, recursive=True) if Path(p).is_file())
        if not files:
            raise AuditError(f"No files match {data!r}.")
        return files
    path = Path(data)
    if path.is_dir():
        files = sorted(p for p in path.rglob("*") if p.is_file() and _suffix(p) in _PARQUET)
        if not files:
            raise AuditError(f"Directory {data} holds no Parquet files.")
        return files
    if not path.exists():
        raise AuditError(f"File not found: {data}.")
    return [path]


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
        raise AuditError(f"Cannot read {path}: {exc.strerror or exc}.") from exc
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
        raise AuditError(f"{path} is neither a SQLite nor a DuckDB database.")
    raise AuditError(
        f"Cannot tell the format of {path}: use a .parquet, .csv, .duckdb or .sqlite file, "
        "or an Ibis URL such as sqlite:///file.db."
    )


def _open_files(spec: SourceSpec, native: bool = True) -> Source:
    data = spec.data or ""
    files = _expand(data)
    kinds = {_kind(f) for f in files}
    if len(kinds) > 1:
        raise AuditError(f"{data} matches files of different formats: {', '.join(sorted(kinds))}.")
    kind = kinds.pop()
    location = data if len(files) == 1 else f"{data} ({len(files)} files)"
    if kind in ("duckdb", "sqlite"):
        if len(files) > 1:
            raise AuditError(f"{data} matches {len(files)} database files; give exactly one.")
        path = str(files[0])
        if kind == "duckdb" and native:
            from accord.audit import native as duck

            con = execute(location, "opening the database", lambda: duck.connect(path))
            return _pick_native(con, spec, location)

        def connect() -> Any:
            import ibis

            if kind == "duckdb":
                return ibis.duckdb.connect(path, read_only=True)
            return ibis.sqlite.connect(path)

        con = execute(location, "opening the database", connect)
        return _pick_table(con, spec, location, backend=kind, kind=kind)

    paths = [str(f) for f in files]
    if native:
        return _open_native_files(spec, kind, paths, location)
    import ibis

    hint = None
    con = ibis.duckdb.connect()
    # Insertion order does not matter for counts; dropping it lets DuckDB stream with less memory.
    con.raw_sql("SET preserve_insertion_order = false")
    if kind == "parquet":
        table = execute(
            location, "opening Parquet", lambda: con.read_parquet(paths, table_name=FILE_TABLE)
        )
    else:
        csv = spec.csv
        hint = _CSV_HINT
        table = execute(
            location,
            "opening CSV",
            lambda: con.read_csv(
                paths,
                table_name=FILE_TABLE,
                delim=csv.delimiter,
                header=csv.header,
                encoding=csv.encoding,
                # skip=0 stops the sniffer from silently skipping leading rows of a ragged file.
                skip=0,
            ),
            hint,
        )
    if spec.query:
        table = _query_table(con, spec.query, location, "duckdb")
        return Source(table, "duckdb", location, kind, query=spec.query, hint=hint)
    if spec.table and spec.table != FILE_TABLE:
        raise AuditError(
            f"--table {spec.table} does not apply to a {kind} file; the file is the table "
            f"(refer to it as {FILE_TABLE!r} in --query)."
        )
    return Source(table, "duckdb", location, kind, hint=hint)


def _open_native_files(spec: SourceSpec, kind: str, paths: list[str], location: str) -> Source:
    from accord.audit import native as duck

    hint = _CSV_HINT if kind == "csv" else None
    con = duck.connect()
    rel = execute(
        location,
        f"opening {'Parquet' if kind == 'parquet' else 'CSV'}",
        lambda: duck.read_files(con, kind, paths, spec.csv, FILE_TABLE),
        hint,
    )
    if spec.query:
        rel = execute(
            location, "preparing the query", lambda: duck.query_view(con, spec.query, _QUERY_VIEW)
        )
        return Source(None, "duckdb", location, kind, query=spec.query, hint=hint, relation=rel)
    if spec.table and spec.table != FILE_TABLE:
        raise AuditError(
            f"--table {spec.table} does not apply to a {kind} file; the file is the table "
            f"(refer to it as {FILE_TABLE!r} in --query)."
        )
    return Source(None, "duckdb", location, kind, hint=hint, relation=rel)


def _pick_native(con: Any, spec: SourceSpec, location: str) -> Source:
    from accord.audit import native as duck

    if spec.query:
        rel = execute(
            location, "preparing the query", lambda: duck.query_view(con, spec.query, _QUERY_VIEW)
        )
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
            raise AuditError(f"{location} contains no tables.")
        raise AuditError(
            f"{location} contains {len(names)} tables; say which one to audit with --table "
            f"(tables: {', '.join(sorted(names)[:20])})."
        )
    if name not in names:
        raise AuditError(
            f"Table {name!r} not found in {location} "
            f"(tables: {', '.join(sorted(names)[:20]) or 'none'})."
        )
    return name
