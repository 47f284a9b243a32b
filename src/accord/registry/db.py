"""Engines, locking, migrations and database errors turned into messages.

SQLite: the driver's own transaction handling is switched off and every transaction is opened
explicitly, `BEGIN IMMEDIATE` for writers (the write lock is taken before anything is read, so
two writers never compute the same next sequence number) and a plain `BEGIN` for readers.
PostgreSQL: writers lock the single head row with `SELECT ... FOR UPDATE` (see store.py), and
migrations run under a transaction-level advisory lock. Either way a migration and the check
that it is needed happen in one locked transaction, so two processes opening a fresh database
do not both create the tables.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from accord.errors import InputError
from accord.registry.url import sqlite_path

if TYPE_CHECKING:
    from sqlalchemy.engine import URL, Connection, Engine

HEAD_REVISION = "0001"
"""The newest migration; a test checks it is the head of the shipped migration scripts."""

VERSION_TABLE = "accord_alembic_version"
TABLES = frozenset(
    {"accord_systems", "accord_versions", "accord_evidence", "accord_events", "accord_head"}
)
MIGRATION_LOCK_KEY = 0x61636364  # "accd": the advisory lock key for migrations
MIGRATIONS = Path(__file__).resolve().parent / "migrations"
EXAMPLE_URLS = "e.g. sqlite:///.accord/registry.db or postgresql+psycopg://user@host:5432/db"


def parse_url(url: str) -> URL:
    """The SQLAlchemy URL, or an input error naming what is wrong with it."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        u = make_url(url)
    except ArgumentError:
        raise InputError(f"{url!r} is not a database URL; {EXAMPLE_URLS}") from None
    backend = u.get_backend_name()
    if backend == "postgresql":
        if u.drivername == "postgresql":
            u = u.set(drivername="postgresql+psycopg")
        if u.drivername != "postgresql+psycopg":
            raise InputError(f"{shown(u)}: use the psycopg driver (postgresql+psycopg://...)")
    elif backend != "sqlite":
        raise InputError(
            f"{shown(u)}: unsupported database {backend!r}; the registry runs on SQLite and "
            f"PostgreSQL ({EXAMPLE_URLS})"
        )
    return u


def shown(u: URL) -> str:
    """The URL as messages print it: never the password."""
    return u.render_as_string(hide_password=True)


def where(u: URL) -> str:
    """Where the database is, for messages: the file, or host:port/database."""
    if u.get_backend_name() == "sqlite":
        return u.database or ":memory:"
    return f"{u.host or 'localhost'}:{u.port or 5432}/{u.database or ''}"


def make_engine(url: str, create: bool) -> Engine:
    """An engine for `url`. A missing SQLite file is created only when `create` (a write), so
    reading commands never leave an empty database behind."""
    from sqlalchemy import create_engine, event

    u = parse_url(url)
    if u.get_backend_name() == "sqlite":
        path = sqlite_path(url)
        if path is not None:
            if not path.exists():
                if not create:
                    raise InputError(
                        f"no registry at {path}; create one with `accord registry import "
                        "PROFILE...` (or name another with --db or ACCORD_DB)"
                    )
                try:
                    path.parent.mkdir(parents=True, exist_ok=True)
                except OSError as exc:
                    raise InputError(f"{path.parent}: cannot create: {exc.strerror}") from None
            elif not path.is_file():
                raise InputError(f"{path}: not a registry database (not a regular file)")
        engine = create_engine(u)

        @event.listens_for(engine, "connect")
        def _connect(dbapi_conn: object, _record: object) -> None:
            dbapi_conn.isolation_level = None  # type: ignore[attr-defined]  # we say BEGIN
            cur = dbapi_conn.cursor()  # type: ignore[attr-defined]
            cur.execute("PRAGMA busy_timeout = 60000")
            # write-ahead log: one fsync per commit and readers never block the writer; a
            # killed process still leaves only whole transactions
            cur.execute("PRAGMA journal_mode = WAL")
            cur.execute("PRAGMA foreign_keys = ON")
            cur.close()

        @event.listens_for(engine, "begin")
        def _begin(conn: Connection) -> None:
            write = conn.get_execution_options().get("accord_write", False)
            conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

        return engine
    args = {} if "connect_timeout" in u.query else {"connect_timeout": 5}
    return create_engine(u, connect_args=args, pool_pre_ping=False)


@contextlib.contextmanager
def errors(u: URL) -> Iterator[None]:
    """Database errors as input errors: a message naming the database, no traceback."""
    from sqlalchemy.exc import DBAPIError, OperationalError

    try:
        yield
    except OperationalError as exc:
        raise _message(u, exc) from None
    except DBAPIError as exc:
        raise _message(u, exc) from None


def _message(u: URL, exc: Exception) -> InputError:
    orig = getattr(exc, "orig", None) or exc
    text = str(orig).strip().splitlines()[0] if str(orig).strip() else type(orig).__name__
    if u.get_backend_name() == "sqlite":
        if "not a database" in text or "malformed" in text:
            return InputError(f"{where(u)}: not a registry database ({text})")
        if "locked" in text:
            return InputError(f"{where(u)}: the registry is locked by another process ({text})")
        return InputError(f"{where(u)}: registry database error: {text}")
    if getattr(exc, "connection_invalidated", False) or _is_connect_error(text):
        return InputError(
            f"cannot connect to the registry database at {u.host or 'localhost'}:"
            f"{u.port or 5432} (database {u.database!r}): {text}"
        )
    return InputError(f"{where(u)}: registry database error: {text}")


def _is_connect_error(text: str) -> bool:
    words = ("connection", "connect", "could not translate host", "timeout", "refused")
    return any(w in text.lower() for w in words)


def ensure_schema(engine: Engine, u: URL) -> None:
    """Bring the database to the newest schema, or say why it is not a registry.

    The common case (already current) is one query and never imports Alembic.
    """
    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError

    with errors(u):
        try:
            with engine.connect() as conn, conn.begin():
                rev = conn.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).scalar()
            if rev == HEAD_REVISION:
                return
        except DBAPIError as exc:
            text_ = str(getattr(exc, "orig", exc))
            if "no such table" not in text_ and "does not exist" not in text_:
                raise
        with engine.connect().execution_options(accord_write=True) as conn, conn.begin():
            if conn.dialect.name == "postgresql":
                conn.execute(text(f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK_KEY})"))
            _check_and_migrate(conn, u)


def _check_and_migrate(conn: Connection, u: URL) -> None:
    from sqlalchemy import inspect, text

    tables = set(inspect(conn).get_table_names())
    if VERSION_TABLE in tables:
        rev = conn.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).scalar()
        if rev == HEAD_REVISION:
            return  # another process migrated while we waited for the lock
        if rev not in known_revisions():
            raise InputError(
                f"{where(u)}: the registry has schema revision {rev!r}, which this version of "
                "Accord does not know (a newer Accord wrote it)"
            )
    elif tables & TABLES:
        raise InputError(
            f"{where(u)}: not a registry database (registry tables without a schema revision)"
        )
    elif conn.dialect.name == "sqlite" and tables:
        raise InputError(
            f"{where(u)}: not a registry database (it has other tables: "
            f"{', '.join(sorted(tables)[:5])})"
        )
    upgrade(conn)


def alembic_config(conn: Connection | None = None) -> object:
    """Alembic's Config for the migrations shipped in the package (no alembic.ini)."""
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    if conn is not None:
        cfg.attributes["connection"] = conn
    return cfg


def known_revisions() -> set[str]:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config())  # type: ignore[arg-type]
    return {s.revision for s in script.walk_revisions()}


def upgrade(conn: Connection) -> None:
    """Run every pending migration on `conn`, inside the caller's transaction."""
    from alembic import command

    command.upgrade(alembic_config(conn), "head")  # type: ignore[arg-type]
