"""Structured conditions and their three-valued evaluation.

Conditions are data, not strings, so the engine can evaluate them with unknowns, explain them
in words, find the fields that would settle them, and lint field names against the profile.
Truth values are True, False and None (unknown), combined with Kleene's logic.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from accord import vocabulary
from accord.profile.bounds import Bound

Tri = bool | None

LEAF_OPS = ("is", "in", "any_of", "matches", "only", "within", "gt", "gte", "lt", "lte")
OP_WORDS = {
    "is": "is",
    "in": "is one of",
    "any_of": "include any of",
    "matches": "include a use under",
    "only": "are all among (or under)",
    "within": "include a market in",
    "gt": "is more than",
    "gte": "is at least",
    "lt": "is less than",
    "lte": "is at most",
}


class Condition:
    """Base class; subclasses are immutable trees built once at load time."""

    def children(self) -> tuple[Condition, ...]:
        return ()

    def leaves(self) -> Iterator[Leaf]:
        """Every field test in the tree (for lint and docs)."""
        for child in self.children():
            yield from child.leaves()

    def rule_refs(self) -> Iterator[str]:
        """Every rule the tree refers to (the dependency graph's edges)."""
        for child in self.children():
            yield from child.rule_refs()


@dataclass(frozen=True)
class _Group(Condition):
    items: tuple[Condition, ...]

    def children(self) -> tuple[Condition, ...]:
        return self.items


class All(_Group):
    """Holds when every item holds."""


class Any_(_Group):
    """Holds when at least one item holds."""


@dataclass(frozen=True)
class Not(Condition):
    item: Condition

    def children(self) -> tuple[Condition, ...]:
        return (self.item,)


AS_OF = "date.as_of"
"""The assessment date as a fact, so a condition can depend on the law version in force (a
carve-out that exists only in some versions of the law). Always known; never asked."""

APPLYING = "@"  # suffix of a rule's key when only its effect on the assessment date counts


@dataclass(frozen=True)
class RuleRef(Condition):
    """Another rule's outcome; with `applying`, only if it already applies on the date.

    A classification that takes effect later (Art 6(1) high-risk status from 2028) cannot yet
    switch on an exception that hangs on it, though its duties show as upcoming.
    """

    rule: str
    applying: bool = False

    @property
    def key(self) -> str:
        return self.rule + APPLYING if self.applying else self.rule

    def rule_refs(self) -> Iterator[str]:
        yield self.rule


@dataclass(frozen=True)
class Leaf(Condition):
    field: str
    op: str
    value: Any

    def leaves(self) -> Iterator[Leaf]:
        yield self

    def test(self, actual: Any) -> Tri:
        """Apply the operator to a known or unknown (None) profile value."""
        if actual is None:
            return None
        op, value = self.op, self.value
        if op == "is":
            return actual == value
        if op == "in":
            return actual in value
        if op == "any_of":
            items = actual if isinstance(actual, list | tuple) else [actual]
            return any(v in value for v in items)
        if op == "matches":
            items = actual if isinstance(actual, list | tuple) else [actual]
            prefixes = value if isinstance(value, list | tuple) else [value]
            return any(vocabulary.use_case_matches(i, p) for i in items for p in prefixes)
        if op == "only":
            items = actual if isinstance(actual, list | tuple) else [actual]
            prefixes = value if isinstance(value, list | tuple) else [value]
            return all(any(vocabulary.use_case_matches(i, p) for p in prefixes) for i in items)
        if op == "within":
            items = actual if isinstance(actual, list | tuple) else [actual]
            regions = value if isinstance(value, list | tuple) else [value]
            return any(vocabulary.within(i, r) for i in items for r in regions)
        if isinstance(actual, Bound):
            return actual.compare(op, value) if op in ("gt", "gte", "lt", "lte") else None
        if op in ("gt", "gte", "lt", "lte") and (
            isinstance(actual, dt.date) != isinstance(value, dt.date)
        ):
            raise ConditionSyntaxError(
                f"{self.field}: cannot compare {actual!r} with {value!r} (a date needs a date)"
            )
        if op == "gt":
            return actual > value
        if op == "gte":
            return actual >= value
        if op == "lt":
            return actual < value
        if op == "lte":
            return actual <= value
        raise AssertionError(op)  # parse() admits only LEAF_OPS

    def describe(self) -> str:
        value = self.value
        if isinstance(value, list | tuple):
            value = ", ".join(str(v) for v in value)
        elif isinstance(value, bool):
            value = "true" if value else "false"
        if self.field == AS_OF:
            word = {"gte": "on or after", "lt": "before"}.get(self.op, OP_WORDS[self.op])
            return f"the assessment date is {word} {value} (law version)"
        return f"{self.field} {OP_WORDS[self.op]} {value}"


@dataclass(frozen=True)
class Const(Condition):
    value: bool


TRUE = Const(True)
FALSE = Const(False)


@dataclass(frozen=True)
class Presume(Condition):
    """A rebuttable presumption: where `item` is unknown, take `default` and say so.

    Built by the rule set around carve-outs that declare `presume: absent`; never written in
    YAML directly, so a rule cannot presume an element of its own condition.
    """

    item: Condition
    default: bool
    id: str
    unless: Condition = FALSE  # stated facts under which nothing is presumed

    def children(self) -> tuple[Condition, ...]:
        return (self.item, self.unless)


@dataclass(frozen=True)
class Mode:
    """How to evaluate: with presumptions (the default) or strictly three-valued.

    `presumed` maps a fact that a presumption filled in to that presumption's id, so a value
    read from it is reported as resting on the presumption.
    """

    strict: bool = False
    presumed: Mapping[str, str] = field(default_factory=dict)
    flipped: frozenset[str] = frozenset()  # presumptions taken the other way (lint's what-if)


PRESUMING = Mode()
STRICT = Mode(strict=True)


class ConditionSyntaxError(ValueError):
    """Raised by parse(); the rule loader adds the file and rule id."""

    def __init__(self, message: str, path: tuple[str | int, ...] = ()) -> None:
        super().__init__(message)
        self.path = path


def parse(data: Any, path: tuple[str | int, ...] = ()) -> Condition:
    """Build a condition tree from YAML data, rejecting anything ambiguous."""
    if data is None:
        if path:  # `not: ~` or `any: [~]` would silently mean "always" or "never"
            raise ConditionSyntaxError(
                "an empty condition; write the test or leave the key out", path
            )
        return TRUE
    if isinstance(data, list):
        if not data:
            raise ConditionSyntaxError(
                "needs a non-empty list of conditions; leave `when` out for a rule that always "
                "applies",
                path,
            )
        return All(tuple(parse(d, (*path, i)) for i, d in enumerate(data)))
    if not isinstance(data, Mapping):
        raise ConditionSyntaxError(
            f"a condition must be a mapping (all/any/not/rule/field), got {data!r}", path
        )
    keys = set(data)
    if keys == {"all"} or keys == {"any"}:
        key = next(iter(keys))
        items = data[key]
        if not isinstance(items, list) or not items:
            raise ConditionSyntaxError(f"'{key}' needs a non-empty list of conditions", path)
        parsed = tuple(parse(d, (*path, key, i)) for i, d in enumerate(items))
        return All(parsed) if key == "all" else Any_(parsed)
    if keys == {"not"}:
        return Not(parse(data["not"], (*path, "not")))
    if keys in ({"rule"}, {"rule", "applying"}):
        if not isinstance(data["rule"], str):
            raise ConditionSyntaxError("'rule' needs a rule id", path)
        applying = data.get("applying", False)
        if not isinstance(applying, bool):
            raise ConditionSyntaxError("'applying' is true or false", path)
        return RuleRef(data["rule"], applying)
    if "field" in keys:
        ops = keys - {"field"}
        if len(ops) != 1 or not ops <= set(LEAF_OPS):
            raise ConditionSyntaxError(
                f"a field test needs exactly one operator of {', '.join(LEAF_OPS)}; "
                f"got {sorted(ops) or 'none'}",
                path,
            )
        op = ops.pop()
        value = data[op]
        if not isinstance(data["field"], str) or not data["field"]:
            raise ConditionSyntaxError(f"'field' needs a field path, got {data['field']!r}", path)
        if op in ("gt", "gte", "lt", "lte"):
            value = _comparable(op, value, path)
        else:
            value = _operand(op, value, path)
        return Leaf(data["field"], op, value)
    raise ConditionSyntaxError(
        f"unknown condition keys {sorted(map(str, keys))}; use all, any, not, rule, or field "
        "with an operator",
        path,
    )


def _operand(op: str, value: Any, path: tuple[str | int, ...]) -> Any:
    """The operand of a non-ordering operator, checked for its shape: `is` takes one plain
    value; `in` and `any_of` a list of them; `matches`, `only` and `within` a code or a list
    of codes. A mapping or a nested list is always a mistake."""
    scalar = (str, bool, int, float, dt.date)
    if op == "is":
        if not isinstance(value, scalar) or _not_finite(value):
            raise ConditionSyntaxError(f"'is' needs one plain value, got {value!r}", path)
        return value
    items = value if isinstance(value, list) else [value]
    if op in ("in", "any_of") and not isinstance(value, list):
        raise ConditionSyntaxError(f"'{op}' needs a list of values", path)
    if not items:
        raise ConditionSyntaxError(f"'{op}' needs at least one value", path)
    kinds = (str,) if op in ("matches", "only", "within") else scalar
    for item in items:
        if not isinstance(item, kinds) or _not_finite(item):
            need = "codes (text)" if kinds == (str,) else "plain values"
            raise ConditionSyntaxError(f"'{op}' needs {need}, got {item!r}", path)
    return tuple(value) if isinstance(value, list) else value


def _not_finite(value: Any) -> bool:
    return isinstance(value, float) and not math.isfinite(value)


def _comparable(op: str, value: Any, path: tuple[str | int, ...]) -> float | int | dt.date:
    """An ordering operand: a finite number, or a date (YAML date or ISO text YYYY-MM-DD)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, bool):
        raise ConditionSyntaxError(f"'{op}' needs a number or a date, got {value!r}", path)
    if isinstance(value, dt.date | int | float):
        if _not_finite(value):
            raise ConditionSyntaxError(f"'{op}' needs a finite number, got {value!r}", path)
        return value
    try:
        number = float(value)
        if math.isfinite(number):
            return number
    except (TypeError, ValueError):
        pass
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise ConditionSyntaxError(f"'{op}' needs a number or a date (YYYY-MM-DD), got {value!r}", path)


@dataclass
class Evaluation:
    """Value of a condition, the unknown fields that left it undecided, and the presumptions
    (by id) the value rests on."""

    value: Tri
    unknowns: frozenset[str] = field(default_factory=frozenset)
    assumed: frozenset[str] = field(default_factory=frozenset)


RuleLookup = Callable[[str], Evaluation]
EMPTY: frozenset[str] = frozenset()


def evaluate(
    cond: Condition, facts: Mapping[str, Any], rule_value: RuleLookup, mode: Mode = PRESUMING
) -> Evaluation:
    """Kleene evaluation; unknowns are collected only where they could change the result.

    Presumptions are tracked like a proof: a false `all` (or true `any`) rests only on the
    deciding item with the fewest presumptions, so a finding lists an assumption only when its
    outcome really depends on it.
    """
    if isinstance(cond, Leaf):
        v = cond.test(facts.get(cond.field))
        if v is None:
            return Evaluation(None, frozenset((cond.field,)))
        pid = mode.presumed.get(cond.field)
        return Evaluation(v, EMPTY, frozenset((pid,)) if pid else EMPTY)
    if isinstance(cond, All | Any_):
        decisive = isinstance(cond, Any_)  # the value that settles the group on its own
        best: Evaluation | None = None
        unknowns: set[str] = set()
        assumed: set[str] = set()
        undecided = False
        for c in cond.items:
            ev = evaluate(c, facts, rule_value, mode)
            if ev.value is decisive:
                if not ev.assumed:
                    return Evaluation(decisive, EMPTY, EMPTY)
                if best is None or len(ev.assumed) < len(best.assumed):
                    best = ev
            elif ev.value is None:
                undecided = True
                unknowns |= ev.unknowns
                assumed |= ev.assumed
            else:
                assumed |= ev.assumed
        if best is not None:
            return Evaluation(decisive, EMPTY, best.assumed)
        if undecided:
            return Evaluation(None, frozenset(unknowns), frozenset(assumed))
        return Evaluation(not decisive, EMPTY, frozenset(assumed))
    if isinstance(cond, Not):
        ev = evaluate(cond.item, facts, rule_value, mode)
        return Evaluation(None if ev.value is None else not ev.value, ev.unknowns, ev.assumed)
    if isinstance(cond, RuleRef):
        return rule_value(cond.key)
    if isinstance(cond, Const):
        return Evaluation(cond.value)
    if isinstance(cond, Presume):
        ev = evaluate(cond.item, facts, rule_value, mode)
        if ev.value is None and not mode.strict:
            if evaluate(cond.unless, facts, rule_value, STRICT).value is True:
                return ev  # the stated facts make the exception plausible: leave it open
            default = cond.default != (cond.id in mode.flipped)
            return Evaluation(default, EMPTY, ev.assumed | {cond.id})
        return ev
    raise TypeError(cond)


Expand = Callable[[str, Tri], list[str]]


def explain(
    cond: Condition,
    facts: Mapping[str, Any],
    rule_value: RuleLookup,
    rule_title: Callable[[str], str],
    expand: Expand | None = None,
    mode: Mode = PRESUMING,
) -> list[str]:
    """Plain-words reasons for a condition's value: the parts that decided it.

    `expand(rule_id, value)` may return the referenced rule's own reasons, so a trace reads
    down to the facts ("high-risk because uses include employment.recruitment.screening").
    """
    ev = evaluate(cond, facts, rule_value, mode)
    return _Explainer(facts, rule_value, rule_title, expand, mode).explain(cond, ev.value)


SHOWN_ITEMS = 5
"""Most list items a trace line shows; the rest are counted, so output grows linearly."""


def _fmt_actual(value: Any, leaf: Leaf | None = None) -> str:
    """A profile value for a trace line. Long lists show the items that decided the test
    first (the matching uses, or for `only` the ones outside), then a count of the rest."""
    if isinstance(value, list | tuple):
        if not value:
            return "none"
        items = list(value)
        if len(items) > SHOWN_ITEMS and leaf is not None and leaf.op in _ITEMWISE:
            want = leaf.op != "only"  # `only` is decided by the items that fail it
            first = [v for v in items if leaf.test([v]) is want]
            items = first + [v for v in items if leaf.test([v]) is not want]
        more = len(items) - SHOWN_ITEMS
        shown = ", ".join(str(v) for v in items[:SHOWN_ITEMS])
        return f"[{shown}, and {more} more]" if more > 0 else f"[{shown}]"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


_ITEMWISE = frozenset({"any_of", "matches", "within", "only"})


class _Explainer:
    """Walks a condition tree and says, in words, which parts decided its value."""

    def __init__(
        self,
        facts: Mapping[str, Any],
        rule_value: RuleLookup,
        rule_title: Callable[[str], str],
        expand: Expand | None,
        mode: Mode,
    ) -> None:
        self.facts, self.rule_value, self.rule_title = facts, rule_value, rule_title
        self.expand, self.mode = expand, mode

    def value(self, cond: Condition) -> Tri:
        return evaluate(cond, self.facts, self.rule_value, self.mode).value

    def explain(self, cond: Condition, value: Tri) -> list[str]:
        facts = self.facts
        if isinstance(cond, Leaf):
            actual = facts.get(cond.field)
            if actual is None:
                return [
                    f"{cond.field} is unknown (would decide whether it {OP_WORDS[cond.op]} "
                    f"{_fmt_value(cond.value)})"
                ]
            verb = "holds" if value else "does not hold"
            note = " (presumed)" if cond.field in self.mode.presumed else ""
            return [f"{cond.describe()}: {verb} ({cond.field} = {_fmt_actual(actual, cond)}{note})"]
        if isinstance(cond, RuleRef):
            word = {True: "applies", False: "does not apply", None: "is possible"}[value]
            if cond.applying:
                word += " on this date"
            head = [f"{self.rule_title(cond.rule)} [{cond.rule}] {word}"]
            more = self.expand(cond.rule, value) if self.expand else []
            return head + ["  " + line for line in more]
        if isinstance(cond, Const):
            return []
        if isinstance(cond, Presume):
            inner = evaluate(cond.item, facts, self.rule_value, STRICT).value
            guard = evaluate(cond.unless, facts, self.rule_value, STRICT).value
            if inner is None and not self.mode.strict and guard is not True:
                word = "present" if cond.default else "absent"
                return [f"presumed {word} until stated otherwise [{cond.id}]"]
            return self.explain(cond.item, value)
        if isinstance(cond, Not):
            lines = self.explain(cond.item, self.value(cond.item))
            return [f"not: {lines[0]}", *lines[1:]] if lines else []
        assert isinstance(cond, All | Any_)
        evals = [(c, self.value(c)) for c in cond.items]
        if isinstance(cond, All):
            # False: show the failing parts; True: show every part; None: the unknown parts.
            pick = evals if value is True else [(c, v) for c, v in evals if v is value]
        else:
            pick = evals if value is False else [(c, v) for c, v in evals if v is value]
        out: list[str] = []
        for c, v in pick:
            out.extend(self.explain(c, v))
        return out


def _fmt_value(value: Any) -> str:
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def to_data(cond: Condition) -> Any:
    """The YAML form of a condition (inverse of parse), for `rules show` and docs."""
    if isinstance(cond, All):
        return {"all": [to_data(x) for x in cond.items]}
    if isinstance(cond, Any_):
        return {"any": [to_data(x) for x in cond.items]}
    if isinstance(cond, Not):
        return {"not": to_data(cond.item)}
    if isinstance(cond, RuleRef):
        return {"rule": cond.rule, "applying": True} if cond.applying else {"rule": cond.rule}
    if isinstance(cond, Leaf):
        value = list(cond.value) if isinstance(cond.value, tuple) else cond.value
        return {"field": cond.field, cond.op: value}
    if isinstance(cond, Const):  # "always" is written by leaving the condition out
        return None if cond.value is True else cond.value
    if isinstance(cond, Presume):
        return to_data(cond.item)
    raise TypeError(cond)


def to_text(cond: Condition, indent: int = 0) -> list[str]:
    """An indented plain-words rendering for generated docs."""
    pad = "  " * indent
    if isinstance(cond, All | Any_):
        word = "all of" if isinstance(cond, All) else "any of"
        lines = [f"{pad}- {word}:"]
        for c in cond.items:
            lines += to_text(c, indent + 1)
        return lines
    if isinstance(cond, Not):
        return [f"{pad}- not:", *to_text(cond.item, indent + 1)]
    if isinstance(cond, RuleRef):
        when = " on the assessment date" if cond.applying else ""
        return [f"{pad}- rule `{cond.rule}` applies{when}"]
    if isinstance(cond, Leaf):
        return [f"{pad}- `{cond.field}` {OP_WORDS[cond.op]} {_fmt_value(cond.value)}"]
    if isinstance(cond, Presume):
        return to_text(cond.item, indent)
    return [f"{pad}- always"]
