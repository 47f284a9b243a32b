"""A compiled set of rulebooks: rules in dependency order with their effective conditions.

Compiling once turns each rule's scope, role, condition and carve-outs into one condition tree,
so assessing a profile is a single pass over rules in topological order.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from graphlib import TopologicalSorter

from accord.errors import NotFoundError
from accord.rules import conditions as c
from accord.rules.compiled import Fast, Prov, compile_provenance, compile_tri
from accord.rules.dated import Dated
from accord.rules.loader import Rulebook, dependencies
from accord.rules.model import CarveOut, Instrument, Rule


@dataclass(frozen=True)
class CompiledRule:
    rule: Rule
    instrument: Instrument
    scope: c.Condition
    role: c.Condition
    when: c.Condition
    carve_outs: tuple[tuple[str, str, c.Condition], ...]
    effective: c.Condition
    applies_from: Dated
    routes: tuple[tuple[str, Dated], ...]
    fast: Fast
    fast_strict: Fast
    provenance: Prov  # value plus the presumptions it rests on
    refs: frozenset[str]  # rules the effective condition reads
    fields: frozenset[str]  # profile fields the effective condition reads
    presumes: bool  # has a presumed carve-out of its own
    watched: bool = False  # another rule asks whether this one applies on the date itself


@dataclass(frozen=True)
class Presumption:
    """One rebuttable presumption, as users see it in an assessment's Assumptions section."""

    id: str
    instrument: str
    assumption: str  # read after "assuming"
    reason: str
    citation: str | None
    url: str | None
    rule: str | None = None  # the rule whose carve-out is presumed absent
    condition: c.Condition | None = None  # the carve-out's condition (its unknowns rebut it)
    field: str | None = None  # for a presumed fact: the field it fills in
    value: object = None
    when: c.Condition = c.TRUE
    unless: c.Condition = c.FALSE
    lowers: tuple[str, ...] = ()  # lighter alternatives it may make less likely (reviewed)
    inference: bool = False  # drawn from stated facts by definition, so it may lower rules


def _nodes(cond: c.Condition) -> list[c.Condition]:
    return [cond, *(n for child in cond.children() for n in _nodes(child))]


def version_gate(versions: Dated) -> c.Condition:
    """True on assessment dates whose law version has the value true: a condition on the
    assessment date, one interval per version that contains the provision."""
    spans = list(versions.versions)
    parts: list[c.Condition] = []
    for i, (start, present) in enumerate(spans):
        if not present:
            continue
        end = spans[i + 1][0] if i + 1 < len(spans) else None
        bounds: list[c.Condition] = []
        if start is not None:
            bounds.append(c.Leaf(c.AS_OF, "gte", start))
        if end is not None:
            bounds.append(c.Leaf(c.AS_OF, "lt", end))
        parts.append(c.All(tuple(bounds)) if len(bounds) > 1 else (bounds[0] if bounds else c.TRUE))
    if not parts:
        return c.FALSE
    if any(p is c.TRUE for p in parts):
        return c.TRUE
    return parts[0] if len(parts) == 1 else c.Any_(tuple(parts))


def _role_condition(rule: Rule, inst: Instrument) -> c.Condition:
    if not rule.roles:
        return c.TRUE
    parts: list[c.Condition] = [c.Leaf("roles", "any_of", tuple(rule.roles))]
    for role in rule.roles:
        parts += [c.RuleRef(r) for r in inst.role_rules.get(role, []) if r != rule.id]
    return parts[0] if len(parts) == 1 else c.Any_(tuple(parts))


class RuleSet:
    def __init__(self, books: list[Rulebook]) -> None:
        self.books = books
        self.time_cache: dict[tuple, dict] = {}  # per-date time states, filled by the engine
        self.instruments: dict[str, Instrument] = {b.instrument.id: b.instrument for b in books}
        self.book_of: dict[str, Rulebook] = {}
        self.rules: dict[str, Rule] = {}
        for book in books:
            for rule in book.rules:
                self.rules[rule.id] = rule
                self.book_of[rule.id] = book
        graph = {rid: dependencies(r, self.book_of[rid]) for rid, r in self.rules.items()}
        self.graph = graph
        self._closures: dict[str, frozenset[str]] = {}
        self.order: list[str] = list(TopologicalSorter(graph).static_order())
        self.order = [rid for rid in self.order if rid in self.rules]
        self.position = {rid: i for i, rid in enumerate(self.order)}
        self.by_instrument: dict[str, list[str]] = {i: [] for i in self.instruments}
        for rid in self.order:
            self.by_instrument[self.book_of[rid].instrument.id].append(rid)
        self.presumptions: dict[str, Presumption] = {}
        self.fact_presumptions: dict[str, list[Presumption]] = {}
        for book in books:
            inst = book.instrument
            for fp in inst.presumptions:
                p = Presumption(
                    id=f"{inst.id}#{fp.id}",
                    instrument=inst.id,
                    assumption=fp.assumption,
                    reason=fp.reason,
                    citation=fp.citation.short(inst.short_title) if fp.citation else None,
                    url=fp.citation.url if fp.citation else None,
                    field=fp.field,
                    value=fp.value,
                    when=fp.when,
                    unless=fp.unless,
                    inference=fp.inference,
                    lowers=tuple(fp.lowers),
                )
                self.presumptions[p.id] = p
                self.fact_presumptions.setdefault(inst.id, []).append(p)
        self.compiled: dict[str, CompiledRule] = {}
        for rid in self.order:  # dependency order: a rule's scope rule is compiled before it
            self.compiled[rid] = self._compile(self.rules[rid])
        watched = {
            node.rule
            for cr in self.compiled.values()
            for node in _nodes(cr.effective)
            if isinstance(node, c.RuleRef) and node.applying
        }
        for rid in watched & set(self.compiled):
            self.compiled[rid] = replace(self.compiled[rid], watched=True)

    def _compile(self, rule: Rule) -> CompiledRule:
        inst = self.book_of[rule.id].instrument
        scope: c.Condition = c.TRUE
        if inst.scope_rule and rule.kind != "scope" and rule.id != inst.scope_rule:
            scope = c.RuleRef(inst.scope_rule)
            if rule.scope_ignores:
                scope = self._narrowed_scope(self.compiled[inst.scope_rule], rule.scope_ignores)
        role = _role_condition(rule, inst)
        carve = tuple((u.id, u.title, self._carve_condition(rule, inst, u)) for u in rule.unless)
        parts = [p for p in (scope, role, rule.when) if p is not c.TRUE]
        if carve:
            parts.append(c.Not(c.Any_(tuple(w for _, _, w in carve))))
        effective = c.All(tuple(parts)) if parts else c.TRUE
        if rule.presume:
            self.presumptions[rule.id] = Presumption(
                id=rule.id,
                instrument=inst.id,
                assumption=rule.assume or f"not: {rule.title}",
                reason=rule.presume_reason or "",
                citation=rule.citation.short(inst.short_title),
                url=rule.citation.url,
                rule=rule.id,
                condition=effective,
                lowers=tuple(rule.presume_lowers),
            )
            effective = c.Presume(effective, False, rule.id, rule.presume_unless)

        def resolve(value: Dated | str) -> Dated:
            return inst.dates[value] if isinstance(value, str) else value

        routes = tuple((r.rule, resolve(r.applies_from)) for r in rule.applies_from_by)
        return CompiledRule(
            rule,
            inst,
            scope,
            role,
            rule.when,
            carve,
            effective,
            resolve(rule.applies_from),
            routes,
            compile_tri(effective),
            compile_tri(effective, strict=True),
            compile_provenance(effective),
            frozenset(effective.rule_refs()),
            frozenset(leaf.field for leaf in effective.leaves()),
            bool(rule.presume) or any(u.presume for u in rule.unless),
        )

    @staticmethod
    def _narrowed_scope(scope: CompiledRule, ignored: list[str]) -> c.Condition:
        """The scope rule's condition without the named carve-outs, for a rule that they do
        not limit (checked by the loader: every name is a carve-out of the scope rule)."""
        kept = tuple(cond for cid, _, cond in scope.carve_outs if cid not in ignored)
        parts = [p for p in (scope.role, scope.when) if p is not c.TRUE]
        if kept:
            parts.append(c.Not(c.Any_(kept)))
        return c.All(tuple(parts)) if parts else c.TRUE

    def _carve_condition(self, rule: Rule, inst: Instrument, carve: CarveOut) -> c.Condition:
        """The carve-out's condition, wrapped in a presumption where the rulebook declares one,
        and limited to the law versions that contain it."""
        cond = self._presumed_carve(rule, inst, carve)
        if carve.in_versions is None:
            return cond
        gate = version_gate(carve.in_versions)
        return c.All((gate, cond)) if gate is not c.TRUE else cond

    def _presumed_carve(self, rule: Rule, inst: Instrument, carve: CarveOut) -> c.Condition:
        if not carve.presume:
            return carve.when
        pid = f"{rule.id}#{carve.id}"
        cite = carve.citation or rule.citation
        self.presumptions[pid] = Presumption(
            id=pid,
            instrument=inst.id,
            assumption=carve.assume or f"no exception for {carve.title}",
            reason=carve.presume_reason or "",
            citation=cite.short(inst.short_title),
            url=cite.url,
            rule=rule.id,
            condition=carve.when,
            lowers=tuple(carve.presume_lowers),
        )
        return c.Presume(carve.when, False, pid, carve.presume_unless)

    def closure(self, rule_id: str) -> frozenset[str]:
        """The rule and every rule it reads, transitively: all that must be evaluated to know
        its value, so a rule's test need not evaluate the whole rule set."""
        found = self._closures.get(rule_id)
        if found is None:
            seen = {rule_id}
            stack = [rule_id]
            while stack:
                for dep in self.graph.get(stack.pop(), ()):
                    if dep not in seen and dep in self.rules:
                        seen.add(dep)
                        stack.append(dep)
            found = self._closures[rule_id] = frozenset(seen)
        return found

    def rule(self, rule_id: str) -> Rule:
        try:
            return self.rules[rule_id]
        except KeyError:
            import difflib

            close = difflib.get_close_matches(rule_id, list(self.rules), n=3)
            hint = f" Did you mean: {', '.join(close)}?" if close else ""
            raise NotFoundError(f"no rule {rule_id!r}.{hint}") from None

    def instrument_of(self, rule_id: str) -> Instrument:
        return self.book_of[rule_id].instrument
