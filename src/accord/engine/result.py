"""The assessment result: a versioned, documented shape shared by every output format.

`SCHEMA_VERSION` changes when a field is removed or changes meaning; adding fields is a minor
bump. `accord schema --assessment` prints the JSON Schema.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, Field

SCHEMA_VERSION = "1.1"

Status = Literal["applicable", "upcoming", "not_applicable", "not_in_force"]


class Finding(BaseModel):
    """One rule's result for the profile on the date."""

    rule_id: str
    kind: Literal["scope", "classification", "prohibition", "obligation"]
    title: str
    summary: str | None = None
    outcome: Literal["applies", "does_not_apply", "possible"]
    status: Status = Field(description="Status on the assessment date.")
    applies_from: dt.date | None = Field(None, description="When the duty applies, if dated.")
    applies_until: dt.date | None = None
    law_version: dt.date | None = Field(
        None, description="Start date of the law version whose dates were used."
    )
    citation: str
    url: str | None = None
    theme: str
    roles: list[str] | None = None
    deadline: str | None = None
    penalty: str | None = None
    confidence: Literal["confirmed", "reported", "unverified"]
    needs_review: bool = Field(description="True where the legal basis is unverified.")
    confidence_note: str | None = None
    binding: bool = True
    trace: list[str] = Field(default_factory=list, description="Why, in plain words.")
    unknowns: list[str] = Field(
        default_factory=list, description="Profile fields that would settle a possible outcome."
    )
    carve_out: str | None = Field(None, description="The exception that excluded the rule.")
    controls: list[str] = Field(default_factory=list)
    controls_in_place: list[str] = Field(default_factory=list)
    assumptions: list[str] = Field(
        default_factory=list,
        description="Ids of the presumptions this definite outcome rests on (see the "
        "assessment's `assumptions`).",
    )


class PenaltyExposure(BaseModel):
    penalty_id: str
    title: str
    citation: str
    currency: str
    max_amount: float | None = Field(None, description="Maximum fine, if computable.")
    formula: str
    triggered_by: list[str]
    definite: bool = Field(description="False when only possible findings trigger it.")
    needs_review: bool = False


class InstrumentCaveat(BaseModel):
    text: str
    since: dt.date | None = None
    confidence: Literal["confirmed", "reported", "unverified"]
    url: str | None = None


class InstrumentResult(BaseModel):
    id: str
    title: str
    short_title: str
    jurisdiction: str
    citation: str
    binding: bool
    status: str = Field(description="Status of the instrument on the assessment date.")
    law_version: str = Field(description="Which text is in force on the date.")
    in_scope: Literal["applies", "does_not_apply", "possible"]
    scope_trace: list[str] = Field(default_factory=list)
    scope_assumptions: list[str] = Field(
        default_factory=list, description="Presumptions the scope outcome rests on."
    )
    classifications: list[Finding] = Field(default_factory=list)
    prohibitions: list[Finding] = Field(default_factory=list)
    obligations: list[Finding] = Field(default_factory=list)
    penalties: list[PenaltyExposure] = Field(default_factory=list)
    max_exposure: float | None = None
    exposure_currency: str | None = None
    needs_review: list[str] = Field(
        default_factory=list, description="Ids of relevant findings that need legal review."
    )
    confidence: Literal["confirmed", "reported", "unverified"] = Field(
        "confirmed", description="How well the instrument's own sources are confirmed."
    )
    caveats: list[InstrumentCaveat] = Field(
        default_factory=list,
        description="Stays, litigation or preemption claims that limit how far to rely on it.",
    )

    @property
    def binds_nothing(self) -> bool:
        """In scope (or possibly), yet no classification, ban or duty applies or may apply."""
        return self.in_scope != "does_not_apply" and not any(
            f.outcome != "does_not_apply"
            for f in self.classifications + self.prohibitions + self.obligations
        )

    def sections(self, show_all: bool = False) -> list[tuple[str, list[Finding]]]:
        """Titled groups of findings for display; without `show_all`, only relevant ones."""
        groups = [
            ("Classification", self.classifications),
            ("Prohibited practices", self.prohibitions),
            ("Obligations", self.obligations),
        ]
        if not show_all:
            groups = [(t, [f for f in fs if f.outcome != "does_not_apply"]) for t, fs in groups]
        return [(t, fs) for t, fs in groups if fs]


class Question(BaseModel):
    field: str
    question: str
    kind: str
    choices: list[str] = Field(default_factory=list)
    score: float = Field(description="How many and how severe the outcomes it would settle.")
    settles: list[str] = Field(description="Rule ids whose outcome depends on it.")


class Assumption(BaseModel):
    """A rebuttable presumption that one or more definite findings rest on."""

    id: str
    instrument: str
    assumption: str = Field(description="What is assumed, in words.")
    reason: str = Field(description="Why the law or practice allows assuming it.")
    citation: str | None = None
    url: str | None = None
    rebut: list[str] = Field(description="Profile fields whose answer would confirm or rebut it.")
    findings: list[str] = Field(description="Rule ids whose outcome rests on it.")


class Assessment(BaseModel):
    schema_version: str = SCHEMA_VERSION
    accord_version: str
    profile_id: str
    profile_name: str
    as_of: dt.date
    scenarios: list[str] = Field(default_factory=list)
    strict: bool = Field(
        False, description="True when evaluated without presumptions (pure three-valued)."
    )
    instruments: list[InstrumentResult]
    assumptions: list[Assumption] = Field(
        default_factory=list,
        description="Presumptions taken where the profile is silent; answering the `rebut` "
        "fields replaces each with a fact.",
    )
    open_questions: list[Question]

    def findings(self) -> list[Finding]:
        out: list[Finding] = []
        for inst in self.instruments:
            out += inst.classifications + inst.prohibitions + inst.obligations
        return out
