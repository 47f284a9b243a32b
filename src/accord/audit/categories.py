"""Demographic categories: the EEO-1 labels LL144 uses, and the mapping from raw values onto them.

Raw warehouse values are messy ("F", "female", "Hispanic/Latino", NULL, "Decline to state").
The engine groups by the raw values (there are few of them), and this module maps each distinct
raw value to a category label in Python. Anything that is missing, declared unknown or simply not
recognised becomes *unknown*, and is counted per reason so that the audit can report it: LL144
requires the number of individuals left out because their category is unknown, and silently
dropping rows is how audits go wrong.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

SEX = "sex"
RACE = "race_ethnicity"
INTERSECTIONAL = "intersectional"

#: EEO-1 Component 1 sex categories, in the order the DCWP tables print them.
EEO1_SEX: tuple[str, ...] = ("Male", "Female")

#: EEO-1 race/ethnicity categories. All but the first are "(Not Hispanic or Latino)".
EEO1_RACE: tuple[str, ...] = (
    "Hispanic or Latino",
    "White",
    "Black or African American",
    "Native Hawaiian or Pacific Islander",
    "Asian",
    "Native American or Alaska Native",
    "Two or More Races",
)

INTERSECTION_SEPARATOR = " × "

_NOT_HISPANIC = " (not hispanic or latino)"

#: Spellings recognised without any user mapping. Keys are normalised (see `normalise_key`).
DEFAULT_ALIASES: dict[str, dict[str, str]] = {
    SEX: {
        "male": "Male",
        "m": "Male",
        "man": "Male",
        "female": "Female",
        "f": "Female",
        "woman": "Female",
    },
    RACE: {
        "hispanic or latino": "Hispanic or Latino",
        "hispanic/latino": "Hispanic or Latino",
        "hispanic": "Hispanic or Latino",
        "latino": "Hispanic or Latino",
        "latina": "Hispanic or Latino",
        "latinx": "Hispanic or Latino",
        "white": "White",
        "black or african american": "Black or African American",
        "black": "Black or African American",
        "african american": "Black or African American",
        "native hawaiian or pacific islander": "Native Hawaiian or Pacific Islander",
        "native hawaiian or other pacific islander": "Native Hawaiian or Pacific Islander",
        "pacific islander": "Native Hawaiian or Pacific Islander",
        "asian": "Asian",
        "native american or alaska native": "Native American or Alaska Native",
        "american indian or alaska native": "Native American or Alaska Native",
        "native american": "Native American or Alaska Native",
        "two or more races": "Two or More Races",
        "two or more": "Two or More Races",
        "multiracial": "Two or More Races",
    },
}

#: Values that people use to say "unknown" on purpose; they are unknown, not unmapped.
DECLARED_UNKNOWN: frozenset[str] = frozenset(
    {
        "unknown",
        "not known",
        "n/a",
        "na",
        "none",
        "null",
        "decline to state",
        "declined",
        "declined to state",
        "prefer not to say",
        "not disclosed",
        "undisclosed",
    }
)


class UnknownReason(StrEnum):
    """Why a value did not land in a category; reported separately so a reader can act on it."""

    MISSING = "missing"  # NULL or blank
    DECLARED = "declared"  # the data or the user mapping says unknown
    UNMAPPED = "unmapped"  # a value nobody mapped: likely a typo or a mapping gap


def normalise_key(value: object) -> str | None:
    """Turn a raw cell value into the string used for matching; None means missing.

    Integers and integral floats print without a decimal point so that a YAML map written as
    `1: Male` matches a column of integer codes however the engine returns them.
    """
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if value != value:  # NaN
            return None
        if value.is_integer():
            return str(int(value))
    text = " ".join(str(value).split())
    return text or None


def _fold(text: str) -> str:
    folded = text.casefold()
    if folded.endswith(_NOT_HISPANIC):
        folded = folded[: -len(_NOT_HISPANIC)]
    return folded


@dataclass(frozen=True)
class Mapped:
    """The outcome of mapping one raw value: a label, or None with the reason it is unknown."""

    label: str | None
    reason: UnknownReason | None = None


@dataclass
class CategoryMapper:
    """Maps the raw values of one category column onto labels.

    User mappings win; for sex and race/ethnicity the common spellings of the EEO-1 labels are
    recognised as a fallback. For other categories (age band, disability, ...) a value without a
    user mapping is its own label, because there is no standard list to check it against.
    """

    dimension: str
    user_map: Mapping[str, str | None] = field(default_factory=dict)
    standard: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        self._user = {
            _fold(k): v for k, v in ((normalise_key(k), v) for k, v in self.user_map.items()) if k
        }
        aliases = dict(DEFAULT_ALIASES.get(self.dimension, {}))
        aliases.update({_fold(label): label for label in self.standard})
        self._aliases = aliases

    def canonical(self, label: str) -> str | None:
        """The standard label that `label` spells (e.g. the DCWP's "Native Hawaiian or Other
        Pacific Islander" or "White (Not Hispanic or Latino)"), or None if it spells none."""
        key = normalise_key(label)
        return self._aliases.get(_fold(key)) if key and self.standard else None

    def map(self, value: object) -> Mapped:
        """Map one raw value."""
        key = normalise_key(value)
        if key is None:
            return Mapped(None, UnknownReason.MISSING)
        folded = _fold(key)
        if folded in self._user:
            label = self._user[folded]
            if label is None or _fold(label) in DECLARED_UNKNOWN:
                return Mapped(None, UnknownReason.DECLARED)
            # A map may name a standard category in any accepted spelling: one category.
            return Mapped(self.canonical(label) or label)
        if folded in DECLARED_UNKNOWN:
            return Mapped(None, UnknownReason.DECLARED)
        if self.standard:
            label = self._aliases.get(folded)
            return Mapped(label) if label else Mapped(None, UnknownReason.UNMAPPED)
        return Mapped(key)

    def unused_user_keys(self, raw_values: Iterable[object]) -> list[str]:
        """User-map keys that match no value in the data (a sign of a typo or the wrong column)."""
        present = {_fold(k) for k in (normalise_key(v) for v in raw_values) if k is not None}
        return [k for k in self.user_map if _fold(normalise_key(k) or "") not in present]

    def labels(self, seen: Iterable[str]) -> list[str]:
        """Labels to report, standard ones first (even when empty), then any others sorted."""
        extra = sorted({s for s in seen if s not in self.standard})
        return [*self.standard, *extra]


def mapper_for(dimension: str, user_map: Mapping[str, str | None] | None) -> CategoryMapper:
    """Build the mapper for a dimension, with the EEO-1 list for sex and race/ethnicity."""
    standard = {SEX: EEO1_SEX, RACE: EEO1_RACE}.get(dimension, ())
    return CategoryMapper(dimension, dict(user_map or {}), standard)


def intersection_label(sex: str, race: str) -> str:
    """The label of one intersectional category, e.g. `Female × Asian`."""
    return f"{sex}{INTERSECTION_SEPARATOR}{race}"
