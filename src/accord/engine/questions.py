"""Rank the unknown profile fields by how many and how severe the outcomes they would settle."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping

from accord.engine.evaluate import RuleState
from accord.engine.result import Question
from accord.profile.fields import profile_fields
from accord.rules.ruleset import RuleSet

# A banned practice matters more than a classification, which matters more than one duty.
SEVERITY = {"prohibition": 8.0, "scope": 5.0, "classification": 4.0, "obligation": 1.0}


def rank_questions(ruleset: RuleSet, states: Mapping[str, RuleState]) -> list[Question]:
    score: dict[str, float] = defaultdict(float)
    settles: dict[str, list[str]] = defaultdict(list)
    for rid, st in states.items():
        if st.value is not None or not st.in_force:
            continue
        weight = SEVERITY[ruleset.rules[rid].kind]
        if ruleset.rules[rid].needs_review:
            weight *= 0.9
        for f in st.unknowns:
            score[f] += weight
            settles[f].append(rid)
    fields = profile_fields()
    order = {name: i for i, name in enumerate(fields)}

    def rank(name: str) -> tuple:
        # Ties: hand-written questions (common facts) first, then the profile's own order.
        spec = fields.get(name)
        explicit = spec is not None and spec.explicit_question
        return (-score[name], not explicit, order.get(name, len(order)), name)

    out = []
    for name in sorted(score, key=rank):
        spec = fields.get(name)
        out.append(
            Question(
                field=name,
                question=spec.question if spec else name,
                kind=spec.kind if spec else "text",
                choices=list(spec.choices) if spec else [],
                score=round(score[name], 2),
                settles=sorted(settles[name]),
            )
        )
    return out
