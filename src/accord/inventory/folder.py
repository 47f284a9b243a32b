"""The git-native inventory: folders of profile YAML files."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from accord.errors import AccordError, InputError
from accord.inventory.model import System

SUFFIXES = (".yaml", ".yml")


def profile_files(paths: Iterable[Path]) -> list[Path]:
    """Profile files named directly or found in folders (recursively, sorted, no hidden dirs).

    Files inside folders are kept only if they look like profiles (a mapping with `id` and
    `name`), so audit specs or evidence next to profiles do not break a folder run; a file named
    directly must be a profile.
    """
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            found = sorted(
                f
                for f in p.rglob("*")
                if f.suffix in SUFFIXES
                and f.is_file()
                and not any(part.startswith(".") for part in f.relative_to(p).parts)
            )
            out += [f for f in found if _looks_like_profile(f)]
        elif p.exists():
            out.append(p)
        else:
            raise InputError(f"{p}: no such file or folder")
    return out


def _looks_like_profile(path: Path) -> bool:
    from accord.files import read_text

    head = read_text(path, "profile file")[:4000]
    lines = {line.split(":", 1)[0].strip() for line in head.splitlines() if ":" in line}
    return "id" in lines and "name" in lines and "markets" in head


def load_folder(paths: Iterable[Path], quiet: bool = True) -> list[System]:
    """Every profile under `paths`, loaded with its evidence files; ids must be unique.

    Many files are parsed in worker processes (`accord.engine.batch.load_many`); errors come
    as loading them in turn would give them."""
    from accord.engine.batch import load_many

    systems: list[System] = []
    seen: dict[str, Path] = {}
    files = profile_files(paths)
    for f, loaded in zip(files, load_many(files), strict=False):
        if isinstance(loaded, AccordError):
            raise loaded
        profile, _warnings = loaded
        if profile.id in seen:
            raise InputError(
                f"{f}: system id {profile.id!r} is also used by {seen[profile.id]}; "
                "ids must be unique in an inventory"
            )
        seen[profile.id] = f
        systems.append(System(profile=profile, path=f))
    return systems
