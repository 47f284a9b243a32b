"""Migrations match the models, upgrade an empty database on both backends, and databases that
are not registries (garbage, another application's, unreachable) are refused with exit 2."""

from __future__ import annotations

import pytest

from tests.conftest import EXAMPLES
from tests.registry.conftest import raw_query


def test_migrations_upgrade_an_empty_database_and_match_the_models(url):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from sqlalchemy import inspect

    from accord.registry import db
    from accord.registry.models import Base

    engine = db.make_engine(url, create=True)
    try:
        assert inspect(engine).get_table_names() == []  # really empty
        db.ensure_schema(engine, db.parse_url(url))
        with engine.connect() as conn:
            names = set(inspect(conn).get_table_names())
            ctx = MigrationContext.configure(conn, opts={"version_table": db.VERSION_TABLE})
            diff = compare_metadata(ctx, Base.metadata)
        assert names == db.TABLES | {db.VERSION_TABLE}
        assert diff == [], diff
    finally:
        engine.dispose()
    assert raw_query(url, f"SELECT version_num FROM {db.VERSION_TABLE}") == [(db.HEAD_REVISION,)]
    assert raw_query(url, "SELECT id, seq, hash FROM accord_head") == [(1, 0, "0" * 64)]


def test_head_revision_is_the_newest_migration():
    from alembic.script import ScriptDirectory

    from accord.registry import db

    script = ScriptDirectory.from_config(db.alembic_config())
    assert script.get_heads() == [db.HEAD_REVISION]
    # shipped inside the package (no alembic.ini), as Python packages so installs include them
    assert (db.MIGRATIONS / "env.py").is_file()
    assert (db.MIGRATIONS / "versions" / "__init__.py").is_file()


def test_garbage_file_is_not_a_registry(cli, tmp_path):
    f = tmp_path / "registry.db"
    f.write_bytes(b"this is not a database at all" * 100)
    before = f.read_bytes()
    for args in (["registry", "list"], ["registry", "import", str(EXAMPLES / "spam-filter.yaml")]):
        r = cli(*args, "--db", f"sqlite:///{f}")
        assert r.exit_code == 2, r.stdout
        assert "not a registry database" in r.stderr and "Traceback" not in r.stderr
    assert f.read_bytes() == before  # untouched


def test_another_applications_sqlite_database_is_refused(cli, tmp_path):
    import sqlite3

    f = tmp_path / "other.db"
    with sqlite3.connect(f) as conn:
        conn.execute("CREATE TABLE customers (id INTEGER)")
    r = cli("registry", "import", str(EXAMPLES / "spam-filter.yaml"), "--db", f"sqlite:///{f}")
    assert r.exit_code == 2 and "not a registry database" in r.stderr and "customers" in r.stderr
    with sqlite3.connect(f) as conn:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    assert tables == {"customers"}


def test_unreachable_database_names_host_and_port(cli):
    r = cli("registry", "list", "--db", "postgresql+psycopg://postgres@127.0.0.1:1/test")
    assert r.exit_code == 2
    assert "cannot connect to the registry database at 127.0.0.1:1" in r.stderr
    assert "Traceback" not in r.stderr


@pytest.mark.parametrize(
    ("db_url", "message"),
    [
        ("not a url", "is not a database URL"),
        ("mysql://u@h/d", "unsupported database 'mysql'"),
        ("postgresql+psycopg2://u:secret@h/d", "use the psycopg driver"),
    ],
)
def test_bad_urls(cli, db_url, message):
    r = cli("registry", "list", "--db", db_url)
    assert r.exit_code == 2 and message in r.stderr
    assert "secret" not in r.stderr  # passwords never printed


def test_directory_as_database(cli, tmp_path):
    r = cli("registry", "list", "--db", f"sqlite:///{tmp_path}")
    assert r.exit_code == 2 and "not a registry database" in r.stderr


def test_cli_start_does_not_import_sqlalchemy():
    import subprocess
    import sys

    code = (
        "import sys; import accord.cli.main; "
        "print([m for m in ('sqlalchemy', 'alembic', 'psycopg') if m in sys.modules])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
