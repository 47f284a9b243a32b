"""Conditions compiled to closures for the hot path.

`conditions.evaluate` builds an Evaluation (value plus unknown fields) per node, which a trace
needs but a portfolio run of thousands of profiles does not. Here each condition becomes one
closure returning only True, False or None; unknown fields are collected afterwards, and only
for rules whose value is unknown.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from accord import vocabulary
from accord.rules import conditions as c

Facts = Mapping[str, Any]
Values = Mapping[str, c.Tri]
Fast = Callable[[Facts, Values], c.Tri]


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list | tuple) else [value]


def _leaf(leaf: c.Leaf) -> Fast:
    name, op, value = leaf.field, leaf.op, leaf.value
    if op == "is":

        def is_(f: Facts, _: Values) -> c.Tri:
            v = f.get(name)
            return None if v is None else v == value

        return is_
    if op in ("in", "any_of"):
        wanted = frozenset(value)

        def any_of(f: Facts, _: Values) -> c.Tri:
            v = f.get(name)
            if v is None:
                return None
            if isinstance(v, list | tuple):
                return any(x in wanted for x in v)
            return v in wanted

        return any_of
    if op == "only":
        prefixes = tuple(_as_list(value))
        memo: dict[str, bool] = {}

        def under(code: str) -> bool:
            hit = memo.get(code)
            if hit is None:
                hit = memo[code] = any(vocabulary.use_case_matches(code, p) for p in prefixes)
            return hit

        def only(f: Facts, _: Values) -> c.Tri:
            v = f.get(name)
            if v is None:
                return None
            return all(under(x) for x in _as_list(v))

        return only
    if op in ("matches", "within"):
        targets = tuple(_as_list(value))
        test = vocabulary.use_case_matches if op == "matches" else vocabulary.within
        cache: dict[str, bool] = {}

        def member(code: str) -> bool:
            hit = cache.get(code)
            if hit is None:
                hit = cache[code] = any(test(code, t) for t in targets)
            return hit

        def prefix(f: Facts, _: Values) -> c.Tri:
            v = f.get(name)
            if v is None:
                return None
            return any(member(x) for x in _as_list(v))

        return prefix
    # Ordering operators: reuse the reference implementation (type checks live there).
    test = leaf.test

    def order(f: Facts, _: Values) -> c.Tri:
        return test(f.get(name))

    return order


def compile_tri(cond: c.Condition, strict: bool = False) -> Fast:
    """One closure per node; `strict` compiles presumptions away (pure three-valued logic)."""
    if isinstance(cond, c.Presume):
        inner = compile_tri(cond.item, strict)
        if strict:
            return inner
        default = cond.default
        guard = compile_tri(cond.unless, strict=True)

        def presumed(f: Facts, r: Values) -> c.Tri:
            v = inner(f, r)
            if v is None and guard(f, r) is not True:
                return default
            return v

        return presumed
    if isinstance(cond, c.Const):
        value = cond.value
        return lambda f, r: value
    if isinstance(cond, c.Leaf):
        return _leaf(cond)
    if isinstance(cond, c.RuleRef):
        rid = cond.rule
        return lambda f, r: r.get(rid, False)
    if isinstance(cond, c.Not):
        inner = compile_tri(cond.item, strict)

        def not_(f: Facts, r: Values) -> c.Tri:
            v = inner(f, r)
            return None if v is None else not v

        return not_
    parts = tuple(compile_tri(x, strict) for x in cond.items)  # type: ignore[attr-defined]
    if isinstance(cond, c.All):

        def all_(f: Facts, r: Values) -> c.Tri:
            unknown = False
            for p in parts:
                v = p(f, r)
                if v is False:
                    return False
                if v is None:
                    unknown = True
            return None if unknown else True

        return all_

    def any_(f: Facts, r: Values) -> c.Tri:
        unknown = False
        for p in parts:
            v = p(f, r)
            if v is True:
                return True
            if v is None:
                unknown = True
        return None if unknown else False

    return any_
