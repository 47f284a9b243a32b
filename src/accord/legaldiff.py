"""What changed between two versions of a system: in the facts, and in what the law asks.

A profile edit is a diff of YAML; what a reviewer needs to know is whether it changes the
company's obligations. `fact_diff` compares two profiles field by field (lists of codes as sets,
since their order means nothing; controls by id), and `legal_diff` compares two assessments of
them on the same date, instrument by instrument: scope, classes, prohibitions, duties gained or
removed, duties whose status or dates moved, and penalty exposure. Both are pure, so `accord
diff`, `accord history` and the registry can share them.

Whether a control is in place is reported as a coverage change, not a legal one: adding a
control changes how well a duty is met, not which duties bind.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, Literal

from pydantic import BaseModel, Field

from accord.engine.result import Assessment, Finding, InstrumentResult
from accord.profile.model import Profile

SCHEMA_VERSION = "1.0"
"""Version of the diff's JSON shape; changes when a field is removed or changes meaning."""

Change = Literal["added", "removed", "changed"]
Movement = Literal["gained", "lost", "moved"]
Scope = Literal["applies", "does_not_apply", "possible"]


class FactChange(BaseModel):
    """One field that differs between two profiles."""

    path: str = Field(description="Dotted path, e.g. markets or controls[bias-audit].date.")
    change: Change = Field(
        description="added/removed: a field, or one item of a list compared as a set; "
        "changed: a value replaced."
    )
    old: Any = None
    new: Any = None


class State(BaseModel):
    """A finding's result on the date, as far as a diff compares it."""

    outcome: Literal["applies", "does_not_apply", "possible"]
    status: Literal["applicable", "upcoming", "not_applicable", "not_in_force"]
    applies_from: dt.date | None = None
    applies_until: dt.date | None = None

    def words(self) -> str:
        """e.g. `applies now, since 2023-07-05`, `possible from 2027-01-01`."""
        head = "possible" if self.outcome == "possible" else "applies"
        if self.status == "upcoming":
            return f"{head} from {self.applies_from}" if self.applies_from else f"{head} later"
        since = f", since {self.applies_from}" if self.applies_from else ""
        return f"{head} now{since}"


class FindingChange(BaseModel):
    """A classification, prohibition or duty that reaches the system on one side only, or
    whose outcome, status or dates differ."""

    rule_id: str
    title: str
    label: str | None = Field(None, description="Classifications: the verdict class.")
    binding: bool = True
    change: Movement
    before: State | None = None
    after: State | None = None


class CoverageChange(BaseModel):
    """A duty on both sides whose control coverage changed (not a legal change)."""

    rule_id: str
    title: str
    gap_before: bool
    gap_after: bool


class ExposureChange(BaseModel):
    """The instrument's maximum penalty exposure, and the penalties definitely triggered."""

    before: float | None = None
    after: float | None = None
    currency_before: str | None = None
    currency_after: str | None = None
    penalties_gained: list[str] = Field(default_factory=list)
    penalties_lost: list[str] = Field(default_factory=list)


class InstrumentDiff(BaseModel):
    instrument: str
    short_title: str
    jurisdiction: str
    scope_before: Scope | None = Field(None, description="None: not assessed on that side.")
    scope_after: Scope | None = None
    classes: list[FindingChange] = Field(default_factory=list)
    prohibitions: list[FindingChange] = Field(default_factory=list)
    duties: list[FindingChange] = Field(default_factory=list)
    exposure: ExposureChange | None = None
    coverage: list[CoverageChange] = Field(default_factory=list)

    @property
    def scope_changed(self) -> bool:
        return self.scope_before != self.scope_after

    @property
    def legal_changes(self) -> int:
        """How many legal changes: scope, each class, prohibition and duty, and exposure."""
        return (
            int(self.scope_changed)
            + len(self.classes)
            + len(self.prohibitions)
            + len(self.duties)
            + int(self.exposure is not None)
        )


class LegalDiff(BaseModel):
    """Two assessments compared; `changed` is what a CI job asks: do our obligations move?"""

    schema_version: str = SCHEMA_VERSION
    before_profile: str
    after_profile: str
    before_as_of: dt.date
    after_as_of: dt.date
    instruments: list[InstrumentDiff] = Field(
        default_factory=list, description="Only instruments where something changed."
    )
    changed: bool = Field(description="True when any legal change (coverage aside) was found.")
    legal_changes: int = 0


def legal_diff(before: Assessment, after: Assessment) -> LegalDiff:
    """Compare two assessments instrument by instrument (normally of two profiles on the same
    date; comparing one profile on two dates works too and shows the law's own timeline)."""
    from accord.sorting import natural_key

    left = {i.id: i for i in before.instruments}
    right = {i.id: i for i in after.instruments}
    order = [*left, *(k for k in right if k not in left)]
    diffs = []
    for iid in order:
        d = _instrument_diff(left.get(iid), right.get(iid))
        for bucket in (d.classes, d.prohibitions, d.duties):
            bucket.sort(key=lambda c: (c.change, natural_key(c.rule_id)))
        if d.legal_changes or d.coverage:
            diffs.append(d)
    total = sum(d.legal_changes for d in diffs)
    return LegalDiff(
        before_profile=before.profile_id,
        after_profile=after.profile_id,
        before_as_of=before.as_of,
        after_as_of=after.as_of,
        instruments=diffs,
        changed=total > 0,
        legal_changes=total,
    )


def _instrument_diff(a: InstrumentResult | None, b: InstrumentResult | None) -> InstrumentDiff:
    ref = b if b is not None else a
    assert ref is not None
    d = InstrumentDiff(
        instrument=ref.id,
        short_title=ref.short_title,
        jurisdiction=ref.jurisdiction,
        scope_before=a.in_scope if a is not None else None,
        scope_after=b.in_scope if b is not None else None,
    )
    d.classes = _changes(
        [f for f in a.classifications if f.verdict] if a else [],
        [f for f in b.classifications if f.verdict] if b else [],
    )
    d.prohibitions = _changes(a.prohibitions if a else [], b.prohibitions if b else [])
    d.duties = _changes(a.obligations if a else [], b.obligations if b else [])
    d.exposure = _exposure(a, b)
    if a is not None and b is not None:
        old = {f.rule_id: f for f in a.obligations if _reaches(f)}
        for f in b.obligations:
            g = old.get(f.rule_id)
            if g is not None and _reaches(f) and g.gap != f.gap:
                d.coverage.append(
                    CoverageChange(
                        rule_id=f.rule_id, title=f.title, gap_before=g.gap, gap_after=f.gap
                    )
                )
    return d


def _reaches(f: Finding) -> bool:
    """The finding binds or may bind the system, now or from a later date."""
    return f.outcome != "does_not_apply" and f.status in ("applicable", "upcoming")


def _state(f: Finding) -> State:
    return State(
        outcome=f.outcome,
        status=f.status,
        applies_from=f.applies_from,
        applies_until=f.applies_until,
    )


def _changes(old: list[Finding], new: list[Finding]) -> list[FindingChange]:
    before = {f.rule_id: f for f in old if _reaches(f)}
    after = {f.rule_id: f for f in new if _reaches(f)}
    out = []
    for rid in [*before, *(r for r in after if r not in before)]:
        f, g = before.get(rid), after.get(rid)
        ref = g or f
        assert ref is not None
        sb, sa = (_state(f) if f else None), (_state(g) if g else None)
        if sb == sa:
            continue
        change: Movement = "gained" if sb is None else "lost" if sa is None else "moved"
        out.append(
            FindingChange(
                rule_id=rid,
                title=ref.title,
                label=ref.verdict,
                binding=ref.binding,
                change=change,
                before=sb,
                after=sa,
            )
        )
    return out


def _exposure(a: InstrumentResult | None, b: InstrumentResult | None) -> ExposureChange | None:
    def definite(i: InstrumentResult | None) -> set[str]:
        return {p.penalty_id for p in i.penalties if p.definite} if i else set()

    pa, pb = definite(a), definite(b)
    ma, mb = (a.max_exposure if a else None), (b.max_exposure if b else None)
    ca, cb = (a.exposure_currency if a else None), (b.exposure_currency if b else None)
    if pa == pb and ma == mb and ca == cb:
        return None
    return ExposureChange(
        before=ma,
        after=mb,
        currency_before=ca,
        currency_after=cb,
        penalties_gained=sorted(pb - pa),
        penalties_lost=sorted(pa - pb),
    )


def profile_data(profile: Profile) -> dict[str, Any]:
    """The profile as plain data, unknown (None) fields left out: what a fact diff compares."""
    return profile.model_dump(mode="json", exclude_none=True)


def fact_diff(
    before: Profile | Mapping[str, Any], after: Profile | Mapping[str, Any]
) -> list[FactChange]:
    """Field-level differences between two profiles, in field order.

    Lists of plain values (markets, roles, uses) are sets: an item added or removed is one
    change, a reordering is none. Lists of mappings with an `id` (controls) are matched by id.
    """
    a = profile_data(before) if isinstance(before, Profile) else dict(before)
    b = profile_data(after) if isinstance(after, Profile) else dict(after)
    out: list[FactChange] = []
    _walk("", a, b, out)
    return out


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _walk(path: str, a: Any, b: Any, out: list[FactChange]) -> None:
    if a == b:
        return
    if isinstance(a, dict) and isinstance(b, dict):
        for key in [*a, *(k for k in b if k not in a)]:
            p = _join(path, str(key))
            if key not in b:
                out.append(FactChange(path=p, change="removed", old=a[key]))
            elif key not in a:
                out.append(FactChange(path=p, change="added", new=b[key]))
            else:
                _walk(p, a[key], b[key], out)
        return
    if isinstance(a, list) and isinstance(b, list):
        if all(_plain(x) for x in a + b):
            for x in a:
                if x not in b:
                    out.append(FactChange(path=path, change="removed", old=x))
            for x in b:
                if x not in a:
                    out.append(FactChange(path=path, change="added", new=x))
            return
        ka, kb = _keyed(a), _keyed(b)
        if ka is not None and kb is not None:
            for key in [*ka, *(k for k in kb if k not in ka)]:
                p = f"{path}[{key}]"
                if key not in kb:
                    out.append(FactChange(path=p, change="removed", old=ka[key]))
                elif key not in ka:
                    out.append(FactChange(path=p, change="added", new=kb[key]))
                else:
                    _walk(p, ka[key], kb[key], out)
            return
    out.append(FactChange(path=path, change="changed", old=a, new=b))


def _plain(x: Any) -> bool:
    return x is None or isinstance(x, str | int | float | bool)


def _keyed(items: list[Any]) -> dict[str, Any] | None:
    """Mappings with an `id`, keyed by it (a repeated id gets #2, #3: a control listed twice)."""
    out: dict[str, Any] = {}
    for x in items:
        if not isinstance(x, dict) or not isinstance(x.get("id"), str):
            return None
        key, n = x["id"], 1
        while key in out:
            n += 1
            key = f"{x['id']}#{n}"
        out[key] = x
    return out
