"""The rulebook format: instruments and rules as validated data.

A rulebook is one folder per legal instrument: `instrument.yaml` (metadata, penalties, sources,
amendments) and any number of `*.yaml` files holding `rules:`. Everything here is data; the
engine gives it meaning.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal, get_args

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    field_validator,
    model_validator,
)

from accord.dates import Date
from accord.rules import conditions
from accord.rules.dated import Dated, parse_dated, to_date

Kind = Literal["scope", "classification", "prohibition", "obligation"]
Confidence = Literal["confirmed", "reported", "unverified"]
Outcome = Literal["applies", "does_not_apply", "possible"]
RULE_KINDS: tuple[str, ...] = get_args(Kind)
KIND_ORDER = {"scope": 0, "classification": 1, "prohibition": 2, "obligation": 3}


def _condition(value: Any) -> conditions.Condition:
    if isinstance(value, conditions.Condition):
        return value
    try:
        return conditions.parse(value)
    except conditions.ConditionSyntaxError as exc:
        where = ".".join(str(p) for p in exc.path)
        raise ValueError(f"{exc}" + (f" (at {where})" if where else "")) from None


def _dated_date(value: Any) -> Dated[dt.date]:
    if isinstance(value, Dated):
        return value
    return parse_dated(value, to_date)


def _dated_date_or_param(value: Any) -> Dated[dt.date] | str:
    if isinstance(value, str) and not value[:1].isdigit():
        return value
    return _dated_date(value)


def _dated_text(value: Any) -> Dated[str]:
    if isinstance(value, Dated):
        return value
    return parse_dated(value, str)


def _dated_bool(value: Any) -> Dated[bool]:
    if isinstance(value, Dated):
        return value

    def strict_bool(v: Any) -> bool:
        if not isinstance(v, bool):
            raise ValueError(f"expected true or false, got {v!r}")
        return v

    return parse_dated(value, strict_bool)


ConditionField = Annotated[conditions.Condition, BeforeValidator(_condition)]
DatedBool = Annotated[Dated, BeforeValidator(_dated_bool)]
DatedDate = Annotated[Dated, BeforeValidator(_dated_date)]
DatedText = Annotated[Dated, BeforeValidator(_dated_text)]
DatedDateOrParam = Annotated[Dated | str, BeforeValidator(_dated_date_or_param)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", arbitrary_types_allowed=True, frozen=True)


class Citation(Strict):
    """Where a rule comes from, precise enough for a lawyer to find the words."""

    instrument: str | None = Field(None, description="Defaults to the rulebook's short citation.")
    article: str | None = None
    paragraph: str | None = None
    point: str | None = None
    annex: str | None = None
    section: str | None = None
    url: str | None = None
    note: str | None = None

    def short(self, default_instrument: str | None = None) -> str:
        parts: list[str] = []
        if self.article:
            ref = f"Art {self.article}"
            if self.paragraph:
                ref += f"({self.paragraph})"
            if self.point:
                ref += f"({self.point})"
            parts.append(ref)
        if self.annex:
            ref = f"Annex {self.annex}"
            if self.point and not self.article:
                ref += f" point {self.point}"
            parts.append(ref)
        if self.section:
            parts.append(self.section if self.section.startswith("§") else f"§ {self.section}")
        inst = self.instrument or default_instrument
        text = ", ".join(parts)
        return f"{inst} {text}".strip() if inst else text


class PresumptionFields(Strict):
    """What a carve-out, or a rule stating an exception, says about presuming it absent."""

    presume: Literal["absent"] | None = Field(
        None, description="While the facts behind it are unknown, take it as not holding."
    )
    assume: str | None = Field(None, description="The presumption in words, after 'assuming'.")
    presume_reason: str | None = Field(
        None, description="Why the law or practice allows presuming the exception absent."
    )
    presume_unless: ConditionField = Field(
        default_factory=lambda: conditions.FALSE,
        description="Stated facts that make the exception plausible: where they hold, nothing "
        "is presumed and the question stays open (e.g. a safety use for a safety exception).",
    )
    presume_lowers: list[str] = Field(
        default_factory=list,
        description="Rules the presumption may make less likely to apply: only lighter "
        "alternatives to the duties it raises, each named so a reviewer sees them.",
    )

    @model_validator(mode="after")
    def _reason_for_presumption(self) -> PresumptionFields:
        who = f"{type(self).__name__.lower()} {getattr(self, 'id', '')}".strip()
        if self.presume and not (self.presume_reason and self.presume_reason.strip()):
            raise ValueError(f"{who}: `presume` needs a `presume_reason`")
        if (self.presume_reason or self.assume) and not self.presume:
            raise ValueError(f"{who}: `presume_reason` and `assume` need `presume: absent`")
        return self


class CarveOut(PresumptionFields):
    """A named exception, like a legal carve-out: the rule does not apply when it holds.

    `presume: absent` makes it a rebuttable presumption: while the facts behind it are unknown,
    the exception is taken not to apply and the finding lists that assumption. Reserve it for
    exceptions the operator must claim and show, whose facts a description would mention.
    """

    id: str
    title: str
    when: ConditionField
    citation: Citation | None = None
    in_versions: DatedBool | None = Field(
        None,
        description="The law versions that contain this exception, keyed by the date each "
        "version took effect, e.g. {2024-08-01: false, 2026-07-27: true} for an exception an "
        "amendment inserted. Absent: every version has it.",
    )


class FactPresumption(Strict):
    """A fact the law (or settled guidance) presumes until the user states otherwise.

    Example: GDPR profiling is inherent in credit scoring of individuals, so `decisions.profiling`
    is presumed true for that use. Applies only to the instrument's own rules.
    """

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9\-]*$")
    field: str
    value: Any
    when: ConditionField = conditions.TRUE
    unless: ConditionField = Field(
        default_factory=lambda: conditions.FALSE,
        description="Stated facts that contradict the presumption: where they hold, nothing is "
        "filled in.",
    )
    assumption: str = Field(description="The presumed fact in words, read after 'assuming'.")
    reason: str = Field(min_length=1)
    citation: Citation | None = None
    lowers: list[str] = Field(
        default_factory=list,
        description="Rules the presumption may make less likely to apply: only lighter "
        "alternatives to the duties it raises, each named so a reviewer sees them.",
    )
    inference: bool = Field(
        False,
        description="Drawn from stated facts by definition (e.g. a stand-alone hiring tool is "
        "not a regulated product), not from silence; may then lower rules, still listed as an "
        "assumption and rebuttable by stating the field.",
    )

    @model_validator(mode="after")
    def _inference_needs_facts(self) -> FactPresumption:
        if self.inference and self.when is conditions.TRUE:
            raise ValueError(f"presumption {self.id}: an inference needs a `when` on stated facts")
        return self


class TestCase(Strict):
    """A minimal profile and the outcome the rule must give for it."""

    __test__ = False  # not a pytest class

    name: str
    profile: dict[str, Any] = Field(default_factory=dict)
    as_of: Date | None = None
    expect: Outcome
    status: Literal["applicable", "upcoming", "not_applicable", "not_in_force"] | None = None
    scenarios: list[str] = Field(default_factory=list)
    strict: bool = Field(False, description="Evaluate without presumptions (three-valued).")
    assumes: list[str] | None = Field(
        None, description="Presumption ids the outcome must rest on (exactly these)."
    )


Period = Annotated[str, Field(pattern=r"^[1-9][0-9]{0,3}[ymd]$")]
"""A length of time: a number and y (years), m (months) or d (days), e.g. 1y."""


class DateRoute(Strict):
    """Pick the application date by the route that makes a rule apply (e.g. Annex I vs III)."""

    rule: str
    applies_from: DatedDateOrParam


class Rule(PresumptionFields):
    """One legal rule; `presume: absent` suits a rule that states an exception other rules use."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9.\-_]*$")
    kind: Kind
    title: str
    summary: str | None = Field(None, description="What the rule means, in our own words.")
    roles: list[str] | None = Field(
        None, description="Roles the rule binds; obligations apply only to these roles."
    )
    when: ConditionField = conditions.TRUE
    unless: list[CarveOut] = Field(default_factory=list)
    citation: Citation
    applies_from: DatedDateOrParam = Field(
        default_factory=lambda: Dated.constant(None),
        description="Date the duty applies from, per law version (null = not in that version), "
        "or the name of an instrument date parameter.",
    )
    applies_from_by: list[DateRoute] = Field(
        default_factory=list,
        description="Route-dependent dates: the earliest route whose rule applies (or may) wins.",
    )
    applies_until: Date | None = Field(
        None, description="Last day a transitional rule applies (e.g. a grace period)."
    )
    theme: str
    verdict: str | None = Field(
        None,
        description="Classification rules only: the short class name shown in the verdict line "
        "when the rule applies (e.g. 'high-risk', 'AEDT'); intermediate steps have none.",
    )
    controls: list[str] = Field(
        default_factory=list,
        description="Controls that each satisfy this duty on their own (exactly this duty, not "
        "a neighbouring one).",
    )
    control_validity: dict[str, Period] = Field(
        default_factory=dict,
        description="How long a control stays valid where the law sets a period, e.g. "
        "{bias-audit: 1y} for an audit 'within the past year'; written <n>y, <n>m or <n>d.",
    )
    penalty: str | None = None
    deadline: str | None = Field(None, description="A clock, e.g. 'within 15 days'.")
    confidence: Confidence = "confirmed"
    confidence_note: str | None = None
    binding: bool | None = Field(None, description="False for soft-law or voluntary items.")
    scope_ignores: list[str] = Field(
        default_factory=list,
        description="Carve-outs of the instrument's scope rule that do not limit this rule (e.g. "
        "a duty that arises before release ignores the pre-release exclusion).",
    )
    tests: list[TestCase] = Field(default_factory=list)

    @property
    def needs_review(self) -> bool:
        return self.confidence == "unverified"

    @field_validator("unless")
    @classmethod
    def _unique_carve_outs(cls, value: list[CarveOut]) -> list[CarveOut]:
        ids = [u.id for u in value]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise ValueError(f"duplicate carve-out ids {dupes}")
        return value

    @model_validator(mode="after")
    def _controls_consistent(self) -> Rule:
        stray = sorted(set(self.control_validity) - set(self.controls))
        if stray:
            raise ValueError(f"control_validity names controls not in `controls`: {stray}")
        if self.verdict is not None and self.kind != "classification":
            raise ValueError("`verdict` labels classification rules only")
        return self


class Source(Strict):
    title: str
    url: str | None = None
    note: str | None = None


class Amendment(Strict):
    id: str
    title: str
    in_force: Date
    citation: str | None = None
    url: str | None = None
    confidence: Confidence = "confirmed"


Money = Annotated[float, Field(ge=0, allow_inf_nan=False)]
"""An amount of money: finite and not negative (a NaN fine would print as "USD nan")."""


class Penalty(Strict):
    """A fine tier. Amounts are maxima; `combine` says how fixed and turnover caps combine."""

    id: str
    title: str
    citation: Citation
    fixed_max: Money | None = None
    fixed_min: Money | None = Field(
        None,
        description="A statutory floor where the law sets no maximum, e.g. damages of at least "
        "this much per violation (actual damages if higher).",
    )
    turnover_pct: float | None = Field(None, ge=0, le=100, allow_inf_nan=False)
    currency: str = Field("EUR", pattern=r"^[A-Z]{3}$")
    combine: Literal["higher", "lower", "fixed_only", "per_violation"] = "higher"
    sme_combine: Literal["higher", "lower"] | None = None
    small_mid_cap_combine: Literal["higher", "lower"] | None = None
    applies_from: DatedDate = Field(default_factory=lambda: Dated.constant(None))
    confidence: Confidence = "confirmed"
    confidence_note: str | None = None
    note: str | None = None


class Change(Strict):
    """One change of the law (or of how it stands), for `accord rules changes` and for telling
    users which of their systems it touches."""

    date: Date = Field(description="When it took effect (or was decided or published).")
    kind: Literal[
        "enacted", "in-force", "applies", "amended", "repealed", "stayed", "court", "guidance"
    ]
    title: str = Field(description="What changed, in one sentence.")
    rules: list[str] = Field(
        default_factory=list,
        description="Rules whose result it can change; empty means the whole instrument.",
    )
    url: str | None = None
    confidence: Confidence = "confirmed"


class Caveat(Strict):
    """Something that limits how far a user can rely on the instrument's results: a court stay,
    pending litigation, a preemption claim, a pending repeal. Shown with every assessment."""

    text: str
    since: Date | None = None
    confidence: Confidence = "confirmed"
    url: str | None = None


ACTIVE_STATUSES = frozenset({"enacted", "in_force", "partly_in_force"})
"""Statuses under which an instrument's rules are assessed (enacted: duties are upcoming)."""
INACTIVE_STATUSES = frozenset(
    {"repealed", "stayed", "pending", "expired", "revoked", "not_enacted"}
)
"""Statuses under which nothing applies (unless the user asks what would apply if it did)."""
INSTRUMENT_STATUSES = ACTIVE_STATUSES | INACTIVE_STATUSES


class Instrument(Strict):
    """Metadata of one legal instrument (or voluntary framework)."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9\-]*$")
    jurisdiction: str
    title: str
    short_title: str
    citation: str
    kind: Literal["statute", "regulation", "executive", "guidance", "framework", "bill"] = "statute"
    binding: bool = True
    status: DatedText = Field(
        default_factory=lambda: Dated.constant("in_force"),
        description="Status per date: " + ", ".join(sorted(INSTRUMENT_STATUSES)) + ".",
    )
    scenario: str | None = Field(
        None, description="If set, the instrument is only assessed when this scenario is chosen."
    )
    opt_in: bool = Field(False, description="Voluntary catalogue the user must opt into.")
    scope_rule: str | None = None
    dates: dict[str, DatedDate] = Field(
        default_factory=dict, description="Named dated parameters rules can refer to by name."
    )
    role_rules: dict[str, list[str]] = Field(default_factory=dict)
    sources: list[Source] = Field(default_factory=list)
    amendments: list[Amendment] = Field(default_factory=list)
    penalties: list[Penalty] = Field(default_factory=list)
    last_reviewed: Date
    confidence: Confidence = "confirmed"
    notes: str | None = None
    caveats: list[Caveat] = Field(
        default_factory=list, description="Stays, litigation, preemption claims: shown to users."
    )
    changes: list[Change] = Field(
        default_factory=list,
        description="Changelog of the law: what changed when, and which rules it touches.",
    )
    presumptions: list[FactPresumption] = Field(
        default_factory=list, description="Facts presumed for this instrument's rules."
    )
    test_base: dict[str, Any] = Field(
        default_factory=dict,
        description="Profile facts every rule test starts from; a test overrides them, and a "
        "null in a test removes a base fact (makes it unknown).",
    )

    @field_validator("presumptions", "penalties", "caveats")
    @classmethod
    def _unique_ids(cls, value: list[Any]) -> list[Any]:
        seen: set[str] = set()
        for item in value:
            ident = getattr(item, "id", None)
            if ident is None:
                continue
            if ident in seen:
                raise ValueError(f"duplicate id {ident!r}")
            seen.add(ident)
        return value

    @field_validator("status")
    @classmethod
    def _known_status(cls, value: Dated[str]) -> Dated[str]:
        for _, status in value.versions:
            if status is not None and status not in INSTRUMENT_STATUSES:
                known = ", ".join(sorted(INSTRUMENT_STATUSES))
                raise ValueError(f"unknown status {status!r}; use one of {known}")
        return value

    @field_validator("sources")
    @classmethod
    def _has_sources(cls, value: list[Source]) -> list[Source]:
        if not value:
            raise ValueError("an instrument needs at least one source")
        return value
