"""Gate policies: which findings make `accord check` fail.

A CI gate must say exactly what it fails on, so each policy is a named, documented predicate
over one finding of one assessment. The same finding can break several policies (a duty with
no control in place that also rests on an unverified rule); it is then one violation that
lists them all, so a code-scanning tool sees one alert per system and rule.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Literal

from accord.engine.result import Assessment, Finding, InstrumentResult
from accord.errors import InputError
from accord.inventory.model import System

PolicyName = Literal["prohibited", "unmet-now", "unmet-within", "needs-review", "possible"]

NAMES: tuple[PolicyName, ...] = (
    "prohibited",
    "unmet-now",
    "unmet-within",
    "needs-review",
    "possible",
)
"""In the order they are listed in reports and counts."""

DEFAULT_POLICIES = "prohibited,unmet-now"
"""What `accord assess` already exits 1 on: a prohibition applies, or a binding duty applies
now with no valid control in place."""

DESCRIPTIONS: dict[PolicyName, str] = {
    "prohibited": "a prohibited practice applies on the date",
    "unmet-now": "a binding duty applies on the date with no valid control in place",
    "unmet-within": "a binding duty starts to apply within the period (after the date, "
    "on or before date + N days) with no control in place",
    "needs-review": "a relevant finding rests on a rule whose legal basis is unverified",
    "possible": "a binding duty or a prohibition may apply: it depends on facts the profile "
    "leaves open",
}

LEVELS: dict[PolicyName, Literal["error", "warning", "note"]] = {
    "prohibited": "error",
    "unmet-now": "error",
    "unmet-within": "warning",
    "possible": "warning",
    "needs-review": "note",
}
"""SARIF levels: what blocks now is an error, what will or may block a warning, a question
for lawyers a note."""

_DURATION = re.compile(r"^(\d{1,5})([dwmy]?)$")
_UNIT_DAYS = {"": 1, "d": 1, "w": 7, "m": 30, "y": 365}


@dataclass(frozen=True, order=True)
class Policy:
    """One policy; `days` only for unmet-within."""

    name: PolicyName
    days: int | None = None

    def __str__(self) -> str:
        return f"{self.name}:{self.days}d" if self.days is not None else self.name

    @property
    def rank(self) -> int:
        return NAMES.index(self.name)

    @property
    def level(self) -> Literal["error", "warning", "note"]:
        return LEVELS[self.name]


def parse_policies(values: list[str] | None) -> list[Policy]:
    """`--fail-on` values (comma-separated, repeatable) as policies; an unknown name or a bad
    duration is an input error with a suggestion, never silently ignored."""
    from accord.choices import choose

    found: dict[str, Policy] = {}
    for value in values or []:
        for part in value.split(","):
            text = part.strip()
            if not text:
                continue
            name, _, arg = text.partition(":")
            name = choose(name.strip().lower(), NAMES, "policy", None)
            days: int | None = None
            if name == "unmet-within":
                if not arg:
                    raise InputError(
                        f"policy {text!r} needs a period, e.g. unmet-within:90d "
                        "(days d, weeks w, months m = 30 days, years y = 365 days)"
                    )
                days = parse_duration(arg.strip(), f"policy {text!r}")
            elif arg:
                raise InputError(f"policy {name!r} takes no argument (got {text!r})")
            policy = Policy(name, days)  # type: ignore[arg-type]
            key = name if days is None else f"{name}:{days}"
            found[key] = policy
    return sorted(found.values(), key=lambda p: (p.rank, p.days or 0))


def parse_duration(text: str, what: str) -> int:
    """`90d`, `12w`, `6m` (30 days each), `1y` (365 days) or plain days, as a number of days."""
    m = _DURATION.match(text.lower())
    if not m:
        raise InputError(f"{what}: {text!r} is not a period; use e.g. 90d, 12w, 6m or 1y")
    return int(m.group(1)) * _UNIT_DAYS[m.group(2)]


@dataclass
class Violation:
    """One finding of one system that breaks one or more policies."""

    system: System
    instrument: InstrumentResult
    finding: Finding
    policies: list[Policy]
    location: tuple[int, int, str] | None = None
    """(line, column, profile field) of the fact behind it, for systems read from a file."""

    @property
    def level(self) -> Literal["error", "warning", "note"]:
        """The most severe level among its policies (error > warning > note)."""
        order = ("error", "warning", "note")
        return min((p.level for p in self.policies), key=order.index)


@dataclass
class SystemResult:
    """One system's assessment and what the gate found in it."""

    system: System
    assessment: Assessment
    violations: list[Violation] = field(default_factory=list)

    def in_scope(self) -> list[InstrumentResult]:
        """Instruments that reach the system (or may): one JUnit test case each."""
        return [i for i in self.assessment.instruments if i.in_scope != "does_not_apply"]


@dataclass
class GateResult:
    as_of: dt.date
    policies: list[Policy]
    systems: list[SystemResult]

    @property
    def violations(self) -> list[Violation]:
        return [v for s in self.systems for v in s.violations]

    @property
    def passed(self) -> bool:
        return not any(s.violations for s in self.systems)

    def counts(self) -> dict[str, int]:
        """Violations per policy, every policy listed (0 when none)."""
        out = {str(p): 0 for p in self.policies}
        for v in self.violations:
            for p in v.policies:
                out[str(p)] += 1
        return out


def broken(
    finding: Finding,
    inst: InstrumentResult,
    policy: Policy,
    as_of: dt.date,
    review: frozenset[str] | None = None,
) -> bool:
    """Whether `finding` (of `inst`) breaks `policy` on `as_of`; `review`: the instrument's
    `needs_review` ids as a set, when the caller evaluates many findings."""
    f = finding
    if policy.name == "prohibited":
        return f.kind == "prohibition" and f.outcome == "applies" and f.status == "applicable"
    if policy.name == "unmet-now":
        return f.kind == "obligation" and f.gap
    if policy.name == "unmet-within":
        assert policy.days is not None
        return (
            f.kind == "obligation"
            and f.binding
            and f.outcome == "applies"
            and f.status == "upcoming"
            and f.applies_from is not None
            and f.applies_from <= as_of + dt.timedelta(days=policy.days)
            and not f.controls_in_place
        )
    if policy.name == "needs-review":
        return f.rule_id in (inst.needs_review if review is None else review)
    if policy.name == "possible":
        return (
            f.kind in ("obligation", "prohibition")
            and f.binding
            and f.outcome == "possible"
            and f.status in ("applicable", "upcoming")
        )
    raise AssertionError(policy)


def evaluate(
    systems: list[System], assessments: list[Assessment], policies: list[Policy], as_of: dt.date
) -> GateResult:
    """Every violation of `policies` in the assessments (one per system, in order)."""
    results = []
    for system, a in zip(systems, assessments, strict=True):
        sr = SystemResult(system, a)
        for inst in a.instruments:
            if inst.in_scope == "does_not_apply" and not inst.needs_review:
                continue  # nothing of it applies or may apply (see InstrumentResult)
            review = frozenset(inst.needs_review)
            for f in inst.classifications + inst.prohibitions + inst.obligations:
                if f.outcome == "does_not_apply":
                    continue
                hit = [p for p in policies if broken(f, inst, p, as_of, review)]
                if hit:
                    sr.violations.append(Violation(system, inst, f, hit))
        results.append(sr)
    return GateResult(as_of, policies, results)
