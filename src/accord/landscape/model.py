"""The world landscape as validated data: regimes per jurisdiction and international instruments.

The landscape is research, not law: every fact carries its own confidence (confirmed / reported /
unverified) and sources, because a policy table that hides which cells are guesses is worse than
none. Unverified facts expose `needs_review: true` in JSON so that every front end can flag them
the same way the engine flags unverified rules.
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, computed_field, field_validator

SCHEMA_VERSION = "1.1"

Confidence = Literal["confirmed", "reported", "unverified"]
RegimeType = Literal[
    "binding_horizontal", "binding_sectoral", "principles", "promotion_only", "none"
]

Status = Literal[
    "in_force",
    "enacted",
    "partly_in_force",
    "pending",
    "lapsed",
    "repealed",
    "revoked",
    "expired",
    "voluntary",
    "stayed",
]
Participation = Literal["signature", "endorsement", "adherence"]

REGIMES: dict[str, str] = {
    "binding_horizontal": "binding law covering AI systems across sectors (by risk or use)",
    "binding_sectoral": "binding rules limited to some sectors, uses or techniques",
    "principles": "non-statutory principles applied by existing regulators, or voluntary codes",
    "promotion_only": "law or policy that promotes AI without compliance duties or penalties",
    "none": "no AI-specific rules for businesses (bills may be pending)",
}
"""Regime types in words; the renderers print them as a legend."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _Fact(_Strict):
    """Anything we assert about the world says how sure we are.

    Subclasses declare `confidence` (and `note`) last, so JSON reads identity first, then
    certainty.
    """

    @computed_field  # type: ignore[prop-decorator]
    @property
    def needs_review(self) -> bool:
        """True when the fact rests on recall or an unchecked source."""
        return getattr(self, "confidence", None) == "unverified"


class Source(_Strict):
    """A public page the fact was taken from (from the research digest)."""

    title: str
    url: str

    @field_validator("url")
    @classmethod
    def _is_url(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("a source url must start with http:// or https://")
        return value


def _dated(value: object, what: str) -> object:
    """A dated mapping must be non-empty; its keys are dates (checked by pydantic)."""
    if isinstance(value, dict) and not value:
        raise ValueError(f"a dated {what} needs at least one date")
    return value


def at(value, as_of: dt.date):  # type: ignore[no-untyped-def]
    """The value of a plain-or-dated field on a date: the latest entry on or before it.

    A plain value holds at every date; a dated mapping has no value before its first date
    (None), which is how the landscape says "did not exist yet".
    """
    if not isinstance(value, dict):
        return value
    found = None
    for day in sorted(value):
        if day <= as_of:
            found = value[day]
    return found


class KeyDate(_Fact):
    """One dated event in an instrument's life (signed, in force, applies, repealed, ...)."""

    date: dt.date
    event: str
    confidence: Confidence
    note: str | None = None


class Instrument(_Fact):
    """One law, order, guideline or framework; `confidence` is that of its status."""

    @field_validator("status")
    @classmethod
    def _non_empty(cls, value: object) -> object:
        return _dated(value, "status")

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9\-]*$")
    title: str
    kind: Literal["statute", "regulation", "executive", "guidance", "framework", "bill", "standard"]
    binding: bool
    status: Status | dict[dt.date, Status] = Field(
        description="The status, or a mapping from the date each status began; before the "
        "first date the instrument did not exist and `--as-of` views leave it out. Omitted "
        "for an instrument Accord has a rulebook for: the rulebook's dated status is used, so "
        "the two never disagree."
    )
    dates: list[KeyDate] = Field(default_factory=list)
    sources: list[Source] = Field(min_length=1)
    confidence: Confidence
    note: str | None = None

    @computed_field  # type: ignore[prop-decorator]
    @property
    def rulebook(self) -> bool:
        """True when Accord ships a rulebook with this id, so `accord assess` covers it."""
        return self.id in _rulebook_ids()


class Jurisdiction(_Fact):
    """A jurisdiction's regime; `confidence` is that of the regime type and summary."""

    code: str
    name: str
    regime: RegimeType | dict[dt.date, RegimeType] = Field(
        description="The regime type, or a mapping from the date each regime began."
    )
    summary: str | dict[dt.date, str]
    instruments: list[Instrument] = Field(min_length=1)
    sources: list[Source] = Field(min_length=1)
    confidence: Confidence
    note: str | None = None

    @field_validator("regime", "summary")
    @classmethod
    def _non_empty(cls, value: object) -> object:
        return _dated(value, "value")


class Party(_Fact):
    """A state or organisation that signed (or pointedly did not sign) an instrument."""

    name: str
    code: str | None = Field(None, description="Jurisdiction code, when in the vocabulary.")
    signed: dt.date | None = Field(
        None, description="When it signed (or endorsed, or adhered); unknown if absent."
    )
    ratified: dt.date | None = Field(None, description="When it ratified, for treaties.")
    confidence: Confidence
    note: str | None = None


class Count(_Fact):
    """A reported number of signatories; several counts record a conflict between sources."""

    value: int
    label: str
    date: dt.date | None = Field(None, description="When the count was true, if known.")
    confidence: Confidence
    note: str | None = None


class EntryIntoForce(_Fact):
    """Whether a treaty is in force; `state: unconfirmed` says we could not verify it."""

    state: Literal["in_force", "not_in_force", "unconfirmed"]
    date: dt.date | None = None
    confidence: Confidence
    note: str | None = None


class International(_Fact):
    """A cross-border instrument; `confidence` is that of its adoption and nature."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9\-]*$")
    title: str
    short_title: str
    kind: Literal["declaration", "treaty", "principles", "code_of_conduct", "standard"]
    binding: bool
    participation: Participation = Field(
        "signature",
        description="How states take part: they sign (treaties, declarations), their leaders "
        "endorse (a code published by the G7), or they adhere (OECD recommendations).",
    )
    dates: list[KeyDate] = Field(min_length=1)
    entry_into_force: EntryIntoForce | None = None
    counts: list[Count] = Field(default_factory=list)
    signatories: list[Party] = Field(default_factory=list)
    non_signatories: list[Party] = Field(default_factory=list)
    conflicts: list[str] = Field(
        default_factory=list, description="Where sources disagree, both sides in words."
    )
    sources: list[Source] = Field(min_length=1)
    confidence: Confidence
    note: str | None = None

    def stance(self, code: str) -> Party | None:
        """The party entry for a jurisdiction code, signed or not, if the data names it."""
        for party in (*self.signatories, *self.non_signatories):
            if party.code == code:
                return party
        return None


class Landscape(_Strict):
    """The whole data file: what the world looked like at the research cut-off."""

    schema_version: str = SCHEMA_VERSION
    prepared: dt.date = Field(description="When the research digest was prepared.")
    sources_until: str = Field(description="Newest sources consulted; later events are unknown.")
    jurisdictions: list[Jurisdiction]
    international: list[International]


class Stance(_Strict):
    """Where one selected jurisdiction stands on one international instrument."""

    instrument: str
    code: str
    position: Literal["signed", "endorsed", "adhered", "did_not_sign", "not_listed"]
    confidence: Confidence | None = None

    @computed_field  # type: ignore[prop-decorator]
    @property
    def needs_review(self) -> bool:
        return getattr(self, "confidence", None) == "unverified"


class LandscapeView(_Strict):
    """What `accord landscape` prints: the data, filtered, plus the filter's stances."""

    schema_version: str = SCHEMA_VERSION
    prepared: dt.date
    sources_until: str
    as_of: dt.date = Field(description="The date the view describes.")
    selected: list[str] = Field(default_factory=list)
    regimes: dict[str, str] = Field(default_factory=lambda: dict(REGIMES))
    jurisdictions: list[Jurisdiction]
    international: list[International]
    stances: list[Stance] = Field(default_factory=list)

    def review_count(self) -> int:
        """How many facts in the view need legal or factual review."""
        n = 0
        for j in self.jurisdictions:
            n += j.needs_review
            for i in j.instruments:
                n += i.needs_review + sum(d.needs_review for d in i.dates)
        for x in self.international:
            n += x.needs_review + sum(d.needs_review for d in x.dates)
            n += sum(c.needs_review for c in x.counts)
            n += sum(p.needs_review for p in (*x.signatories, *x.non_signatories))
            n += bool(x.entry_into_force and x.entry_into_force.needs_review)
        return n


@cache
def _rulebook_ids() -> frozenset[str]:
    from accord.rules.loader import builtin_rulebook_root

    root = builtin_rulebook_root()
    return frozenset(p.name for p in root.iterdir() if (p / "instrument.yaml").exists())
