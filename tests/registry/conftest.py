"""Registry fixtures: a fresh SQLite file and a fresh PostgreSQL schema per test.

PostgreSQL tests run against 127.0.0.1:5432, database `test`, user `postgres`, each in its own
schema (named by the search_path in the URL) that is dropped afterwards, so they never collide
with other users of the database. Unreachable server: skip with the reason, except under
CI=true, where that is a failure.
"""

from __future__ import annotations

import os
import sqlite3
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

PG_DSN = "host=127.0.0.1 port=5432 dbname=test user=postgres connect_timeout=3"
PG_BASE = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def _pg_admin():  # type: ignore[no-untyped-def]
    import psycopg

    try:
        return psycopg.connect(PG_DSN, autocommit=True)
    except psycopg.OperationalError as exc:
        if os.environ.get("CI") == "true":
            pytest.fail(f"PostgreSQL at 127.0.0.1:5432 unreachable under CI=true: {exc}")
        pytest.skip(f"PostgreSQL at 127.0.0.1:5432/test unreachable: {str(exc).strip()[:120]}")


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'registry.db'}"


@pytest.fixture
def pg_url() -> Iterator[str]:
    conn = _pg_admin()
    schema = f"accord_test_{uuid.uuid4().hex[:12]}"
    conn.execute(f'CREATE SCHEMA "{schema}"')
    try:
        yield f"{PG_BASE}?options=-csearch_path%3D{schema}"
    finally:
        conn.execute(f'DROP SCHEMA "{schema}" CASCADE')
        conn.close()


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request: pytest.FixtureRequest) -> str:
    """The same test on both backends."""
    name = "sqlite_url" if request.param == "sqlite" else "pg_url"
    return str(request.getfixturevalue(name))


def raw_sql(url: str, *statements: str) -> None:
    """Run SQL directly against the database, bypassing Accord (to tamper with it)."""
    if url.startswith("sqlite"):
        conn = sqlite3.connect(url.split("sqlite:///", 1)[1])
        try:
            for s in statements:
                conn.execute(s)
            conn.commit()
        finally:
            conn.close()
        return
    import psycopg

    schema = url.rsplit("%3D", 1)[1]
    with psycopg.connect(PG_DSN, autocommit=True) as conn:
        conn.execute(f'SET search_path TO "{schema}"')
        for s in statements:
            conn.execute(s)


def raw_query(url: str, statement: str) -> list[tuple]:  # type: ignore[type-arg]
    if url.startswith("sqlite"):
        conn = sqlite3.connect(url.split("sqlite:///", 1)[1])
        try:
            return conn.execute(statement).fetchall()
        finally:
            conn.close()
    import psycopg

    schema = url.rsplit("%3D", 1)[1]
    with psycopg.connect(PG_DSN, autocommit=True) as conn:
        conn.execute(f'SET search_path TO "{schema}"')
        return conn.execute(statement).fetchall()
