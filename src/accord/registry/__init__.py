"""The registry: a versioned inventory of systems, their evidence and a tamper-evident log.

One database (SQLite file by default, PostgreSQL by URL) keeps every imported profile as an
immutable version, every piece of evidence as an append-only record and every write as an event
whose hash chains to the previous one. Other commands read it through the functions below, which
import SQLAlchemy only when called, so importing this package stays cheap.

    from accord import registry
    systems = registry.load_systems(None)        # latest version of every system
    registry.versions(None, "cv-screener")       # its history, oldest first
    registry.profile_at(None, "cv-screener", 2)  # one version's profile
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from accord.registry.url import resolve_url

if TYPE_CHECKING:
    from accord.inventory.model import EvidenceRecord, System
    from accord.profile.model import Profile
    from accord.registry.store import Version

__all__ = [
    "evidence_for",
    "load_systems",
    "profile_at",
    "resolve_url",
    "versions",
]


def versions(url: str | None, system_id: str) -> list[Version]:
    """Every version of a system, oldest first; NotFoundError (with close ids) if unknown."""
    from accord.registry import store

    with store.open_registry(url, create=False) as reg:
        return reg.versions(system_id)


def load_systems(
    url: str | None, as_of_version: int | None = None, ids: list[str] | None = None
) -> list[System]:
    """Every system (or those in `ids`) at its latest version (or at most `as_of_version`),
    with its evidence records, sorted by id."""
    from accord.registry import store

    with store.open_registry(url, create=False) as reg:
        return reg.load_systems(as_of_version, ids)


def profile_at(url: str | None, system_id: str, version: int | None = None) -> Profile:
    """The profile of one version of a system (the latest when `version` is None)."""
    from accord.registry import store

    with store.open_registry(url, create=False) as reg:
        return reg.version(system_id, version).profile()


def evidence_for(url: str | None, system_id: str | None = None) -> list[EvidenceRecord]:
    """Evidence records (of one system, or all), oldest first, corrected ones left out."""
    from accord.registry import store

    with store.open_registry(url, create=False) as reg:
        return reg.evidence(system_id)
