"""Rank the unknown profile fields by how decisive their answer is for the system described.

A question is worth asking when its answer is likely to move outcomes that matter. For every
rule whose outcome is still *possible*, we estimate the chance that it applies from the facts
that are still open, each with a prior likelihood (`PRIORS`: most facts are even odds; red
flags such as the prohibited practices, and the rare situations behind exceptions, are
unlikely). A field's weight for that rule is the expected change of that chance once the field
is answered: `sum over answers v of P(v) * |P(rule | v) - P(rule)|`. So a fact every system has
(does it interact with people?) outweighs a red flag nearly every system lacks, and an
exception that matters only for a rare practice weighs almost nothing until the practice
itself is stated. A field's score adds these weights over the open rules, each times the
rule's severity.

The estimate is structural: it reads only the rule states (outcome and open fields), never the
profile itself, so `accord assess` and `accord init` rank the same way and the cost stays small
(under a millisecond for a typical profile). Stated facts enter through the states: a rule
decided by them is no longer open, a known part of an open rule takes the value that keeps the
rule open, and an exception that a rulebook's presumption guard leaves open on the stated facts
(a defence use and the military exclusion) counts as plausible, not rare.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from accord.engine.evaluate import RuleState
from accord.engine.result import Assessment, Question
from accord.profile.fields import FieldSpec, profile_fields
from accord.profile.model import Profile
from accord.rules import conditions as c
from accord.rules.ruleset import RuleSet

# A banned practice matters more than a classification, which matters more than one duty.
SEVERITY = {"prohibition": 8.0, "scope": 5.0, "classification": 4.0, "obligation": 1.0}

RARE = 0.005
"""Prior chance of a red flag or a rare situation (a banned practice, a law-enforcement
authority, a system taken over by another provider)."""
UNCOMMON = 0.1
"""Prior chance of a situation that some systems have but most do not."""
LIST_ITEM = 0.2
"""Prior chance that a list answer (settings, content kinds, input data) includes one value."""
CODE_TEST = 0.3
"""Prior chance that a use-case or market test on an unknown list holds."""
PLAUSIBLE = 0.5
"""Least chance of a fact behind an exception that the rulebook's own guard leaves open
(presumption `unless`): the stated facts make it plausible."""

_RARE_CHOICES = {"no": 0.94, "safeguarded": 0.05, "foreseeable": 0.005, "intended": 0.005}

PRIORS: dict[str, float | Mapping[str, float]] = {
    # The prohibited practices and their elements: red flags.
    "practices.manipulative_techniques": RARE,
    "practices.exploits_vulnerabilities": RARE,
    "practices.materially_distorts_behaviour": RARE,
    "practices.significant_harm_likely": UNCOMMON,
    "practices.social_score_detrimental": RARE,
    "practices.crime_prediction_profiling_only": RARE,
    "practices.supports_fact_based_human_assessment": UNCOMMON,
    "practices.lawful_dataset_labelling": UNCOMMON,
    "practices.untargeted_face_scraping": RARE,
    "practices.intimate_imagery": _RARE_CHOICES,
    "practices.csam": _RARE_CHOICES,
    "practices.deployer_generates_intimate_imagery": RARE,
    "practices.rbi_authorised": UNCOMMON,
    "practices.rbi_exception": {
        "victim_search": RARE,
        "imminent_threat": RARE,
        "serious_crime_suspect": RARE,
    },
    # Who the organisation is: most are private, not police, not migration authorities.
    "organisation.kind": {
        "private": 0.85,
        "public_authority": 0.12,
        "eu_institution": 0.015,
        "international_organisation": 0.015,
    },
    "organisation.law_enforcement": RARE,
    "organisation.migration_authority": RARE,
    "organisation.provides_public_services": UNCOMMON,
    "organisation.financial_institution": UNCOMMON,
    "organisation.equivalent_incident_reporting": UNCOMMON,
    "organisation.licensed_profession": UNCOMMON,
    "organisation.startup": UNCOMMON,
    "organisation.non_profit": UNCOMMON,
    "organisation.majority_revenue_from_personal_info": UNCOMMON,
    # Few organisations describing an AI system are licensed insurers.
    "organisation.insurance_lines": {
        "individual_life": UNCOMMON / 2,
        "group_life": UNCOMMON / 2,
        "health_benefit_plan": UNCOMMON / 2,
        "private_passenger_auto": UNCOMMON / 2,
        "homeowners": UNCOMMON / 2,
        "commercial": UNCOMMON / 2,
        "other": UNCOMMON / 2,
    },
    # Context: exclusive purposes and law-enforcement situations are exceptions.
    "context.exclusive_purpose": {
        "none": 0.94,
        "military_defence_security": 0.02,
        "scientific_research": 0.02,
        "personal": 0.02,
    },
    "context.crime_fighting_authorised": RARE,
    "context.public_crime_reporting": RARE,
    "context.international_cooperation": RARE,
    "context.two_person_check_disproportionate": RARE,
    "context.federal_agency": RARE,
    "context.medical_or_safety_purpose": UNCOMMON,
    "context.hosts_user_content": UNCOMMON,
    # Lifecycle: most systems are on the market, unchanged and still their provider's.
    "lifecycle.status": {
        "design": 0.04,
        "development": 0.08,
        "testing": 0.04,
        "real_world_testing": 0.02,
        "on_market": 0.5,
        "in_service": 0.3,
        "retired": 0.02,
    },
    "lifecycle.taken_over_by_new_provider": RARE,
    "lifecycle.substantial_modification": UNCOMMON,
    "lifecycle.rebranded": UNCOMMON,
    "lifecycle.intended_for_public_authorities": UNCOMMON,
    "lifecycle.significant_design_change": UNCOMMON,
    "lifecycle.high_risk_use_excluded": UNCOMMON,
    # Technique: people describe AI systems to an AI-law tool; few are models of their own.
    "technique.infers_from_inputs": 0.8,
    "technique.gpai_model": 0.15,
    "technique.is_model": 0.15,
    "technique.modified_gpai_model": UNCOMMON,
    "technique.designated_systemic_risk": RARE,
    "technique.generates_deep_fakes": UNCOMMON,
    "technique.artistic_work": UNCOMMON,
    "technique.public_interest_text": UNCOMMON,
    "technique.assistive_editing_only": UNCOMMON,
    "technique.human_like_companion": UNCOMMON,
    "technique.replies_limited_to_own_topic": UNCOMMON,
    "technique.remote_biometric_identification": {"none": 0.94, "real_time": 0.03, "post": 0.03},
    "technique.ai_obvious": UNCOMMON,
    # The Art 6(3) derogation facts are claims a provider makes for a few tools.
    "derogation.no_significant_risk": UNCOMMON,
    "derogation.narrow_procedural_task": UNCOMMON,
    "derogation.improves_human_activity": UNCOMMON,
    "derogation.detects_patterns": UNCOMMON,
    "derogation.preparatory_task": UNCOMMON,
    "decisions.unrelated_context_data": UNCOMMON,
    "decisions.availability_or_payment_only": UNCOMMON,
    "decisions.outputs_only_to_subject": UNCOMMON,
    "decisions.data_under_glba": UNCOMMON,
    "product_safety.third_party_only_non_safety": UNCOMMON,
    "product_safety.only_non_safety_aspects": UNCOMMON,
}
"""Base rates: the chance that a fact holds (booleans), of each choice, or that a list answer
includes a value, for a system about which nothing else is known. Unlisted booleans are even
odds, unlisted choices equally likely, and list values `LIST_ITEM` each."""


def prior_true(spec: FieldSpec) -> float:
    """Prior chance that a yes/no fact holds."""
    p = PRIORS.get(spec.path, 0.5)
    return float(p) if isinstance(p, int | float) else 0.5


def rare_fact(spec: FieldSpec) -> bool:
    """A yes/no fact, or a choice with a plain 'no' answer, that few systems have: the
    questionnaire asks these together in one checklist rather than one by one."""
    p = PRIORS.get(spec.path)
    if spec.kind == "bool":
        return isinstance(p, int | float) and p <= UNCOMMON
    if spec.kind == "choice" and isinstance(p, Mapping) and "no" in spec.choices:
        return p.get("no", 0.0) >= 1 - UNCOMMON
    return False


def _choice_prior(spec: FieldSpec) -> dict[Any, float]:
    p = PRIORS.get(spec.path)
    if isinstance(p, Mapping):
        raw = {ch: float(p.get(ch, 0.0)) for ch in spec.choices}
    else:
        raw = {ch: 1.0 for ch in spec.choices}
    total = sum(raw.values()) or 1.0
    return {ch: v / total for ch, v in raw.items()}


def _leaf_prior(leaf: c.Leaf, spec: FieldSpec | None) -> float:
    """Chance that a test on an unknown field holds."""
    op, value = leaf.op, leaf.value
    if spec is None:
        return 0.5
    if spec.kind == "bool":
        t = prior_true(spec)
        if op == "is":
            return t if value is True else 1 - t
        if op == "in":
            return (t if True in value else 0.0) + (1 - t if False in value else 0.0)
        return 0.5
    if spec.kind == "choice":
        dist = _choice_prior(spec)
        if op == "is":
            return dist.get(value, 0.0)
        if op in ("in", "any_of"):
            return sum(dist.get(v, 0.0) for v in value)
        return 0.5
    if spec.kind == "choices":
        p = PRIORS.get(spec.path)
        incl = p if isinstance(p, Mapping) else {}
        if op in ("any_of", "in", "is"):
            items = value if isinstance(value, tuple | list) else (value,)
            miss = 1.0
            for item in items:
                miss *= 1 - float(incl.get(item, LIST_ITEM))
            return 1 - miss
        return 0.5
    if spec.kind == "codes":
        return CODE_TEST
    return 0.5


# Reduced trees: only the parts of a rule's condition that are still open, as tuples
# (kind, payload, open fields read, chance of holding) with kind "leaf" (payload a Leaf),
# "all" or "any" (children), "not" (child) or "ref" (a rule id).
Node = tuple[str, Any, frozenset[str], float]


@cache
def _answers(name: str) -> tuple[tuple[float, Any], ...]:
    """Representative answers to a field with their prior chances."""
    spec = profile_fields().get(name)
    if spec is not None and spec.kind == "bool":
        t = prior_true(spec)
        return ((t, True), (1 - t, False))
    if spec is not None and spec.kind == "choice":
        return tuple((p, ch) for ch, p in _choice_prior(spec).items() if p > 0)
    # Lists, codes, numbers, dates: the answer meets the open tests on it, or none of them.
    return ((0.5, True), (0.5, False))


@dataclass
class _Model:
    """Chances that open rules hold, unpinned and with one field pinned to an answer."""

    ruleset: RuleSet
    states: Mapping[str, RuleState]

    def __post_init__(self) -> None:
        self.fields = profile_fields()
        self.trees: dict[str, Node | None] = {}
        # With presumptions on (some outcome rests on one), an exception left open is one
        # whose guard found it plausible on the stated facts (a defence use and the military
        # exclusion): its facts are then taken as even odds rather than rare.
        self.presuming = any(st.assumed for st in self.states.values())

    def tree(self, rid: str) -> Node | None:
        if rid not in self.trees:
            self.trees[rid] = None  # guards against (impossible) cycles
            st = self.states[rid]
            self.trees[rid] = self._reduce(self.ruleset.compiled[rid].effective, st.unknowns)
        return self.trees[rid]

    def _reduce(
        self, cond: c.Condition, unknown: frozenset[str], plausible: bool = False
    ) -> Node | None:
        """The open part of `cond`, or None where it is settled. A settled part of an open
        group cannot be the deciding one, so it is left out (neutral for the group)."""
        if isinstance(cond, c.Leaf):
            if cond.field not in unknown:
                return None
            p = _leaf_prior(cond, self.fields.get(cond.field))
            if plausible:
                p = max(p, PLAUSIBLE)
            return ("leaf", cond, frozenset((cond.field,)), p)
        if isinstance(cond, c.All | c.Any_):
            kids = [self._reduce(i, unknown, plausible) for i in cond.items]
            kids = [k for k in kids if k is not None]
            if len(kids) <= 1:
                return kids[0] if kids else None
            names = frozenset().union(*(k[2] for k in kids))
            if isinstance(cond, c.All):
                p = math.prod(k[3] for k in kids)
                return ("all", tuple(kids), names, p)
            return ("any", tuple(kids), names, 1 - math.prod(1 - k[3] for k in kids))
        if isinstance(cond, c.Not):
            kid = self._reduce(cond.item, unknown, plausible)
            return None if kid is None else ("not", kid, kid[2], 1 - kid[3])
        if isinstance(cond, c.RuleRef):
            st = self.states.get(cond.rule)
            if st is None or not st.in_force or st.value is not None:
                return None
            if not st.unknowns & unknown:
                return None
            sub = self.tree(cond.rule)
            return None if sub is None else ("ref", cond.rule, sub[2], sub[3])
        if isinstance(cond, c.Presume):
            return self._reduce(cond.item, unknown, plausible or self.presuming)
        return None

    def pinned(self, node: Node, name: str, value: Any, memo: dict[str, float]) -> float:
        """Chance that a reduced tree holds once `name` is answered `value`."""
        if name not in node[2]:
            return node[3]
        kind = node[0]
        if kind == "leaf":
            leaf: c.Leaf = node[1]
            if isinstance(value, bool) and self._kind(leaf) != "bool":
                return 1.0 if value else 0.0  # a list or number answer that meets every test
            return 1.0 if leaf.test(value) else 0.0
        if kind == "all":
            p = 1.0
            for k in node[1]:
                p *= self.pinned(k, name, value, memo)
            return p
        if kind == "any":
            q = 1.0
            for k in node[1]:
                q *= 1 - self.pinned(k, name, value, memo)
            return 1 - q
        if kind == "not":
            return 1 - self.pinned(node[1], name, value, memo)
        rid = node[1]
        p = memo.get(rid)
        if p is None:
            sub = self.trees[rid]
            p = memo[rid] = self.pinned(sub, name, value, memo) if sub is not None else 0.5
        return p

    def _kind(self, leaf: c.Leaf) -> str:
        spec = self.fields.get(leaf.field)
        return spec.kind if spec is not None else "text"


def _decisiveness(model: _Model, open_rules: Iterable[str]) -> dict[str, dict[str, float]]:
    """{field: {rule id: expected change of the rule's chance once the field is answered}}."""
    trees: dict[str, Node] = {}
    by_field: dict[str, list[str]] = defaultdict(list)
    for rid in open_rules:
        tree = model.tree(rid)
        if tree is None:
            continue
        trees[rid] = tree
        for name in tree[2]:
            by_field[name].append(rid)
    out: dict[str, dict[str, float]] = {}
    for name, rids in by_field.items():
        shift = dict.fromkeys(rids, 0.0)
        for weight, value in _answers(name):
            memo: dict[str, float] = {}
            for rid in rids:
                tree = trees[rid]
                shift[rid] += weight * abs(model.pinned(tree, name, value, memo) - tree[3])
        out[name] = shift
    return out


def rank_questions(ruleset: RuleSet, states: Mapping[str, RuleState]) -> list[Question]:
    """Open questions, most decisive first (see the module's docstring for the measure)."""
    open_rules = [rid for rid, st in states.items() if st.value is None and st.in_force]
    model = _Model(ruleset, states)
    decisive = _decisiveness(model, open_rules)
    score: dict[str, float] = defaultdict(float)
    settles: dict[str, list[str]] = defaultdict(list)
    for rid in open_rules:
        weight = SEVERITY[ruleset.rules[rid].kind]
        if ruleset.rules[rid].needs_review:
            weight *= 0.9
        for f in states[rid].unknowns:
            score[f] += weight * decisive.get(f, {}).get(rid, 0.0)
            settles[f].append(rid)
    fields = profile_fields()
    order = {name: i for i, name in enumerate(fields)}

    def rank(name: str) -> tuple:
        # Ties: hand-written questions (common facts) first, then the profile's own order.
        spec = fields.get(name)
        explicit = spec is not None and spec.explicit_question
        return (-round(score[name], 6), not explicit, order.get(name, len(order)), name)

    out = []
    for name in sorted(settles, key=rank):
        spec = fields.get(name)
        out.append(
            Question(
                field=name,
                question=spec.question if spec else name,
                kind=spec.kind if spec else "text",
                choices=list(spec.choices) if spec else [],
                score=round(score[name], 3),
                settles=sorted(settles[name]),
            )
        )
    return out


SME_SIZES = frozenset({"micro", "small", "medium"})


def penalty_questions(
    ruleset: RuleSet | None, assessment: Assessment, profile: Profile
) -> list[Question]:
    """Organisation facts that a possible fine's maximum depends on: the size class where
    SMEs or small mid-caps get a different cap, and the turnover (or revenue) where the cap is
    a share of it. Only for fine tiers that the assessment's findings trigger."""
    from accord.rules.loader import load_rules

    ruleset = ruleset or load_rules()
    org = profile.organisation
    size_for: list[str] = []
    turnover_for: dict[str, list[str]] = {}
    for inst in assessment.instruments:
        tiers = (
            {t.id: t for t in ruleset.instruments[inst.id].penalties}
            if (inst.id in ruleset.instruments)
            else {}
        )
        for exposure in inst.penalties:
            tier = tiers.get(exposure.penalty_id)
            if tier is None:
                continue
            size_matters = any(
                x is not None and x != tier.combine
                for x in (tier.sme_combine, tier.small_mid_cap_combine)
            )
            if size_matters and org.size is None and not org.startup:
                size_for.append(tier.id)
            combine = tier.combine
            if org.size in SME_SIZES or org.startup:
                combine = tier.sme_combine or combine
            elif org.size == "small_mid_cap":
                combine = tier.small_mid_cap_combine or combine
            if tier.turnover_pct is None or combine in ("fixed_only", "per_violation"):
                continue
            # The same field the penalty computation reads (accord.engine.penalties).
            name = (
                "organisation.annual_turnover_eur"
                if tier.currency == "EUR"
                else "organisation.annual_revenue_usd"
            )
            if getattr(org, name.split(".")[1]) is None:
                turnover_for.setdefault(name, []).append(tier.id)
    fields = profile_fields()
    out = []
    for name, tiers in (("organisation.size", size_for), *turnover_for.items()):
        if not tiers:
            continue
        spec = fields[name]
        out.append(
            Question(
                field=name,
                question=spec.question,
                kind=spec.kind,
                choices=list(spec.choices),
                score=0.0,
                settles=sorted(set(tiers)),
            )
        )
    return out
