"""Which registry database a command uses: --db, then ACCORD_DB, then config `db`, then the
default SQLite file `.accord/registry.db` under the working directory.

Kept free of SQLAlchemy so the CLI can resolve (and show) the URL without the import cost.
"""

from __future__ import annotations

import os
from pathlib import Path

ENV = "ACCORD_DB"
DEFAULT_FILE = Path(".accord") / "registry.db"
SQLITE_PREFIXES = ("sqlite:///", "sqlite+pysqlite:///")


def resolve_url(cli_value: str | None = None, config_path: Path | None = None) -> str:
    """The database URL in force; a relative SQLite path in a config file is taken relative to
    that file's folder (like `rulebooks`), so the registry does not move with the cwd."""
    if cli_value:
        return cli_value
    env = os.environ.get(ENV)
    if env:
        return env
    if config_path is None:
        from accord.config import find_config

        config_path = find_config(Path.cwd())
    if config_path is not None:
        from accord.config import load_config

        db = load_config(config_path).db
        if db:
            return _anchor(db, config_path.parent)
    return f"sqlite:///{(Path.cwd() / DEFAULT_FILE).as_posix()}"


def sqlite_path(url: str) -> Path | None:
    """The file of a SQLite URL (None for in-memory or other backends)."""
    for prefix in SQLITE_PREFIXES:
        if url.startswith(prefix):
            rest = url[len(prefix) :].split("?", 1)[0]
            return Path(rest) if rest and rest != ":memory:" else None
    return None


def _anchor(url: str, base: Path) -> str:
    path = sqlite_path(url)
    if path is None or path.is_absolute():
        return url
    prefix = next(p for p in SQLITE_PREFIXES if url.startswith(p))
    query = url.split("?", 1)[1] if "?" in url else None
    out = prefix + (base / path).as_posix()
    return f"{out}?{query}" if query else out
