"""The world landscape: which regime each jurisdiction runs, and the international instruments.

Rulebooks answer "what must this system do"; the landscape answers the policy analyst's
question "who regulates AI how", including places and instruments Accord does not (yet) encode
as rules. It is one data file, validated on load like a rulebook: unknown jurisdiction codes,
duplicate ids and missing sources are errors with file and line.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Sequence
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from accord import vocabulary
from accord.errors import ErrorCollector, LandscapeError, Location
from accord.landscape.model import (
    REGIMES,
    International,
    Jurisdiction,
    Landscape,
    LandscapeView,
    Party,
    Stance,
    at,
)

__all__ = ["REGIMES", "Landscape", "LandscapeError", "LandscapeView", "load_landscape", "view"]


def default_path() -> Path:
    return Path(str(resources.files("accord.landscape").joinpath("data", "landscape.yaml")))


def load_landscape(path: str | Path | None = None) -> Landscape:
    """The landscape data, validated; cached per file and modification time."""
    p = Path(path) if path is not None else default_path()
    try:
        stamp = p.stat().st_mtime
    except OSError:
        stamp = 0.0
    return _load_cached(str(p), stamp)


@cache
def _load_cached(path: str, stamp: float) -> Landscape:
    from pydantic import ValidationError

    from accord.profile.loader import validation_problems
    from accord.yamlfile import load

    doc = load(path, "landscape file", LandscapeError)
    if not isinstance(doc.data, dict):
        raise LandscapeError(f"{path}: the landscape file must be a mapping")
    data = copy.deepcopy(doc.data)
    errors = ErrorCollector()
    _check_codes(data, doc, errors)
    _fill_statuses(data, doc, errors)
    errors.raise_if_any(LandscapeError, f"{path}: landscape data failed validation")
    try:
        result = Landscape.model_validate(data)
    except ValidationError as exc:
        problems = validation_problems(exc, doc, Landscape).problems
        raise LandscapeError(f"{path}: landscape data failed validation", problems) from None
    return result


def _check_codes(data: dict[str, Any], doc: Any, errors: ErrorCollector) -> None:
    """Codes must be canonical vocabulary codes; names default to the vocabulary's names.

    Done on raw data (before pydantic) so every message can point at the line of the code.
    """
    table = vocabulary.jurisdictions()

    def code_ok(code: Any, key: tuple) -> bool:
        if isinstance(code, str) and code in table:
            return True
        canon = vocabulary.canonical_jurisdiction(code) if isinstance(code, str) else None
        hint = (
            f"use the canonical code {canon!r}"
            if canon
            else "see `accord vocab jurisdictions`, or give only `name:` for a party"
        )
        errors.add(f"unknown jurisdiction code {code!r}", doc.location(key), hint)
        return False

    seen_codes: set[str] = set()
    seen_ids: set[str] = set()
    for i, entry in enumerate(data.get("jurisdictions") or []):
        if not isinstance(entry, dict):
            continue
        key = ("jurisdictions", i, "code")
        code = entry.get("code")
        if code_ok(code, key):
            if code in seen_codes:
                errors.add(f"jurisdiction {code!r} is listed twice", doc.location(key))
            seen_codes.add(code)
            entry.setdefault("name", table[code].name)
        for k, inst in enumerate(entry.get("instruments") or []):
            if isinstance(inst, dict) and isinstance(inst.get("id"), str):
                _unique(
                    inst["id"],
                    seen_ids,
                    doc.location(("jurisdictions", i, "instruments", k, "id")),
                    errors,
                )
    for i, inst in enumerate(data.get("international") or []):
        if not isinstance(inst, dict):
            continue
        if isinstance(inst.get("id"), str):
            _unique(inst["id"], seen_ids, doc.location(("international", i, "id")), errors)
        names: set[str] = set()
        for group in ("signatories", "non_signatories"):
            for k, party in enumerate(inst.get(group) or []):
                if not isinstance(party, dict):
                    continue
                key = ("international", i, group, k)
                if "code" in party:
                    if not code_ok(party["code"], (*key, "code")):
                        continue
                    party.setdefault("name", table[party["code"]].name)
                if not party.get("name"):
                    errors.add("a party needs a `code:` or a `name:`", doc.location(key))
                    continue
                if party["name"] in names:
                    errors.add(
                        f"{party['name']!r} is listed twice (or as both signatory and "
                        "non-signatory)",
                        doc.location(key),
                    )
                names.add(party["name"])


RULEBOOK_STATUS = {"not_enacted": "pending"}
"""Rulebook statuses with another name in the landscape; the rest are the same words."""


def _fill_statuses(data: dict[str, Any], doc: Any, errors: ErrorCollector) -> None:
    """An instrument without `status` takes its rulebook's dated status (non-binding ones are
    "voluntary" while in force), so a law's dates are kept in one place."""
    for i, entry in enumerate(data.get("jurisdictions") or []):
        if not isinstance(entry, dict):
            continue
        for k, inst in enumerate(entry.get("instruments") or []):
            if not isinstance(inst, dict) or "status" in inst:
                continue
            dated = _rulebook_status(inst.get("id"))
            if dated is None:
                errors.add(
                    f"instrument {inst.get('id')!r} has no status and no rulebook to take it from",
                    doc.location(("jurisdictions", i, "instruments", k)),
                    "add `status:` (a status, or dates mapped to statuses)",
                )
                continue
            binding = inst.get("binding", True)
            inst["status"] = {
                day: (
                    "voluntary"
                    if value == "in_force" and not binding
                    else RULEBOOK_STATUS.get(value, value)
                )
                for day, value in dated.items()
            }


@cache
def _rulebook_status(ident: object) -> dict[dt.date, str] | None:
    """The dated status in a built-in rulebook's instrument.yaml, read without the rules."""
    from accord.landscape.model import _rulebook_ids
    from accord.rules.loader import builtin_rulebook_root
    from accord.yamlfile import load

    if not isinstance(ident, str) or ident not in _rulebook_ids():
        return None
    path = builtin_rulebook_root() / ident / "instrument.yaml"
    status = load(path, "instrument file", LandscapeError).data.get("status")
    if isinstance(status, str):
        return {dt.date.min: status}
    return dict(status) if isinstance(status, dict) else None


def _unique(ident: str, seen: set[str], where: Location, errors: ErrorCollector) -> None:
    if ident in seen:
        errors.add(f"instrument id {ident!r} is used twice", where)
    seen.add(ident)


POSITIONS = {"signature": "signed", "endorsement": "endorsed", "adherence": "adhered"}
"""The stance word for a party, by how the instrument is joined."""


def view(
    landscape: Landscape, codes: Sequence[str] = (), as_of: dt.date | None = None
) -> LandscapeView:
    """The landscape for display on `as_of` (default today), restricted to `codes`.

    A state-level code keeps its federal level (US-CA also shows US), because federal rules
    apply there too; international instruments always show, with each selected code's stance.
    On a past date, instruments that did not exist yet are left out, statuses and regimes are
    those of the day, and only the signatures, ratifications and counts known by then count.
    """
    day = as_of or dt.date.today()
    jurisdictions = [_jurisdiction_on(j, day) for j in landscape.jurisdictions]
    if codes:
        jurisdictions = [
            j
            for j in jurisdictions
            if any(vocabulary.within(j.code, c) or vocabulary.within(c, j.code) for c in codes)
        ]
    international = [
        x for x in (_international_on(x, day) for x in landscape.international) if x is not None
    ]
    stances: list[Stance] = []
    for code in codes:
        for inst in international:
            party = inst.stance(code)
            if party is None:
                stances.append(Stance(instrument=inst.id, code=code, position="not_listed"))
                continue
            joined = any(p is party for p in inst.signatories)
            stances.append(
                Stance(
                    instrument=inst.id,
                    code=code,
                    position=POSITIONS[inst.participation] if joined else "did_not_sign",
                    confidence=party.confidence,
                )
            )
    return LandscapeView(
        prepared=landscape.prepared,
        sources_until=landscape.sources_until,
        as_of=day,
        selected=list(codes),
        jurisdictions=jurisdictions,
        international=international,
        stances=stances,
    )


def _jurisdiction_on(j: Jurisdiction, day: dt.date) -> Jurisdiction:
    """The jurisdiction as it stood on `day`: dated values resolved, later instruments gone."""
    instruments = []
    for inst in j.instruments:
        status = at(inst.status, day)
        if status is not None:
            instruments.append(inst.model_copy(update={"status": status}))
    regime = at(j.regime, day) or "none"
    summary = at(j.summary, day) or "No AI-specific rules for businesses at this date."
    return j.model_copy(update={"regime": regime, "summary": summary, "instruments": instruments})


def _international_on(x: International, day: dt.date) -> International | None:
    """The instrument as known on `day`, or None if it had not been adopted yet."""
    if min(d.date for d in x.dates) > day:
        return None

    def known(party: Party) -> Party | None:
        if party.signed is not None and party.signed > day:
            return None
        if party.ratified is not None and party.ratified > day:
            return party.model_copy(update={"ratified": None})
        return party

    signatories = [p for p in (known(p) for p in x.signatories) if p is not None]
    counts = [c for c in x.counts if c.date is None or c.date <= day]
    eif = x.entry_into_force
    if eif is not None and eif.state == "in_force" and eif.date is not None and eif.date > day:
        eif = eif.model_copy(
            update={"state": "not_in_force", "note": f"enters into force on {eif.date}"}
        )
    return x.model_copy(
        update={"signatories": signatories, "counts": counts, "entry_into_force": eif}
    )
