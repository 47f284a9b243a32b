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


def _memo_member(test: Callable[[str, str], bool], targets: list[Any]) -> Callable[[str], bool]:
    """Whether a code is (under) one of the targets, memoised: the same codes recur."""
    targets = tuple(targets)
    cache: dict[str, bool] = {}

    def member(code: str) -> bool:
        hit = cache.get(code)
        if hit is None:
            hit = cache[code] = any(test(code, t) for t in targets)
        return hit

    return member


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
    if op in ("matches", "within", "only"):
        member = _memo_member(
            vocabulary.within if op == "within" else vocabulary.use_case_matches, _as_list(value)
        )
        every = op == "only"

        def listed(f: Facts, _: Values) -> c.Tri:
            v = f.get(name)
            if v is None:
                return None
            items = _as_list(v)
            return all(map(member, items)) if every else any(map(member, items))

        return listed
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
        rid = cond.key
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


# ---------------------------------------------------------------- provenance (presumptions)

Assumed = frozenset[str]
Prov = Callable[[Facts, Values, Mapping[str, Assumed], Mapping[str, str]], tuple[c.Tri, Assumed]]
_NONE: Assumed = frozenset()


def compile_provenance(cond: c.Condition) -> Prov:
    """Value plus the presumptions it rests on, as `conditions.evaluate` computes them.

    The same choices as the reference evaluator (a false `all` rests on its deciding item with
    the fewest presumptions), without building Evaluation objects, because every rule that reads
    a presumed scope rests on it and a portfolio run asks this of most rules.
    """
    if isinstance(cond, c.Leaf):
        test = _leaf(cond)
        name = cond.field
        single: dict[str, Assumed] = {}

        def leaf(f: Facts, r: Values, a: Mapping[str, Assumed], p: Mapping[str, str]):
            v = test(f, r)
            if v is None:
                return None, _NONE
            pid = p.get(name)
            if pid is None:
                return v, _NONE
            s = single.get(pid)
            if s is None:
                s = single[pid] = frozenset((pid,))
            return v, s

        return leaf
    if isinstance(cond, c.RuleRef):
        rid = cond.key

        # An `applying` reference has its own entry in both maps (an upcoming rule is false
        # on the date whatever the facts, so it rests on no presumption).
        return lambda f, r, a, p: (r.get(rid, False), a.get(rid, _NONE))
    if isinstance(cond, c.Const):
        value = cond.value
        return lambda f, r, a, p: (value, _NONE)
    if isinstance(cond, c.Not):
        inner = compile_provenance(cond.item)

        def not_(f: Facts, r: Values, a: Mapping[str, Assumed], p: Mapping[str, str]):
            v, s = inner(f, r, a, p)
            return (None if v is None else not v), s

        return not_
    if isinstance(cond, c.Presume):
        inner = compile_provenance(cond.item)
        guard = compile_tri(cond.unless, strict=True)
        default, own = cond.default, frozenset((cond.id,))

        def presume(f: Facts, r: Values, a: Mapping[str, Assumed], p: Mapping[str, str]):
            v, s = inner(f, r, a, p)
            if v is None and guard(f, r) is not True:
                return default, s | own
            return v, s

        return presume
    parts = tuple(compile_provenance(x) for x in cond.items)  # type: ignore[attr-defined]
    decisive = isinstance(cond, c.Any_)

    def group(f: Facts, r: Values, a: Mapping[str, Assumed], p: Mapping[str, str]):
        best: Assumed | None = None
        rest: set[str] = set()
        undecided = False
        for part in parts:
            v, s = part(f, r, a, p)
            if v is decisive:
                if not s:
                    return decisive, _NONE
                if best is None or len(s) < len(best):
                    best = s
            else:
                undecided = undecided or v is None
                rest |= s
        if best is not None:
            return decisive, best
        return (None if undecided else not decisive), frozenset(rest)

    return group
