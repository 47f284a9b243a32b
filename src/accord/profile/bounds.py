"""Numbers known only as a bound, such as "more than 10^23 FLOP".

People often know that a model's training compute is above or below a threshold without knowing
the figure. A `Bound` keeps that knowledge, so a test like "more than 10^25" is true, false or
unknown exactly as far as the bound allows, instead of the whole fact being unknown.
"""

from __future__ import annotations

import math
import re
from typing import Annotated, Any

from pydantic import PlainSerializer, PlainValidator, SerializationInfo, WithJsonSchema

_ONE = re.compile(r"^\s*(>=|<=|>|<)\s*([0-9.eE+\-^x* ]+?)\s*$")
_RANGE = re.compile(r"^\s*([0-9.eE+\-^x* ]+?)\s*\.\.\s*([0-9.eE+\-^x* ]+?)\s*$")
EXAMPLES = '"> 1e23", ">= 1e25", "< 1e24" or "1e23..1e24"'


class Bound:
    """An interval of possible values; `None` ends are unbounded.

    A plain class rather than a dataclass: pydantic would turn a dataclass into a dict when a
    profile is dumped, and the engine needs the object itself.
    """

    __slots__ = ("high", "high_inclusive", "low", "low_inclusive")

    def __init__(
        self,
        low: float | None = None,
        low_inclusive: bool = False,
        high: float | None = None,
        high_inclusive: bool = False,
    ) -> None:
        self.low, self.low_inclusive = low, low_inclusive
        self.high, self.high_inclusive = high, high_inclusive

    def _key(self) -> tuple:
        return (self.low, self.low_inclusive, self.high, self.high_inclusive)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Bound) and self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        return f"Bound({str(self)!r})"

    def compare(self, op: str, value: float) -> bool | None:
        """`op` is gt, gte, lt or lte; True or False where every value in the bound agrees."""
        if op in ("lt", "lte"):
            flipped = {"lt": "gte", "lte": "gt"}[op]
            result = self.compare(flipped, value)
            return None if result is None else not result
        # At the edge, "x > v" is settled only by an open lower end, "x >= v" by any lower end;
        # an upper end at v rules out "x > v" always, and "x >= v" only when open.
        gte = op == "gte"
        if self.low is not None and (
            self.low > value or (self.low == value and (gte or not self.low_inclusive))
        ):
            return True
        if self.high is not None and (
            self.high < value or (self.high == value and not (gte and self.high_inclusive))
        ):
            return False
        return None

    def __str__(self) -> str:
        if self.low is not None and self.high is not None:
            return f"{self.low:g}..{self.high:g}"
        if self.low is not None:
            return f"{'>=' if self.low_inclusive else '>'} {self.low:g}"
        return f"{'<=' if self.high_inclusive else '<'} {self.high:g}"


def _number(text: str) -> float:
    """1e23, 1.5e24, 10^23, 3x10^23 or 3*10^23."""
    t = text.replace(" ", "")
    m = re.fullmatch(r"(?:([0-9.]+)[x*])?10\^([+\-]?[0-9]+)", t)
    value = float(m.group(1) or 1) * 10.0 ** int(m.group(2)) if m else float(t)
    if not math.isfinite(value) or value < 0:
        raise ValueError(f"{text!r} must be zero or more")
    return value


def parse(value: Any) -> float | Bound:
    """A number, or a bound written as text; ValueError with examples otherwise."""
    if isinstance(value, Bound):
        return value
    if isinstance(value, bool):
        raise ValueError("expected a number or a bound, not true/false")
    if isinstance(value, int | float):
        if not math.isfinite(value) or value < 0:
            raise ValueError(f"{value!r} must be zero or more")
        return float(value)
    if not isinstance(value, str):
        raise ValueError(f"expected a number or a bound such as {EXAMPLES}")
    try:
        if m := _ONE.match(value):
            op, n = m.group(1), _number(m.group(2))
            if op.startswith(">"):
                return Bound(low=n, low_inclusive=op == ">=")
            return Bound(high=n, high_inclusive=op == "<=")
        if m := _RANGE.match(value):
            lo, hi = _number(m.group(1)), _number(m.group(2))
            if lo > hi:
                raise ValueError(f"the range {value!r} runs backwards")
            return Bound(low=lo, low_inclusive=True, high=hi, high_inclusive=True)
        return _number(value)
    except ValueError as exc:
        if "backwards" in str(exc):
            raise
        raise ValueError(f"{value!r} is not a number or a bound such as {EXAMPLES}") from None


def _dump(value: float | Bound, info: SerializationInfo) -> Any:
    """Text in JSON and YAML output; the Bound itself for the engine's facts."""
    if isinstance(value, Bound) and info.mode_is_json():
        return str(value)
    return value


NumberOrBound = Annotated[
    float | Bound,
    PlainValidator(parse),
    PlainSerializer(_dump),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "number", "minimum": 0},
                {
                    "type": "string",
                    "pattern": r"^\s*((>=|<=|>|<)\s*\S+|\S+\s*\.\.\s*\S+)\s*$",
                    "examples": ["> 1e23", "1e23..1e24"],
                },
            ]
        }
    ),
]
