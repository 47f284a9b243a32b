"""Controlled vocabularies (use cases, jurisdictions, roles, themes) read from data files.

Every consumer (profile validation, questionnaire, rule lint, docs) reads these one sources,
so a new use-case code is added in one place.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml


def _load(name: str) -> dict:
    text = resources.files("accord.vocabulary").joinpath("data", name).read_text("utf-8")
    return yaml.safe_load(text) or {}


@dataclass(frozen=True)
class Jurisdiction:
    code: str
    name: str
    kind: str
    parent: str | None
    aliases: tuple[str, ...] = ()


@cache
def use_cases() -> dict[str, str]:
    return {str(k): str(v) for k, v in _load("use-cases.yaml").items()}


@cache
def roles() -> dict[str, str]:
    return {str(k): str(v) for k, v in _load("roles.yaml").items()}


@cache
def controls() -> dict[str, str]:
    """Control ids and their descriptions (an entry is a description, or a mapping with
    `description` and `cost`)."""
    return {
        str(k): str(v["description"] if isinstance(v, dict) else v)
        for k, v in _load("controls.yaml").items()
    }


@cache
def control_costs() -> dict[str, float]:
    """The catalogue's rough default cost of each control, in person-days, for the harmonised
    control plan (`accord portfolio plan`); `control_costs` in accord.toml overrides them."""
    return {
        str(k): float(v["cost"])
        for k, v in _load("controls.yaml").items()
        if isinstance(v, dict) and v.get("cost") is not None
    }


@cache
def themes() -> dict[str, str]:
    return {str(k): str(v) for k, v in _load("themes.yaml").items()}


@cache
def jurisdictions() -> dict[str, Jurisdiction]:
    out: dict[str, Jurisdiction] = {}
    for code, entry in _load("jurisdictions.yaml").items():
        out[str(code)] = Jurisdiction(
            code=str(code),
            name=entry["name"],
            kind=entry["kind"],
            parent=entry.get("parent"),
            aliases=tuple(entry.get("aliases", ())),
        )
    return out


@cache
def jurisdiction_aliases() -> dict[str, str]:
    return {alias: j.code for j in jurisdictions().values() for alias in j.aliases}


def canonical_jurisdiction(code: str) -> str | None:
    """The canonical code for `code` (case-insensitive, aliases allowed), or None if unknown."""
    up = code.strip().upper()
    if up in jurisdictions():
        return up
    return jurisdiction_aliases().get(up)


@cache
def ancestors(code: str) -> tuple[str, ...]:
    """`code` and every jurisdiction containing it, innermost first (US-NY-NYC, US-NY, US)."""
    chain: list[str] = []
    table = jurisdictions()
    current: str | None = code
    while current is not None and current not in chain:
        chain.append(current)
        current = table[current].parent if current in table else None
    return tuple(chain)


def within(code: str, region: str) -> bool:
    """True when `code` is `region` or lies inside it (DE within EU, US-NY-NYC within US)."""
    return region in ancestors(code)


def use_case_matches(code: str, prefix: str) -> bool:
    """Prefix test on whole segments: `employment` matches `employment.x`, not `employmentx`."""
    return code == prefix or code.startswith(prefix + ".")
