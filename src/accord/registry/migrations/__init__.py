"""Alembic migrations of the registry, shipped in the package and run on open (no alembic.ini)."""
