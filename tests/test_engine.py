"""Engine behaviour: acceptance scenarios, dates on both axes, traces, questions, penalties."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from accord.engine import assess
from accord.profile import profile_from_dict
from accord.rules.loader import load_rules
from tests.conftest import example

D = dt.date
MINI = Path(__file__).parent / "data" / "rulebooks" / "mini-act"


def finding(a, rule_id):
    for f in a.findings():
        if f.rule_id == rule_id:
            return f
    raise AssertionError(f"{rule_id} not in assessment")


def test_cv_screener_annex_iii_dates_move_with_the_omnibus():
    # A version redesigned after both cut-off dates: no legacy shelter under either text.
    p = example("cv-screener").model_copy(deep=True)
    p.lifecycle.last_significant_change = D(2028, 6, 1)
    before = assess(p, D(2026, 5, 1))
    after = assess(p, D(2026, 11, 27))
    hr_b = finding(before, "eu-ai-act.high-risk.annex-iii")
    hr_a = finding(after, "eu-ai-act.high-risk.annex-iii")
    assert hr_b.outcome == hr_a.outcome == "applies"
    assert (hr_b.status, hr_b.applies_from) == ("upcoming", D(2026, 8, 2))
    assert (hr_a.status, hr_a.applies_from) == ("upcoming", D(2027, 12, 2))
    duties_b = [
        f
        for f in before.findings()
        if f.kind == "obligation"
        and f.outcome == "applies"
        and f.theme == "risk-management"
        and f.rule_id.startswith("eu-ai-act.")
    ]
    assert duties_b and all(f.applies_from == D(2026, 8, 2) for f in duties_b)
    duties_a = [
        f
        for f in after.findings()
        if f.kind == "obligation"
        and f.outcome == "applies"
        and f.theme == "risk-management"
        and f.rule_id.startswith("eu-ai-act.")
    ]
    assert duties_a and all(f.applies_from == D(2027, 12, 2) for f in duties_a)


def test_cv_screener_redesigned_before_the_cut_off_keeps_the_legacy_shelter():
    """Art 111(2): only a significant change on or after the high-risk date ends the shelter."""
    a = assess(example("cv-screener"), D(2026, 11, 29), jurisdictions=["EU"])
    assert finding(a, "eu-ai-act.high-risk.annex-iii").outcome == "applies"
    assert finding(a, "eu-ai-act.art111.2.legacy-exempt").outcome == "applies"
    assert finding(a, "eu-ai-act.art9").outcome == "does_not_apply"
    later = example("cv-screener").model_copy(deep=True)
    later.lifecycle.last_significant_change = D(2028, 3, 1)
    b = assess(later, D(2028, 6, 1), jurisdictions=["EU"])
    assert finding(b, "eu-ai-act.art111.2.legacy-exempt").outcome == "does_not_apply"
    assert finding(b, "eu-ai-act.art9").outcome == "applies"


def test_chatbot_art50_1_applicable():
    a = assess(example("customer-chatbot"), D(2026, 11, 27))
    art50 = [f for f in a.findings() if f.citation.startswith("EU AI Act Art 50(1)")]
    assert art50, "no Art 50(1) finding"
    assert any(f.outcome == "applies" and f.status == "applicable" for f in art50)


def test_cv_screener_trace_explains_in_words():
    a = assess(example("cv-screener"), D(2026, 11, 27))
    trace = "\n".join(finding(a, "eu-ai-act.high-risk.annex-iii").trace)
    # The chain is shared, not repeated: the trace names the rule it rests on by id...
    assert "[eu-ai-act.annex-iii.listed] applies" in trace
    assert "Art 6(3)" in trace or "derogation" in trace
    # ...and that rule's own finding reaches the facts.
    point = "\n".join(finding(a, "eu-ai-act.annex-iii.4a").trace)
    assert "employment.recruitment.screening" in point


def test_military_only_system_is_out_of_scope():
    a = assess(example("military-targeting"), D(2026, 11, 27), jurisdictions=["EU"])
    eu = next(i for i in a.instruments if i.id == "eu-ai-act")
    assert eu.in_scope == "does_not_apply"
    assert any("military" in line for line in eu.scope_trace)
    ai_act = [f for f in a.findings() if f.rule_id.startswith("eu-ai-act.")]
    assert all(f.outcome == "does_not_apply" for f in ai_act)


def test_unknowns_give_possible_outcomes_and_ranked_questions():
    p = profile_from_dict(
        {"id": "x", "name": "X", "markets": ["EU"], "technique": {"infers_from_inputs": True}}
    )
    a = assess(p, D(2026, 11, 27), jurisdictions=["EU"], strict=True)
    eu = next(i for i in a.instruments if i.id == "eu-ai-act")
    assert eu.in_scope == "possible"
    assert a.open_questions
    scores = [q.score for q in a.open_questions]
    assert scores == sorted(scores, reverse=True)
    # The questions that settle scope come before the long tail of single duties.
    top = {q.field for q in a.open_questions[:8]}
    assert {"context.exclusive_purpose", "lifecycle.status"} & top


def test_answering_a_question_settles_outcomes():
    base = {
        "id": "x",
        "name": "X",
        "markets": ["EU"],
        "roles": ["provider"],
        "technique": {"infers_from_inputs": True},
        "context": {"exclusive_purpose": "none"},
        "lifecycle": {"status": "on_market"},
        "organisation": {"kind": "private"},
    }
    a = assess(profile_from_dict(base), D(2026, 11, 27), jurisdictions=["EU"])
    b = assess(
        profile_from_dict({**base, "uses": ["security.spam-filtering"]}),
        D(2026, 11, 27),
        jurisdictions=["EU"],
    )
    assert finding(a, "eu-ai-act.annex-iii.listed").outcome == "possible"
    assert finding(b, "eu-ai-act.annex-iii.listed").outcome == "does_not_apply"
    assert len(b.open_questions) < len(a.open_questions)


def test_assessment_is_deterministic():
    p = example("cv-screener")
    one = assess(p, D(2026, 11, 27)).model_dump_json()
    two = assess(p, D(2026, 11, 27)).model_dump_json()
    assert one == two


def test_rule_dates_and_instrument_status_on_both_axes():
    rs = load_rules([MINI])
    p = profile_from_dict(
        {
            "id": "x",
            "name": "X",
            "markets": ["US-TX"],
            "roles": ["deployer"],
            "technique": {"interacts_with_people": True, "ai_obvious": False},
        }
    )
    status = {}
    for day in (D(2025, 12, 1), D(2026, 2, 1), D(2026, 5, 1), D(2026, 11, 1)):
        a = assess(p, day, ruleset=rs, jurisdictions=["US-TX"])
        status[day] = finding(a, "mini-act.notice").status
    assert status == {
        D(2025, 12, 1): "not_in_force",  # before the act was enacted
        D(2026, 2, 1): "upcoming",
        D(2026, 5, 1): "applicable",
        D(2026, 11, 1): "not_in_force",  # repealed
    }


def test_carve_out_is_named_in_the_finding():
    rs = load_rules([MINI])
    p = profile_from_dict(
        {
            "id": "x",
            "name": "X",
            "markets": ["US-TX"],
            "roles": ["deployer"],
            "technique": {"interacts_with_people": True, "ai_obvious": True},
        }
    )
    f = finding(assess(p, D(2026, 5, 1), ruleset=rs), "mini-act.notice")
    assert f.outcome == "does_not_apply"
    assert f.carve_out and "obvious" in f.carve_out


@pytest.mark.parametrize(
    ("size", "turnover", "expected"),
    [
        ("large", 2_000_000_000, 2_000_000_000 * 0.07),  # 7% beats EUR 35m
        ("large", 100_000_000, 35_000_000),  # fixed amount is higher
        ("small", 100_000_000, 7_000_000),  # SMEs: the lower of the two
    ],
)
def test_art5_penalty_exposure(size, turnover, expected):
    p = profile_from_dict(
        {
            "id": "x",
            "name": "X",
            "markets": ["EU"],
            "roles": ["provider"],
            "organisation": {"size": size, "annual_turnover_eur": turnover, "kind": "private"},
            "technique": {"infers_from_inputs": True},
            "context": {"exclusive_purpose": "none"},
            "lifecycle": {"status": "on_market"},
            "uses": ["social-scoring"],
            "practices": {"social_score_detrimental": True},
        }
    )
    a = assess(p, D(2026, 11, 27), jurisdictions=["EU"])
    eu = next(i for i in a.instruments if i.id == "eu-ai-act")
    tier = next(t for t in eu.penalties if t.penalty_id == "eu-ai-act.art99.3")
    assert tier.max_amount == pytest.approx(expected)


def test_unverified_rules_are_flagged_for_review():
    a = assess(example("cv-screener"), D(2026, 11, 27))
    flagged = [f for f in a.findings() if f.needs_review]
    rs = load_rules()
    assert all(
        rs.rules[f.rule_id].confidence == "unverified"
        or rs.instrument_of(f.rule_id).confidence == "unverified"
        for f in flagged
    )
    eu = next(i for i in a.instruments if i.id == "eu-ai-act")
    assert set(eu.needs_review) <= {f.rule_id for f in flagged}


def test_all_examples_assess(ruleset):
    from tests.conftest import EXAMPLES

    names = sorted(p.stem for p in EXAMPLES.glob("*.yaml"))
    assert len(names) >= 12
    for name in names:
        a = assess(example(name), D(2026, 11, 27), ruleset=ruleset)
        assert a.instruments


def test_compiled_closures_agree_with_reference_evaluation(ruleset):
    """The fast path must give exactly the reference evaluator's values, on random profiles."""
    import random

    from accord import vocabulary
    from accord.engine.evaluate import FactsByInstrument, evaluate_all, lookup_in
    from accord.profile.fields import facts, profile_fields
    from accord.questionnaire.session import set_path
    from accord.rules import conditions as c

    rng = random.Random(11)
    uses = list(vocabulary.use_cases())
    markets = ["EU", "DE", "US", "US-NY-NYC", "US-CO", "US-CA", "KR", "CN", "IN", "GB"]
    for i in range(60):
        data = {"id": f"r{i}", "name": "R"}
        for path, spec in profile_fields().items():
            if path == "controls.implemented" or rng.random() < 0.4:
                continue
            if spec.kind == "bool":
                value = rng.random() < 0.5
            elif spec.kind == "choice":
                value = rng.choice(spec.choices)
            elif spec.kind == "choices":
                value = rng.sample(spec.choices, k=rng.randint(0, 2))
            elif spec.kind == "codes":
                value = rng.sample(uses if path == "uses" else markets, k=rng.randint(1, 3))
            elif spec.kind == "number":
                value = 10 ** rng.uniform(5, 27)
            elif spec.kind == "integer":
                value = rng.randint(spec.minimum or 0, spec.maximum or 10**7)
            elif spec.kind == "date":
                value = D(2024, 1, 1) + dt.timedelta(days=rng.randint(0, 1500))
            else:
                value = rng.choice(markets) if spec.vocabulary else "x"
            set_path(data, path, value)
        f = facts(profile_from_dict(data))
        as_of = D(2026, 11, 27) if i % 2 else D(2026, 5, 1)
        strict = i % 3 == 0  # both evaluation modes, with and without presumptions
        states = evaluate_all(ruleset, f, as_of, strict=strict)
        facts_for = FactsByInstrument(ruleset, f, strict)

        lookup = lookup_in(states, as_of)

        for rid, st in states.items():
            if st.in_force:
                inst = facts_for(ruleset.compiled[rid].instrument.id)
                ref = c.evaluate(ruleset.compiled[rid].effective, inst.values, lookup, inst.mode)
                assert st.value is ref.value, (rid, strict, data)
                # The compiled provenance pass names the same presumptions as the reference.
                assert st.assumed == ref.assumed, (rid, strict, data)
