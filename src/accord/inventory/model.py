"""One system in the inventory and the evidence kept for it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from accord.profile.model import Profile


class EvidenceRecord(BaseModel):
    """A piece of evidence that a control was carried out for a system.

    The file's SHA-256 is recorded when it is added so a later edit of the file is detectable;
    `valid_until` (or the control's validity in the law, e.g. one year for a bias audit) decides
    whether it still counts on a date.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str | None = Field(None, description="Registry id; None for evidence not yet stored.")
    system_id: str
    control: str = Field(description="Control id from the catalogue, e.g. bias-audit.")
    covers: list[str] = Field(
        default_factory=list, description="Rule ids it covers; empty: every duty of the control."
    )
    location: str = Field(description="File path or URL.")
    sha256: str | None = Field(None, description="Hex digest of the file when it was added.")
    date: dt.date = Field(description="When the control was performed (or the document dated).")
    valid_until: dt.date | None = None
    owner: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class System:
    """A profile with its provenance: a file (line numbers for SARIF) or a registry version."""

    profile: Profile
    path: Path | None = None
    version: int | None = None
    evidence: tuple[EvidenceRecord, ...] = field(default_factory=tuple)
    owner: str | None = None

    @property
    def id(self) -> str:
        return self.profile.id

    @property
    def label(self) -> str:
        """How messages name it: the file, or id@version for a registry system."""
        if self.path is not None:
            return str(self.path)
        return f"{self.id}@{self.version}" if self.version is not None else self.id
