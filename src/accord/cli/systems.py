"""Which systems a multi-system command (`check`, `gaps`, `portfolio`, `diff`) works on.

One rule for all of them: named files and folders; else the `inventory` folders of the config
in force; else the registry, if one exists (looking never creates a database).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from accord.inventory.model import System


def config_path(ctx: typer.Context) -> Path | None:
    """The config file in force: the root's --config, else the nearest one upwards."""
    from accord.config import find_config

    root = ctx.find_root()
    given = root.params.get("config") if root is not None else None
    return Path(given) if given else find_config(Path.cwd())


def select_systems(
    targets: list[str], use_registry: bool, db: str | None, config_path: Path | None
) -> list[System]:
    """The systems to report on.

    Arguments that exist on disk are profile files or folders; the others are system ids that
    pick from the pool: those files and folders, plus the registry with --registry/--db; with
    neither, the config's `inventory` folders, else the registry if it exists. An unknown id is
    an input error with the closest ids.
    """
    from accord.errors import InputError
    from accord.inventory import load_folder

    paths = [Path(t) for t in targets if Path(t).exists()]
    ids = [t for t in targets if not Path(t).exists()]
    pool: list[System] = load_folder(paths) if paths else []
    where = "the named files and folders"
    if use_registry:
        pool += _registry_systems(db, config_path, must_exist=False)
        where = "the registry" if not paths else "the named files, folders and the registry"
    elif not paths:
        folders = _config_inventory(config_path)
        if folders:
            missing = [f for f in folders if not f.exists()]
            if missing:
                raise InputError(f"{missing[0]}: inventory folder in {config_path} not found")
            pool = load_folder(folders)
            where = f"the inventory folders of {config_path}"
        else:
            where = "the registry"
            try:
                pool = _registry_systems(db, config_path, must_exist=True)
            except InputError as exc:
                if ids:  # say first that the name is not a file: it may be a typo'd path
                    raise InputError(f"{ids[0]}: no such file or folder; {exc}") from None
                raise
    if not ids:
        if not pool:
            raise InputError(
                f"no systems in {where}; name profile files or folders, set `inventory` in "
                "accord.toml, or `accord registry import PATH...`"
            )
        return pool
    from accord.choices import check_names

    by_id = {s.id: s for s in pool}
    for name in ids:
        if name not in by_id and not by_id:
            raise InputError(f"{name}: no such file, and no systems in {where} to pick it from")
    check_names(ids, by_id, f"system (not a file either; known in {where})")
    return [by_id[i] for i in dict.fromkeys(ids)]


def _config_inventory(config_path: Path | None) -> list[Path]:
    if config_path is None:
        return []
    from accord.config import load_config

    return [Path(p) for p in load_config(config_path).inventory]


def _registry_systems(db: str | None, config_path: Path | None, must_exist: bool) -> list[System]:
    """Every system of the registry at its latest version; with `must_exist`, a default SQLite
    registry that was never created is no registry (nothing is created by looking)."""
    from accord.errors import InputError

    try:
        from accord import registry
    except ImportError:  # pragma: no cover - the registry ships with Accord
        raise InputError("the registry is not available in this installation") from None
    url = registry.resolve_url(db, config_path)
    if must_exist:
        from accord.registry.url import sqlite_path

        file = sqlite_path(url)
        if file is not None and not file.exists():
            raise InputError(
                "no systems: name profile files or folders, set `inventory` in accord.toml, "
                f"or `accord registry import PATH...` (no registry at {file})"
            )
    return registry.load_systems(url)
