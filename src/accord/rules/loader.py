"""Load rulebook folders, validate them, and compile them into one rule set.

Every structural mistake (duplicate id, unknown field, unknown reference, cycle, missing
citation, theme or tests) is reported with the file and rule id, all at once.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from accord import vocabulary
from accord.errors import ErrorCollector, Location, RulebookError
from accord.gcpause import paused_gc
from accord.profile.fields import profile_fields
from accord.profile.loader import validation_problems
from accord.rules import conditions
from accord.rules.model import Instrument, Rule
from accord.yamlfile import load

if TYPE_CHECKING:
    from accord.rules.ruleset import RuleSet

RULEBOOK_PATH_ENV = "ACCORD_RULEBOOKS"


@dataclass
class Rulebook:
    instrument: Instrument
    rules: list[Rule]
    folder: Path
    rule_files: dict[str, Path] = field(default_factory=dict)
    rule_lines: dict[str, int] = field(default_factory=dict)


def builtin_rulebook_root() -> Path:
    return Path(str(resources.files("accord.rulebooks")))


def rulebook_dirs(extra: Iterable[str | Path] = ()) -> list[Path]:
    """Built-in rulebooks, then folders from $ACCORD_RULEBOOKS, then explicit extras.

    Each root is one rulebook folder (it holds `instrument.yaml`) or a folder of them. Anything
    that looks like a rulebook but cannot be one (a file, a folder of rule files without
    `instrument.yaml`, a dangling `instrument.yaml` link) is an error, not silently skipped.
    """
    roots = [(builtin_rulebook_root(), "built-in")]
    env = os.environ.get(RULEBOOK_PATH_ENV, "")
    roots += [(Path(p), f"${RULEBOOK_PATH_ENV}") for p in env.split(os.pathsep) if p]
    roots += [(Path(p), "--rulebooks") for p in extra]
    folders: list[Path] = []
    for root, origin in roots:
        try:
            if not root.is_dir():
                if root.exists() or root.is_symlink():
                    hint = f" (use its folder {root.parent})" if root.name.endswith(".yaml") else ""
                    raise RulebookError(f"{root}: is not a folder{hint}; {origin} names folders")
                raise RulebookError(f"{root}: rulebook folder does not exist ({origin})")
            if _has_instrument(root):
                folders.append(root)
                continue
            for sub in sorted(root.iterdir()):
                if _has_instrument(sub):
                    folders.append(sub)
                elif sub.is_dir() and any(sub.glob("*.yaml")):
                    raise RulebookError(
                        f"{sub}: has rule files but no instrument.yaml; every rulebook folder "
                        "needs one (see docs/rule-format.md)"
                    )
        except OSError as exc:  # a name too long, a permission problem, a link loop
            raise RulebookError(f"{root}: cannot read rulebooks: {exc.strerror or exc}") from None
    return folders


def _has_instrument(folder: Path) -> bool:
    """True if `folder` has an `instrument.yaml`, even a broken link (reported when loaded)."""
    meta = folder / "instrument.yaml"
    return meta.exists() or meta.is_symlink()


def load_rulebook(folder: Path, errors: ErrorCollector) -> Rulebook | None:
    meta_path = folder / "instrument.yaml"
    doc = load(meta_path, "instrument file", RulebookError)
    try:
        instrument = Instrument.model_validate(doc.data)
    except ValidationError as exc:
        errors.problems += validation_problems(exc, doc, Instrument).problems
        return None
    book = Rulebook(instrument, [], folder)
    for path in sorted(folder.glob("*.yaml")):
        if path.name == "instrument.yaml":
            continue
        rdoc = load(path, "rule file", RulebookError)
        data = rdoc.data
        if not isinstance(data, dict) or not isinstance(data.get("rules"), list):
            errors.add("a rule file must be a mapping with a `rules:` list", Location(str(path), 1))
            continue
        unknown = set(data) - {"rules", "group", "notes"}
        if unknown:
            errors.add(
                f"unknown top-level keys {sorted(unknown)} (allowed: rules, group, notes)",
                Location(str(path), 1),
            )
        for i, raw in enumerate(data["rules"]):
            rid = raw.get("id", f"#{i}") if isinstance(raw, dict) else f"#{i}"
            try:
                rule = Rule.model_validate(raw)
            except ValidationError as exc:
                for p in validation_problems(exc, rdoc, Rule, ("rules", i)).problems:
                    p.message = f"rule {rid}: {p.message}"
                    errors.problems.append(p)
                continue
            book.rules.append(rule)
            book.rule_files[rule.id] = path
            book.rule_lines[rule.id] = rdoc.location(("rules", i)).line or 1
    return book


@cache
def _load_cached(folders: tuple[Path, ...], stamps: tuple[float, ...]) -> RuleSet:
    with paused_gc(freeze=True):  # the rule set is kept for the whole run
        return _load(folders)


def _load(folders: tuple[Path, ...]) -> RuleSet:
    from accord.rules.ruleset import RuleSet

    errors = ErrorCollector()
    books: list[Rulebook] = []
    for folder in folders:
        book = load_rulebook(folder, errors)
        if book is not None:
            books.append(book)
    errors.raise_if_any(RulebookError, "rulebooks failed to load")
    check(books, errors)
    errors.raise_if_any(RulebookError, "rulebooks failed validation")
    return RuleSet(books)


def _stamp(folder: Path) -> float:
    """Latest change to a folder's YAML files (link targets included), to know when to reload."""
    latest = 0.0
    for p in folder.glob("*.yaml"):
        try:
            latest = max(latest, p.stat().st_mtime)
        except OSError:  # a broken link: loading will report it
            latest = max(latest, p.lstat().st_mtime)
    return latest


def load_rules(extra: Sequence[str | Path] = ()) -> RuleSet:
    """All rulebooks, compiled once per process (reloaded only if a file changed)."""
    folders = tuple(rulebook_dirs(extra))
    return _load_cached(folders, tuple(_stamp(f) for f in folders))


def _rule_loc(book: Rulebook, rule_id: str) -> Location:
    return Location(str(book.rule_files.get(rule_id, book.folder)), book.rule_lines.get(rule_id))


def check(books: list[Rulebook], errors: ErrorCollector) -> None:
    """Cross-rule validation: ids, references, fields, values, roles, themes, cycles."""
    fields = profile_fields()
    roles = vocabulary.roles()
    themes = vocabulary.themes()
    seen: dict[str, Rulebook] = {}
    inst_ids: set[str] = set()
    scenarios = {b.instrument.scenario for b in books if b.instrument.scenario}
    scenarios |= {b.instrument.id for b in books if b.instrument.scenario}
    for book in books:
        inst = book.instrument
        if inst.id in inst_ids:
            errors.add(f"duplicate instrument id {inst.id!r}", Location(str(book.folder)))
        inst_ids.add(inst.id)
        if vocabulary.canonical_jurisdiction(inst.jurisdiction) is None:
            errors.add(
                f"instrument {inst.id}: unknown jurisdiction {inst.jurisdiction!r}",
                Location(str(book.folder / "instrument.yaml")),
            )
        for rule in book.rules:
            if rule.id in seen:
                errors.add(
                    f"duplicate rule id {rule.id!r} (also in {seen[rule.id].folder.name})",
                    _rule_loc(book, rule.id),
                )
            seen[rule.id] = book
    for book in books:
        inst = book.instrument
        penalty_ids = {p.id for p in inst.penalties}
        meta = Location(str(book.folder / "instrument.yaml"))
        for ref in [inst.scope_rule, *[r for rs in inst.role_rules.values() for r in rs]]:
            if ref and ref not in seen:
                errors.add(f"instrument {inst.id}: unknown rule reference {ref!r}", meta)
        for role in inst.role_rules:
            if role not in roles:
                errors.add(f"instrument {inst.id}: unknown role {role!r}", meta)
        for ch in inst.changes:
            for rid in ch.rules:
                if rid not in seen or seen[rid] is not book:
                    errors.add(
                        f"instrument {inst.id}: change of {ch.date} names {rid!r}, which is not "
                        "one of its rules",
                        meta,
                    )
        for fp in inst.presumptions:
            where = f"instrument {inst.id}: presumption {fp.id}"
            if fp.field not in fields:
                errors.add(f"{where}: unknown profile field {fp.field!r}", meta)
                continue
            problem = _invalid_value(fp.field, fp.value)
            if problem:
                errors.add(f"{where}: value {fp.value!r} is not valid: {problem}", meta)
            if list(fp.when.rule_refs()) or list(fp.unless.rule_refs()):
                errors.add(f"{where}: `when` and `unless` may test profile fields only", meta)
            _check_leaves(fp.unless, fields, errors, where, meta)
            if any(leaf.field == fp.field for leaf in fp.when.leaves()):
                errors.add(f"{where}: `when` must not test the presumed field itself", meta)
            _check_leaves(fp.when, fields, errors, where, meta)
        for rule in book.rules:
            loc = _rule_loc(book, rule.id)
            where = f"rule {rule.id}"
            if not rule.id.startswith(inst.id + "."):
                errors.add(f"{where}: id must start with the instrument id '{inst.id}.'", loc)
            c = rule.citation
            if not (c.article or c.annex or c.section or c.paragraph):
                errors.add(f"{where}: citation needs an article, section, annex or paragraph", loc)
            if not (c.url or inst.sources):
                errors.add(f"{where}: citation needs a URL", loc)
            if rule.theme not in themes:
                errors.add(
                    f"{where}: unknown theme {rule.theme!r}",
                    loc,
                    f"one of: {', '.join(sorted(themes))}",
                )
            for role in rule.roles or []:
                if role not in roles:
                    errors.add(
                        f"{where}: unknown role {role!r}", loc, f"one of: {', '.join(roles)}"
                    )
            params = [rule.applies_from, *[r.applies_from for r in rule.applies_from_by]]
            for param in params:
                if isinstance(param, str) and param not in inst.dates:
                    errors.add(
                        f"{where}: unknown date parameter {param!r}",
                        loc,
                        f"declared: {', '.join(sorted(inst.dates)) or 'none'}",
                    )
            if rule.scope_ignores and not inst.scope_rule:
                errors.add(
                    f"{where}: scope_ignores names {rule.scope_ignores}, but instrument {inst.id} "
                    "has no scope rule whose carve-outs it could ignore",
                    loc,
                )
            elif rule.scope_ignores:
                scope_rule = next(
                    (r for b in books for r in b.rules if r.id == inst.scope_rule), None
                )
                known = {u.id for u in scope_rule.unless} if scope_rule else set()
                for cid in rule.scope_ignores:
                    if cid not in known:
                        errors.add(
                            f"{where}: scope_ignores names {cid!r}, which is not a carve-out of "
                            f"the scope rule {inst.scope_rule}",
                            loc,
                        )
            for route in rule.applies_from_by:
                if route.rule not in seen:
                    errors.add(
                        f"{where}: unknown rule reference {route.rule!r} in applies_from_by", loc
                    )
            for ctl in rule.controls:
                if ctl not in vocabulary.controls():
                    errors.add(
                        f"{where}: unknown control {ctl!r}",
                        loc,
                        "see src/accord/vocabulary/data/controls.yaml",
                    )
            if rule.penalty and rule.penalty not in penalty_ids:
                errors.add(
                    f"{where}: unknown penalty {rule.penalty!r}",
                    loc,
                    f"declared penalties: {', '.join(sorted(penalty_ids)) or 'none'}",
                )
            for tc in rule.tests:
                for name in tc.scenarios:
                    if name not in scenarios:
                        errors.add(
                            f"{where}: test {tc.name!r} names an unknown scenario {name!r}",
                            loc,
                            f"known: {', '.join(sorted(scenarios)) or 'none'}",
                        )
            if not rule.tests:
                errors.add(
                    f"{where}: has no test cases",
                    loc,
                    "add `tests:` with a case where it applies and one where it does not",
                )
            guards = [rule.presume_unless, *[u.presume_unless for u in rule.unless]]
            for guard in guards:
                if list(guard.rule_refs()):
                    errors.add(f"{where}: presume_unless may test profile fields only", loc)
            conds = [rule.when, *[u.when for u in rule.unless], *guards]
            for cond in conds:
                for ref in cond.rule_refs():
                    if ref not in seen:
                        errors.add(f"{where}: unknown rule reference {ref!r}", loc)
                _check_leaves(cond, fields, errors, where, loc)
    _check_cycles(books, seen, errors)


def _invalid_value(path: str, value: Any) -> str | None:
    """Why `value` cannot stand in a profile at `path`, or None when it can."""
    from accord.profile.model import Profile

    data: dict[str, Any] = {"id": "probe", "name": "probe"}
    node = data
    *parents, last = path.split(".")
    for part in parents:
        node = node.setdefault(part, {})
    node[last] = value
    try:
        Profile.model_validate(data)
    except ValidationError as exc:
        return "; ".join(e["msg"] for e in exc.errors())
    return None


def _check_leaves(
    cond: conditions.Condition,
    fields: dict[str, Any],
    errors: ErrorCollector,
    where: str,
    loc: Location,
) -> None:
    import difflib

    for leaf in cond.leaves():
        if leaf.field == conditions.AS_OF:
            continue  # the assessment date: set by the engine, compared with dates
        spec = fields.get(leaf.field)
        if spec is None:
            close = difflib.get_close_matches(leaf.field, list(fields), n=1)
            errors.add(
                f"{where}: unknown profile field {leaf.field!r}",
                loc,
                f"did you mean {close[0]!r}?" if close else None,
            )
            continue
        values = leaf.value if isinstance(leaf.value, tuple) else (leaf.value,)
        if leaf.op == "matches" or (leaf.op == "only" and spec.vocabulary == "use-cases"):
            for v in values:
                if v not in vocabulary.use_cases():
                    errors.add(f"{where}: unknown use-case code {v!r} in condition", loc)
        elif leaf.op == "within":
            for v in values:
                if vocabulary.canonical_jurisdiction(str(v)) != v:
                    errors.add(f"{where}: unknown jurisdiction {v!r} in condition", loc)
        elif leaf.op in ("is", "in", "any_of", "only"):
            if spec.kind == "bool" and not all(isinstance(v, bool) for v in values):
                errors.add(f"{where}: {leaf.field} is true/false, got {leaf.value!r}", loc)
            if spec.kind in ("choice", "choices"):
                bad = [v for v in values if v not in spec.choices]
                if bad:
                    errors.add(
                        f"{where}: {leaf.field} has no value {bad[0]!r}",
                        loc,
                        f"one of: {', '.join(spec.choices)}",
                    )
            if spec.vocabulary == "use-cases":
                bad = [v for v in values if v not in vocabulary.use_cases()]
                if bad:
                    errors.add(f"{where}: unknown use-case code {bad[0]!r}", loc)
        elif spec.kind not in ("number", "integer", "date"):
            errors.add(
                f"{where}: '{leaf.op}' needs a numeric field, {leaf.field} is {spec.kind}", loc
            )
        elif (spec.kind == "date") != isinstance(leaf.value, dt.date):
            need = "a date (YYYY-MM-DD)" if spec.kind == "date" else "a number"
            errors.add(
                f"{where}: {leaf.field} is a {spec.kind}; compare it with {need}, "
                f"got {leaf.value!r}",
                loc,
            )


def dependencies(rule: Rule, book: Rulebook) -> set[str]:
    deps = set(rule.when.rule_refs())
    for u in rule.unless:
        deps |= set(u.when.rule_refs())
    inst = book.instrument
    deps |= {route.rule for route in rule.applies_from_by}
    if inst.scope_rule and rule.kind != "scope" and rule.id != inst.scope_rule:
        deps.add(inst.scope_rule)
    for role in rule.roles or []:
        deps |= set(inst.role_rules.get(role, []))
    return deps


def _check_cycles(books: list[Rulebook], seen: dict[str, Rulebook], errors: ErrorCollector) -> None:
    """Report every rule cycle. Iterative, so a long chain of rules cannot exhaust the stack."""
    known = set(seen)
    graph = {rule.id: dependencies(rule, book) & known for book in books for rule in book.rules}
    state: dict[str, int] = {}
    for root in sorted(graph):
        if root in state:
            continue
        state[root] = 1
        path = [root]
        pending = [iter(sorted(graph.get(root, ())))]
        while pending:
            dep = next(pending[-1], None)
            if dep is None:
                state[path.pop()] = 2
                pending.pop()
                continue
            if state.get(dep) == 1:
                cycle = [*path[path.index(dep) :], dep]
                errors.add("rule cycle: " + " -> ".join(cycle), _rule_loc(seen[path[-1]], path[-1]))
            elif dep not in state:
                state[dep] = 1
                path.append(dep)
                pending.append(iter(sorted(graph.get(dep, ()))))
