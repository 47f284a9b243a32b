"""Alembic environment: run on the connection the registry hands over (see registry.db).

The registry calls Alembic programmatically with `config.attributes["connection"]` set, inside
its own transaction and lock, so two processes opening a fresh database do not both migrate.
"""

from __future__ import annotations

from alembic import context

from accord.registry.models import Base

VERSION_TABLE = "accord_alembic_version"

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    version_table=VERSION_TABLE,
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()
