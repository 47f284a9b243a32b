"""The inventory: many systems, each a profile with where it came from and its evidence.

Two stores keep it, one model: a folder of profile files (git-native, named by `inventory` in
`accord.toml`) and the registry database (`accord.registry`, versioned). Every command that
works on many systems (`check`, `gaps`, `portfolio`) takes a list of `System`, so it does not
care which store they came from.
"""

from __future__ import annotations

from accord.inventory.folder import load_folder, profile_files
from accord.inventory.model import EvidenceRecord, System

__all__ = ["EvidenceRecord", "System", "load_folder", "profile_files"]
