"""The assessment result: a versioned, documented shape shared by every output format.

`SCHEMA_VERSION` changes when a field is removed or changes meaning; adding fields is a minor
bump. `accord schema --assessment` prints the JSON Schema.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, Field

SCHEMA_VERSION = "1.2"

Status = Literal["applicable", "upcoming", "not_applicable", "not_in_force"]


class ControlCheck(BaseModel):
    """A control the profile records for a duty, and whether it counts on the date."""

    id: str
    state: Literal[
        "in_place", "expired", "undated", "not_yet", "in_progress", "planned", "not_applicable"
    ] = Field(
        description="in_place: implemented, done by the date and within any legal validity; "
        "expired: older than the validity the law sets; undated: the law sets a validity but "
        "the control has no date; not_yet: done after the date; otherwise the profile's status."
    )
    date: dt.date | None = Field(None, description="When the control was last performed.")
    valid_for: str | None = Field(None, description="Validity the law sets, e.g. 1y.")
    valid_until: dt.date | None = Field(None, description="Last day it counts, if limited.")


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
    verdict: str | None = Field(
        None, description="Classifications: the class name the verdict shows when it applies."
    )
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
    controls: list[str] = Field(
        default_factory=list, description="Controls that each satisfy this duty."
    )
    controls_in_place: list[str] = Field(
        default_factory=list, description="Those of them in place on the date."
    )
    control_checks: list[ControlCheck] = Field(
        default_factory=list,
        description="Every control of this duty the profile records, with why it counts or not.",
    )
    gap: bool = Field(
        False,
        description="A binding duty that applies now with no control in place: a finding "
        "(`accord assess` exits 1).",
    )
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


class VerdictLine(BaseModel):
    """One instrument's result in a sentence, for the verdict that opens every output."""

    instrument: str
    short_title: str
    jurisdiction: str
    in_scope: Literal["applies", "does_not_apply", "possible"]
    binding: bool
    classes: list[str] = Field(
        default_factory=list,
        description="What the system is under this law, e.g. 'high-risk from 2027-12-02'; "
        "'possibly ...' where it depends on open facts.",
    )
    prohibited: list[str] = Field(
        default_factory=list, description="Prohibitions that apply (rule ids)."
    )
    possibly_prohibited: list[str] = Field(default_factory=list)
    duties_now: int = Field(0, description="Binding duties that apply on the date.")
    duties_upcoming: int = Field(0, description="Binding duties that apply from a later date.")
    next_date: dt.date | None = Field(None, description="Earliest date an upcoming duty starts.")
    duties_possible: int = Field(0, description="Binding duties that depend on open facts.")
    gaps: int = Field(0, description="Duties that apply now with no control in place.")
    expired: int = Field(0, description="Of those, duties whose control has expired.")
    assumptions: int = Field(0, description="Presumptions this instrument's findings rest on.")
    needs_review: int = Field(0, description="Relevant findings that need legal review.")
    text: str = Field(description="The line in words.")

    @property
    def settled_nothing_binding(self) -> bool:
        """In scope (or possibly) but nothing binding applies or may apply: one shared line."""
        return self.in_scope != "does_not_apply" and not (
            self.classes
            or self.prohibited
            or self.possibly_prohibited
            or self.duties_now
            or self.duties_upcoming
            or self.duties_possible
        )


class Question(BaseModel):
    field: str
    question: str
    kind: str
    choices: list[str] = Field(default_factory=list)
    score: float = Field(
        description="How far its answer is expected to move the open outcomes, weighted by "
        "their severity (higher: ask first)."
    )
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
    listing: Literal["all", "relevant"] = Field(
        "all",
        description="'relevant': only findings that apply or may apply are listed (the "
        "default output); 'all': every rule, as with `--all`.",
    )
    verdict: list[VerdictLine] = Field(
        default_factory=list, description="One line per instrument, in the order below."
    )
    instruments: list[InstrumentResult]
    assumptions: list[Assumption] = Field(
        default_factory=list,
        description="Presumptions taken where the profile is silent; answering the `rebut` "
        "fields replaces each with a fact.",
    )
    open_questions: list[Question]

    @property
    def has_findings(self) -> bool:
        """A prohibition applies now, or a binding duty applies now with no control in place:
        what a CI gate fails on."""
        return any(v.prohibited or v.gaps for v in self.verdict)

    def findings(self) -> list[Finding]:
        out: list[Finding] = []
        for inst in self.instruments:
            out += inst.classifications + inst.prohibitions + inst.obligations
        return out
