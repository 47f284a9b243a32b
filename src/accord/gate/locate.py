"""Find the line of a profile that triggers a finding, for SARIF and file:line messages.

A code-scanning alert is only useful if it points at what to change. The rule's own condition
names the profile fields it reads; the first of them that the profile sets and that holds
(e.g. `uses` for an Annex III duty, `decisions.consequential_domains` for an ADMT law) is the
fact behind the finding. Rules a condition builds on (a duty that follows from a
classification) are followed in the order the condition reads them, then the instrument's
scope rule, then the roles the duty binds. Fields the profile leaves open come first for a
`possible` finding when the profile writes them out as empty (`field: null`); otherwise the
nearest written fact is used and, failing all, the `id:` line.

Works from the compiled rule set rather than the traces, so no explanation needs building.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from accord.engine.result import Finding
from accord.inventory.model import System
from accord.rules import conditions as c
from accord.rules.ruleset import RuleSet
from accord.yamlfile import YamlDocument

Located = tuple[int, int, str]
"""(line, column, dotted profile field); lines and columns count from 1."""


def candidate_leaves(ruleset: RuleSet, rule_id: str) -> Iterator[c.Leaf]:
    """Field tests behind a rule, most specific first: its own condition (following the rules
    it refers to where they appear), then its scope, then its roles."""
    seen: set[str] = set()

    def walk(cond: c.Condition) -> Iterator[c.Leaf]:
        if isinstance(cond, c.Leaf):
            yield cond
        elif isinstance(cond, c.RuleRef):
            yield from rule(cond.rule)
        elif isinstance(cond, c.Presume):
            return  # a presumed-absent carve-out is not what triggers a finding
        else:
            for child in cond.children():
                yield from walk(child)

    def rule(rid: str) -> Iterator[c.Leaf]:
        if rid in seen or rid not in ruleset.compiled:
            return
        seen.add(rid)
        cr = ruleset.compiled[rid]
        yield from walk(cr.when)
        yield from walk(cr.scope)
        yield from walk(cr.role)

    yield from rule(rule_id)


def _key(field: str) -> tuple[str, ...]:
    if field == "controls.implemented":
        return ("controls",)
    return tuple(field.split("."))


def _holds(leaf: c.Leaf, value: Any) -> bool:
    try:
        return leaf.test(value) is True
    except Exception:  # a value the test cannot compare (e.g. a bound): not the trigger
        return False


def locate(
    finding: Finding,
    doc: YamlDocument,
    facts: dict[str, Any],
    ruleset: RuleSet,
    leaves: list[c.Leaf] | None = None,
) -> Located:
    """Line, column and field of the fact behind `finding` in the profile `doc`; `leaves`:
    the rule's `candidate_leaves`, when the caller keeps them."""
    positions = doc.positions
    for name in finding.unknowns:  # written out but left empty: answering it settles it
        if _key(name) in positions:
            line, col = positions[_key(name)]
            return line, col, name
    first: Located | None = None
    if leaves is None:
        leaves = list(candidate_leaves(ruleset, finding.rule_id))
    for leaf in leaves:
        key = _key(leaf.field)
        if key not in positions:
            continue
        value = facts.get(leaf.field)
        if _holds(leaf, value):
            item = _matching_item(leaf, value, key, positions)
            line, col = positions[item]
            return line, col, leaf.field
        if first is None:
            line, col = positions[key]
            first = (line, col, leaf.field)
    if first is not None:
        return first
    line, col = positions.get(("id",), positions.get((), (1, 1)))
    return line, col, "id"


def _matching_item(
    leaf: c.Leaf, value: Any, key: tuple[str | int, ...], positions: dict
) -> tuple[str | int, ...]:
    """For a list field, the item that makes the test hold (a block list has one per line)."""
    if not isinstance(value, list | tuple) or leaf.op == "only":
        return key
    for i, item in enumerate(value):
        if (*key, i) in positions and _holds(leaf, [item]):
            return (*key, i)
    return key


class Locator:
    """Locates findings of systems read from files, parsing each file once, when needed."""

    def __init__(self, ruleset: RuleSet) -> None:
        self.ruleset = ruleset
        self.docs: dict[Path, tuple[YamlDocument, dict[str, Any]] | None] = {}
        self.leaves: dict[str, list[c.Leaf]] = {}  # per rule: the same for every system

    def __call__(self, system: System, finding: Finding) -> Located | None:
        """None for a registry system (no file) or a file that no longer parses."""
        if system.path is None:
            return None
        if system.path not in self.docs:
            self.docs[system.path] = self._read(system)
        entry = self.docs[system.path]
        if entry is None:
            return None
        doc, facts = entry
        leaves = self.leaves.get(finding.rule_id)
        if leaves is None:
            leaves = self.leaves[finding.rule_id] = list(
                candidate_leaves(self.ruleset, finding.rule_id)
            )
        return locate(finding, doc, facts, self.ruleset, leaves)

    @staticmethod
    def _read(system: System) -> tuple[YamlDocument, dict[str, Any]] | None:
        from accord.errors import InputError
        from accord.profile.fields import facts
        from accord.yamlfile import load

        assert system.path is not None
        try:
            return load(system.path, "profile"), facts(system.profile)
        except InputError:  # changed since it was loaded: the gate still reports, unlocated
            return None
