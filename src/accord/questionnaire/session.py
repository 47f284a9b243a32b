"""Questionnaire state machine, independent of how answers arrive (prompt, file, web form).

Each round assesses the current draft, takes the highest-ranked open question not yet asked,
and records the answer (or "don't know"). It ends when no open question is left, so a user
answers only what changes the result for their system.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from accord.engine import assess
from accord.engine.result import Question
from accord.errors import ProfileError
from accord.profile.fields import FieldSpec, profile_fields
from accord.profile.loader import profile_from_dict
from accord.profile.model import Profile
from accord.rules.ruleset import RuleSet

SKIP = object()  # the answer "I don't know": leave the field unknown and move on


def set_path(data: dict[str, Any], path: str, value: Any) -> None:
    parts = path.split(".")
    node = data
    for part in parts[:-1]:
        node = node.setdefault(part, {})
    node[parts[-1]] = value


def coerce(spec: FieldSpec, raw: Any) -> Any:
    """Turn a typed answer (from a prompt or a file) into the field's value; ValueError if bad."""
    if isinstance(raw, str):
        text = raw.strip()
        if spec.kind == "bool":
            low = text.lower()
            if low in ("y", "yes", "true", "1"):
                return True
            if low in ("n", "no", "false", "0"):
                return False
            raise ValueError("answer yes or no")
        if spec.kind in ("choices", "codes"):
            if text.lower() in ("none", "[]", "-"):
                return []
            return [p.strip() for p in text.replace(";", ",").split(",") if p.strip()]
        if spec.kind == "choice":
            if text.isdigit() and 1 <= int(text) <= len(spec.choices):
                return spec.choices[int(text) - 1]
            if text not in spec.choices:
                raise ValueError(f"choose one of {', '.join(spec.choices)} (or its number)")
            return text
        if spec.kind == "number":
            try:
                return float(text)
            except ValueError:
                return text  # maybe a bound ("> 1e23"); the profile model validates it
        if spec.kind == "integer":
            return int(text)
        if spec.kind == "date":
            return dt.date.fromisoformat(text)
        return text
    return raw


@dataclass
class Questionnaire:
    draft: dict[str, Any]
    ruleset: RuleSet | None = None
    as_of: dt.date | None = None
    asked: set[str] = field(default_factory=set)
    answered: dict[str, Any] = field(default_factory=dict)

    def profile(self) -> Profile:
        return profile_from_dict(self.draft, source="questionnaire draft")

    def next_question(self) -> Question | None:
        result = assess(self.profile(), self.as_of, ruleset=self.ruleset, explain=False)
        for q in result.open_questions:
            if q.field not in self.asked:
                return q
        return None

    def answer(self, question: Question, raw: Any) -> None:
        """Record an answer; raises ProfileError (draft unchanged) if the value is invalid."""
        self.asked.add(question.field)
        if raw is SKIP:
            return
        spec = profile_fields()[question.field]
        try:
            value = coerce(spec, raw)
        except ValueError as exc:
            raise ProfileError(f"{question.field}: {exc}") from None
        trial = copy.deepcopy(self.draft)
        set_path(trial, question.field, value)
        profile_from_dict(trial, source=f"answer to {question.field}")
        self.draft = trial
        self.answered[question.field] = value

    def run(self, ask: Callable[[Question], Any], limit: int = 200) -> Profile:
        for _ in range(limit):
            q = self.next_question()
            if q is None:
                break
            self.answer(q, ask(q))
        return self.profile()
