"""Questionnaire state machine, independent of how answers arrive (prompt, file, web form).

Each round assesses the current draft and picks what to ask next:

1. the most decisive open question about a common fact (see `accord.engine.questions`);
2. once none is left, one checklist of the rare facts still open (banned practices, unusual
   situations, exceptions): the user names the ones that hold and the rest are denied, so the
   long tail of red flags costs one answer instead of a dozen;
3. last, the organisation's size and turnover where a fine that may apply depends on them.

Follow-up questions (`FOLLOW_UPS`) wait until the fact they presuppose is stated to hold, and
common questions that only matter together with a rare fact wait for the checklist. An answer
of "don't know" leaves the field unknown and it is not asked again. The session ends when
nothing is left to ask, so a user answers only what changes the result for their system.
"""

from __future__ import annotations

import copy
import datetime as dt
import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from accord.engine import assess
from accord.engine.questions import penalty_questions, rare_fact
from accord.engine.result import Assessment, Question
from accord.errors import ProfileError
from accord.profile.fields import FieldSpec, facts, profile_fields
from accord.profile.loader import profile_from_dict
from accord.profile.model import Profile
from accord.rules.ruleset import RuleSet

SKIP = object()  # the answer "I don't know": leave the field unknown and move on

NONE_WORDS = ("none", "-", "[]")
"""Answers meaning an empty list (no settings, no content, ...)."""


def set_path(data: dict[str, Any], path: str, value: Any) -> None:
    parts = path.split(".")
    node = data
    for part in parts[:-1]:
        node = node.setdefault(part, {})
    node[parts[-1]] = value


def get_path(data: Any, path: str) -> Any:
    """The value at a dotted path of nested mappings, or None."""
    node = data
    for part in path.split("."):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node


# --- Answers: one strict form per kind of question -----------------------------------------

YES = ("y", "yes", "true")
NO = ("n", "no", "false")


def hint(spec: FieldSpec) -> str:
    """The expected form of an answer, shown after the question."""
    dont_know = "Enter = don't know"
    if spec.kind == "bool":
        return f"[y/n; {dont_know}]"
    if spec.kind == "choice":
        return f"[one of: {' / '.join(spec.choices)}; {dont_know}]"
    if spec.kind == "choices":
        return f"[comma-separated, from: {', '.join(spec.choices)}; or none; {dont_know}]"
    if spec.kind == "codes":
        vocab = "use-cases" if spec.vocabulary == "use-cases" else "jurisdictions"
        example = "customer-service" if vocab == "use-cases" else "EU, US-CA"
        return (
            f"[comma-separated codes, e.g. {example} (see `accord vocab {vocab}`); or none; "
            f"{dont_know}]"
        )
    if spec.kind == "number":
        if spec.path == "technique.training_compute_flop":
            return f'[a number such as 3e24, or a bound such as "> 1e23"; {dont_know}]'
        return f"[a number, e.g. 8000000 or 2.5e6; {dont_know}]"
    if spec.kind == "integer":
        lo, hi = spec.minimum, spec.maximum
        span = f" from {lo} to {hi}" if lo is not None and hi is not None else ""
        return f"[a whole number{span}; {dont_know}]"
    if spec.kind == "date":
        return f"[a date as YYYY-MM-DD; {dont_know}]"
    if spec.vocabulary == "jurisdictions":
        return f"[a jurisdiction code, e.g. DE or US-CA; {dont_know}]"
    return f"[text; {dont_know}]"


def _choice(spec: FieldSpec, text: str) -> str:
    """The choice a typed answer names: its exact name (any case, '-' or ' ' for '_'), or an
    unambiguous start of at least three letters. Numbers are refused: a number typed for
    another question must never select a choice here."""
    word = text.strip().lower().replace("-", "_").replace(" ", "_")
    names = {c.lower(): c for c in spec.choices}
    if word in names:
        return names[word]
    starts = [c for low, c in names.items() if len(word) >= 3 and low.startswith(word)]
    if len(starts) == 1:
        return starts[0]
    raise ValueError(f"{text.strip()!r} is not one of: {', '.join(spec.choices)}")


def parse_text(spec: FieldSpec, text: str) -> Any:
    """A typed answer as the field's value; ValueError (with the expected form) if it does not
    fit. An empty answer is SKIP ("don't know")."""
    text = text.strip()
    if not text:
        return SKIP
    low = text.lower()
    if spec.kind == "bool":
        if low in YES:
            return True
        if low in NO:
            return False
        raise ValueError(f"{text!r} is not an answer to a yes/no question; answer y or n")
    if spec.kind == "choice":
        return _choice(spec, text)
    if spec.kind in ("choices", "codes"):
        if low in NONE_WORDS:
            return []
        items = [p.strip() for p in re.split(r"[,;]", text) if p.strip()]
        if spec.kind == "choices":
            return list(dict.fromkeys(_choice(spec, item) for item in items))
        if any(" " in item for item in items):
            raise ValueError("separate codes with commas, e.g. EU, US-CA")
        return items
    if spec.kind == "number":
        try:
            number = float(text.replace("_", ""))
        except ValueError:
            if spec.path == "technique.training_compute_flop" and re.search(r"[<>.]", text):
                return text  # a bound ("> 1e23"); the profile model checks it
            raise ValueError(f"{text!r} is not a number") from None
        if not math.isfinite(number):
            raise ValueError(f"{text!r} is not a finite number")
        return int(number) if number.is_integer() and abs(number) < 1e15 else number
    if spec.kind == "integer":
        try:
            return int(text.replace("_", ""))
        except ValueError:
            raise ValueError(f"{text!r} is not a whole number") from None
    if spec.kind == "date":
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            raise ValueError(f"{text!r} is not a date; write it as YYYY-MM-DD") from None
    return text


def coerce(spec: FieldSpec, raw: Any) -> Any:
    """An answer from a prompt (text) or an answers file (typed YAML) as the field's value.

    Typed values must already have the field's type: `1` is not yes, `true` is not a choice.
    Raises ValueError with the expected form; the profile model checks codes and ranges.
    """
    if isinstance(raw, str):
        value = parse_text(spec, raw)
        if value is SKIP:
            raise ValueError("an empty answer; leave the field out if you do not know")
        return value
    kind = spec.kind
    if kind == "bool" and isinstance(raw, bool):
        return raw
    if kind in ("choices", "codes") and isinstance(raw, list):
        if kind == "choices":
            bad = [x for x in raw if x not in spec.choices]
            if bad:
                raise ValueError(f"{bad[0]!r} is not one of: {', '.join(spec.choices)}")
        return raw
    if kind == "number" and isinstance(raw, int | float) and not isinstance(raw, bool):
        return raw
    if kind == "integer" and isinstance(raw, int) and not isinstance(raw, bool):
        return raw
    if kind == "date" and isinstance(raw, dt.date):
        return raw
    expected = {
        "bool": "true or false",
        "choice": f"one of: {', '.join(spec.choices)}",
        "choices": "a list, e.g. [a, b], or [] for none",
        "codes": "a list of codes, e.g. [EU], or [] for none",
        "number": "a number",
        "integer": "a whole number",
        "date": "a date as YYYY-MM-DD",
        "text": "text",
    }[kind]
    raise ValueError(f"{raw!r} is not a valid answer; expected {expected}")


# --- The checklist of rare facts -------------------------------------------------------------

NEGATIVE_CHOICE = "no"
"""The answer a choice-valued rare fact gets when its checklist item is not named."""

STATEMENTS = {
    "organisation.startup": "The organisation is a start-up.",
    "organisation.provides_public_services": "The organisation is a private entity providing "
    "public services (e.g. education, healthcare, social services, housing).",
    "organisation.financial_institution": "The organisation is a credit or financial "
    "institution subject to sectoral governance rules.",
    "organisation.law_enforcement": "The organisation is a law-enforcement authority, or acts "
    "on behalf of one.",
    "organisation.migration_authority": "The organisation is a migration, asylum or "
    "border-control authority, or acts for one.",
    "context.medical_or_safety_purpose": "It is intended for medical or safety reasons.",
    "context.crime_fighting_authorised": "Its use is authorised by law to detect, prevent, "
    "investigate or prosecute criminal offences.",
    "context.international_cooperation": "It is used by a third-country authority or "
    "international organisation under law-enforcement or judicial cooperation with the EU.",
    "context.federal_agency": "It is used by a national (federal) government agency.",
    "practices.intimate_imagery": "It can generate realistic intimate or sexually explicit "
    "imagery of identifiable people (even if safeguards are meant to prevent it).",
    "practices.csam": "It can generate child sexual abuse material (even if safeguards are "
    "meant to prevent it).",
}
"""Checklist wording for rare facts whose description is not a plain statement."""


def statement(spec: FieldSpec) -> str:
    return STATEMENTS.get(spec.path) or spec.description or spec.question or spec.path


@dataclass(frozen=True)
class Checklist:
    """Rare facts asked together: the user names those that hold; the others are denied."""

    items: tuple[Question, ...]

    @property
    def fields(self) -> list[str]:
        return [q.field for q in self.items]

    def statements(self) -> list[str]:
        specs = profile_fields()
        return [statement(specs[q.field]) for q in self.items]

    def parse(self, text: str) -> tuple[set[int], set[int]] | object:
        """(numbers that hold, numbers not sure about) from an answer such as "2, 5",
        "none", "?3" or "2 ?3"; SKIP for an empty answer. ValueError if malformed."""
        text = text.strip()
        if not text:
            return SKIP
        if text.lower() in NONE_WORDS:
            return set(), set()
        holds: set[int] = set()
        unsure: set[int] = set()
        for token in re.split(r"[,;\s]+", text):
            if not token:
                continue
            target = unsure if token.startswith("?") else holds
            digits = token[1:] if token.startswith("?") else token
            if not digits.isdigit():
                raise ValueError(
                    f"{token!r} is not an item number; answer with numbers from 1 to "
                    f"{len(self.items)} (e.g. 2,5), none, or ?N for one you are not sure of"
                )
            n = int(digits)
            if not 1 <= n <= len(self.items):
                raise ValueError(
                    f"{n} is not an item number; the items are numbered 1 to {len(self.items)}"
                )
            target.add(n)
        if holds & unsure:
            raise ValueError(f"item {min(holds & unsure)} is both named and marked unsure")
        return holds, unsure


Step = Question | Checklist

FOLLOW_UPS: dict[str, tuple[str, ...]] = {
    "practices.materially_distorts_behaviour": (
        "practices.manipulative_techniques",
        "practices.exploits_vulnerabilities",
    ),
    "practices.significant_harm_likely": (
        "practices.manipulative_techniques",
        "practices.exploits_vulnerabilities",
    ),
    "practices.supports_fact_based_human_assessment": (
        "practices.crime_prediction_profiling_only",
    ),
    "practices.rbi_authorised": ("practices.rbi_exception",),
    "technique.modification_compute_share": ("technique.modified_gpai_model",),
    "technique.editorial_control": ("technique.public_interest_text",),
    "technique.replies_limited_to_own_topic": ("technique.human_like_companion",),
    "lifecycle.last_significant_change": ("lifecycle.significant_design_change",),
}
"""Questions that presuppose another fact, their gate ("what compute did your modification
use?" needs a modification; "is the harm significant?" needs a manipulative practice). They
are asked, one by one, only once a gate is stated to hold: while every gate is unknown the
answer cannot make an outcome apply, and once the gates are denied the outcomes are settled.
A test checks that every rule reading a follow-up also reads one of its gates."""


@dataclass
class Questionnaire:
    draft: dict[str, Any]
    ruleset: RuleSet | None = None
    as_of: dt.date | None = None
    asked: set[str] = field(default_factory=set)
    answered: dict[str, Any] = field(default_factory=dict)
    detail: set[str] = field(default_factory=set)  # rare facts named in a checklist
    prompts: int = 0  # questions and checklists put to the user
    _cache: tuple[str, Assessment] | None = field(default=None, repr=False)

    def profile(self) -> Profile:
        return profile_from_dict(self.draft, source="questionnaire draft")

    def profile_facts(self) -> dict[str, Any]:
        return facts(self.profile())

    def assessment(self) -> Assessment:
        key = repr(self.draft)
        if self._cache is None or self._cache[0] != key:
            result = assess(self.profile(), self.as_of, ruleset=self.ruleset, explain=False)
            self._cache = (key, result)
        return self._cache[1]

    def _rare(self, q: Question) -> bool:
        spec = profile_fields().get(q.field)
        return spec is not None and rare_fact(spec) and q.field not in self.detail

    def open_questions(self) -> list[Question]:
        """Every question that would still change the result: rule questions, most decisive
        first, then the penalty facts; asked or not."""
        result = self.assessment()
        questions = list(result.open_questions)
        seen = {q.field for q in questions}
        for q in penalty_questions(self.ruleset, result, self.profile()):
            if q.field not in seen:
                questions.append(q)
                seen.add(q.field)
        return questions

    def next_step(self) -> Step | None:
        """The next question or checklist, or None when nothing is left to ask."""
        result = self.assessment()
        known = self.profile_facts()
        pending, alone = [], set()
        for q in result.open_questions:
            gates = FOLLOW_UPS.get(q.field)
            if q.field in self.asked:
                continue
            if gates is None:
                pending.append(q)
            elif any(_holds(known.get(g)) for g in gates):
                alone.add(q.field)  # asked on its own, as the follow-up it is
                pending.append(q)
        rare = [q for q in pending if self._rare(q) and q.field not in alone]
        common = [q for q in pending if q not in rare]
        waiting = _follow_ups(result, common, {q.field for q in rare})
        first = [q for q in common if q.field not in waiting]
        if first:
            return first[0]
        if rare:
            return Checklist(tuple(rare))
        for q in penalty_questions(self.ruleset, result, self.profile()):
            if q.field not in self.asked:
                return q
        return None

    def unknown(self) -> list[str]:
        """Fields asked and left unknown, and fields still open: what the profile leaves unsaid
        that would change the result."""
        still_open = {q.field for q in self.open_questions()}
        skipped = {f for f in self.asked if f not in self.answered}
        return sorted(still_open | skipped)

    def _apply(self, values: dict[str, Any], source: str) -> None:
        trial = copy.deepcopy(self.draft)
        for name, value in values.items():
            set_path(trial, name, value)
        profile_from_dict(trial, source=source)  # raises ProfileError; draft unchanged
        self.draft = trial
        self.answered.update(values)

    def answer(self, question: Question, raw: Any) -> None:
        """Record an answer (text, a typed value, or SKIP); raises ProfileError with the
        draft unchanged if the value is invalid."""
        spec = profile_fields()[question.field]
        if raw is SKIP or (isinstance(raw, str) and not raw.strip()):
            self.asked.add(question.field)
            self.prompts += 1
            return
        try:
            value = coerce(spec, raw)
        except ValueError as exc:
            raise ProfileError(f"{question.field}: {exc}") from None
        self._apply({question.field: value}, f"answer to {question.field}")
        self.asked.add(question.field)
        self.detail.discard(question.field)
        self.prompts += 1

    def answer_checklist(self, checklist: Checklist, raw: Any) -> None:
        """Record a checklist answer: text ("2,5", "none", "?3"), a pair of sets of item
        numbers (holds, unsure), or SKIP. Named yes/no facts become true, named choices are
        asked again for the detail, unsure ones stay unknown, and the rest are denied."""
        parsed = checklist.parse(raw) if isinstance(raw, str) else raw
        if parsed is SKIP:
            self.asked.update(checklist.fields)
            self.prompts += 1
            return
        holds, unsure = parsed  # type: ignore[misc]
        if not set(holds) | set(unsure) <= set(range(1, len(checklist.items) + 1)):
            raise ValueError(f"item numbers run from 1 to {len(checklist.items)}")
        self.prompts += 1
        specs = profile_fields()
        values: dict[str, Any] = {}
        for n, q in enumerate(checklist.items, 1):
            spec = specs[q.field]
            if n in unsure:
                self.asked.add(q.field)
            elif n in holds and spec.kind == "bool":
                values[q.field] = True
            elif n in holds:
                self.detail.add(q.field)  # which way it holds is asked next
            else:
                values[q.field] = False if spec.kind == "bool" else NEGATIVE_CHOICE
        try:
            self._apply(values, "checklist answer")
        except ProfileError:
            self.prompts -= 1
            raise
        self.asked.update(values)

    def run(self, ask: Callable[[Step], Any], limit: int = 200) -> Profile:
        """Ask until nothing is left: `ask` gets a Question or a Checklist and returns the
        answer (text, a typed value or SKIP)."""
        for _ in range(limit):
            step = self.next_step()
            if step is None:
                break
            if isinstance(step, Checklist):
                self.answer_checklist(step, ask(step))
            else:
                self.answer(step, ask(step))
        return self.profile()


def _holds(value: Any) -> bool:
    """A stated fact that holds: true, a non-empty list, or a choice other than 'no'/'none'."""
    if isinstance(value, list):
        return bool(value)
    if isinstance(value, str):
        return value not in (NEGATIVE_CHOICE, "none")
    return value is True


def _follow_ups(result: Assessment, common: list[Question], gates: set[str]) -> set[str]:
    """Common questions whose every open rule also waits on a rare fact not yet asked: they
    come after the checklist, which usually settles them."""
    if not gates:
        return set()
    unknowns = {f.rule_id: set(f.unknowns) for f in result.findings() if f.unknowns}
    out = set()
    for q in common:
        if q.settles and all(unknowns.get(rid, set()) & gates for rid in q.settles):
            out.add(q.field)
    return out


def changed_fields(values: Iterable[str]) -> list[str]:
    """Field paths in profile order, for stable output."""
    order = {name: i for i, name in enumerate(profile_fields())}
    return sorted(set(values), key=lambda f: (order.get(f, len(order)), f))
