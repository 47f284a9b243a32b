"""Replay the questionnaire against a complete profile, answering from its own values.

This measures how many questions `accord init` asks for a system: start from a minimal
description (id, name, markets, roles, uses), answer every question from the complete profile
(unknown where it says nothing) and count. docs/init.md carries the table for the bundled
examples; a test keeps it true. Regenerate it with

    python -m accord.questionnaire.replay --write docs/init.md
"""

from __future__ import annotations

import datetime as dt
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from accord.profile.fields import facts
from accord.profile.model import Profile
from accord.questionnaire.session import (
    NEGATIVE_CHOICE,
    SKIP,
    Checklist,
    Questionnaire,
    get_path,
)
from accord.rules.ruleset import RuleSet

START = ("id", "name", "markets", "roles", "uses")
"""The minimal description a replay starts from."""
AS_OF = dt.date(2026, 11, 27)
"""The date the documented counts are measured on (questions depend on the law in force)."""
BEGIN = "<!-- questions-table:begin (python -m accord.questionnaire.replay --write) -->"
END = "<!-- questions-table:end -->"


@dataclass
class Replay:
    name: str
    prompts: int = 0  # questions and checklists put to the user
    checklists: int = 0
    facts_asked: int = 0  # fields asked about, one by one or in a checklist
    unknown: list[str] = field(default_factory=list)  # left unknown at the end
    log: list[tuple[tuple[str, ...], Any]] = field(default_factory=list)  # (fields, answer)

    @property
    def order(self) -> list[str]:
        """Fields in the order they were put to the user (a checklist's at its place)."""
        return [name for fields, _ in self.log for name in fields]


def _positive(value: Any) -> bool:
    return value is True or (isinstance(value, str) and value != NEGATIVE_CHOICE)


def replay(
    profile: Profile, ruleset: RuleSet | None = None, as_of: dt.date = AS_OF, limit: int = 200
) -> Replay:
    """Ask `accord init`'s questions from a minimal draft, answering from `profile`."""
    data = profile.model_dump(mode="json", exclude_none=True)
    draft = {k: data[k] for k in START if k in data}
    known = facts(profile)
    q = Questionnaire(draft, ruleset, as_of)
    out = Replay(profile.id)
    for _ in range(limit):
        step = q.next_step()
        if step is None:
            break
        if isinstance(step, Checklist):
            holds, unsure = set(), set()
            for n, item in enumerate(step.items, 1):
                value = known.get(item.field)
                if value is None:
                    unsure.add(n)
                elif _positive(value):
                    holds.add(n)
            answer: Any = SKIP if len(unsure) == len(step.items) else (holds, unsure)
            q.answer_checklist(step, answer)
            out.checklists += 1
            out.facts_asked += len(step.items)
            out.log.append((tuple(step.fields), answer))
        else:
            value = get_path(data, step.field)  # as written in YAML: dates and bounds as text
            if value is None:
                value = known.get(step.field)
            q.answer(step, SKIP if value is None else value)
            out.facts_asked += 1
            out.log.append(((step.field,), value))
    out.prompts = q.prompts
    out.unknown = q.unknown()
    return out


def table(examples: Path, ruleset: RuleSet | None = None, as_of: dt.date = AS_OF) -> str:
    """The Markdown table of question counts for every example profile in `examples`."""
    from accord.profile import load_profile

    rows = [
        "| example | questions asked | of which checklists | facts asked | left unknown |",
        "|---|---:|---:|---:|---:|",
    ]
    for path in sorted(examples.glob("*.yaml")):
        r = replay(load_profile(path), ruleset, as_of)
        rows.append(
            f"| `{path.stem}` | {r.prompts} | {r.checklists} | {r.facts_asked} | {len(r.unknown)} |"
        )
    return "\n".join(rows) + "\n"


def with_table(text: str, examples: Path) -> str:
    """`text` with the table between the markers regenerated (`make docs` calls this)."""
    head, sep, rest = text.partition(BEGIN)
    _, sep2, tail = rest.partition(END)
    if not sep or not sep2:
        raise ValueError("the question-count table markers are missing")
    return f"{head}{BEGIN}\n{table(examples)}{END}{tail}"


def update(doc: Path, examples: Path) -> bool:
    """Rewrite the table between the markers in `doc`; True if it changed."""
    text = doc.read_text(encoding="utf-8")
    try:
        new = with_table(text, examples)
    except ValueError as exc:
        raise SystemExit(f"{doc}: {exc}") from None
    if new != text:
        doc.write_text(new, encoding="utf-8")
    return new != text


def main(argv: list[str]) -> None:
    root = Path(__file__).resolve().parents[3]
    if argv[:1] == ["--write"] and len(argv) == 2:
        changed = update(Path(argv[1]), root / "examples")
        print(f"{argv[1]}: {'updated' if changed else 'up to date'}")
    else:
        sys.stdout.write(table(root / "examples"))


if __name__ == "__main__":
    main(sys.argv[1:])
