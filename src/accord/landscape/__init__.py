"""The world landscape: which regime each jurisdiction runs, and the international instruments.

Rulebooks answer "what must this system do"; the landscape answers the policy analyst's
question "who regulates AI how", including places and instruments Accord does not (yet) encode
as rules. It is one data file, validated on load like a rulebook: unknown jurisdiction codes,
duplicate ids and missing sources are errors with file and line.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from accord import vocabulary
from accord.errors import ErrorCollector, LandscapeError, Location
from accord.landscape.model import (
    REGIMES,
    Landscape,
    LandscapeView,
    Stance,
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


def _unique(ident: str, seen: set[str], where: Location, errors: ErrorCollector) -> None:
    if ident in seen:
        errors.add(f"instrument id {ident!r} is used twice", where)
    seen.add(ident)


def view(landscape: Landscape, codes: Sequence[str] = ()) -> LandscapeView:
    """The landscape for display, restricted to `codes` (and the regions around or inside them).

    A state-level code keeps its federal level (US-CA also shows US), because federal rules
    apply there too; international instruments always show, with each selected code's stance.
    """
    if codes:
        chosen = [
            j
            for j in landscape.jurisdictions
            if any(vocabulary.within(j.code, c) or vocabulary.within(c, j.code) for c in codes)
        ]
    else:
        chosen = list(landscape.jurisdictions)
    stances: list[Stance] = []
    for code in codes:
        for inst in landscape.international:
            party = inst.stance(code)
            if party is None:
                stances.append(Stance(instrument=inst.id, code=code, position="not_listed"))
                continue
            signed = any(p is party for p in inst.signatories)
            stances.append(
                Stance(
                    instrument=inst.id,
                    code=code,
                    position="signed" if signed else "did_not_sign",
                    confidence=party.confidence,
                )
            )
    return LandscapeView(
        prepared=landscape.prepared,
        sources_until=landscape.sources_until,
        selected=list(codes),
        jurisdictions=chosen,
        international=list(landscape.international),
        stances=stances,
    )
