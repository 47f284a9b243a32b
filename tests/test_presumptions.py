"""Rebuttable presumptions: definite answers that list what they assume, and give way to facts."""

from __future__ import annotations

import datetime as dt
import json

from accord.engine import assess
from accord.engine.evaluate import FactsByInstrument, evaluate_all
from accord.profile import profile_from_dict
from accord.profile.fields import facts
from accord.rules.loader import load_rules

D = dt.date
AS_OF = D(2026, 11, 29)
CHATBOT = {
    "id": "bot",
    "name": "Shop chatbot",
    "markets": ["DE"],
    "roles": ["provider"],
    "uses": ["customer-service"],
    "technique": {"approach": ["machine_learning"], "interacts_with_people": True},
}


def finding(a, rule_id):
    return next(f for f in a.findings() if f.rule_id == rule_id)


def eu(a):
    return next(i for i in a.instruments if i.id == "eu-ai-act")


def test_plain_chatbot_is_definite_and_lists_its_assumptions():
    a = assess(profile_from_dict(CHATBOT), AS_OF, jurisdictions=["EU"])
    assert eu(a).in_scope == "applies"
    art50 = finding(a, "eu-ai-act.art50.1.ai-interaction-disclosure")
    assert art50.outcome == "applies"
    assert "eu-ai-act.art50.1.ai-interaction-disclosure#obvious-from-context" in art50.assumptions
    listed = {x.id: x for x in a.assumptions}
    obvious = listed["eu-ai-act.art50.1.ai-interaction-disclosure#obvious-from-context"]
    assert obvious.rebut == ["technique.ai_obvious"]
    assert "eu-ai-act.art50.1.ai-interaction-disclosure" in obvious.findings
    assert obvious.reason and obvious.citation
    # Every presumption a shown finding rests on is listed once, with the fields to rebut it.
    for f in a.findings():
        if f.outcome != "does_not_apply":
            assert set(f.assumptions) <= set(listed)


def test_strict_mode_reproduces_the_three_valued_view():
    a = assess(profile_from_dict(CHATBOT), AS_OF, jurisdictions=["EU"], strict=True)
    assert a.strict and not a.assumptions
    assert eu(a).in_scope == "possible"
    art50 = finding(a, "eu-ai-act.art50.1.ai-interaction-disclosure")
    assert art50.outcome == "possible" and not art50.assumptions
    assert "technique.ai_obvious" in art50.unknowns


def test_stating_the_fact_rebuts_the_presumption():
    data = {**CHATBOT, "technique": {**CHATBOT["technique"], "ai_obvious": True}}
    a = assess(profile_from_dict(data), AS_OF, jurisdictions=["EU"])
    art50 = finding(a, "eu-ai-act.art50.1.ai-interaction-disclosure")
    assert art50.outcome == "does_not_apply"
    assert "obvious from the context" in (art50.carve_out or "")
    assert not any(x.id.endswith("#obvious-from-context") for x in a.assumptions)
    military = {**CHATBOT, "context": {"exclusive_purpose": "military_defence_security"}}
    b = assess(profile_from_dict(military), AS_OF, jurisdictions=["EU"])
    assert eu(b).in_scope == "does_not_apply"
    assert "eu-ai-act.scope.excluded-military" not in {x.id for x in b.assumptions}


def test_a_finding_lists_only_presumptions_its_outcome_rests_on():
    """A duty that is off for a stated reason rests on no presumption, even if scope does."""
    a = assess(profile_from_dict(CHATBOT), AS_OF, jurisdictions=["EU"])
    art5f = finding(a, "eu-ai-act.art5.1f.emotion-recognition-work-education")
    assert art5f.outcome == "does_not_apply" and art5f.assumptions == []


def test_presume_unless_keeps_a_plausible_exception_open():
    data = {
        "id": "x",
        "name": "X",
        "markets": ["DE"],
        "roles": ["deployer"],
        "technique": {"approach": ["machine_learning"], "input_data": ["face"]},
        "uses": ["biometrics.emotion-recognition", "employment.management.monitoring"],
        "context": {"settings": ["workplace"]},
        "decisions": {"outputs_only_to_subject": False},
    }
    banned = assess(profile_from_dict(data), AS_OF, jurisdictions=["EU"])
    rule = "eu-ai-act.art5.1f.emotion-recognition-work-education"
    assert finding(banned, rule).outcome == "applies"
    # A safety use makes the medical-or-safety exception plausible: nothing is presumed.
    data["uses"] = [*data["uses"], "safety.workplace-hazards"]
    open_ = assess(profile_from_dict(data), AS_OF, jurisdictions=["EU"])
    assert finding(open_, rule).outcome == "possible"
    assert "context.medical_or_safety_purpose" in finding(open_, rule).unknowns


def test_fact_presumptions_apply_only_to_their_own_instrument():
    """EU profiling-by-nature fills decisions.profiling for EU rules only."""
    rs = load_rules()
    p = profile_from_dict(
        {"id": "x", "name": "X", "markets": ["DE", "CN"], "uses": ["credit.creditworthiness"]}
    )
    per = FactsByInstrument(rs, facts(p))
    assert per("eu-ai-act").values.get("decisions.profiling") is True
    assert per("eu-ai-act").mode.presumed["decisions.profiling"] == "eu-ai-act#profiling-by-nature"
    assert per("cn-algorithm-filing").values.get("decisions.profiling") is None


def test_disagreeing_inferences_cancel_and_leave_the_fact_open():
    rs = load_rules()
    p = profile_from_dict(
        {
            "id": "x",
            "name": "X",
            "uses": ["product.non-safety-function"],
            "product_safety": {"safety_component": True},
        }
    )
    per = FactsByInstrument(rs, facts(p))
    assert "product_safety.only_non_safety_aspects" not in per("eu-ai-act").values


def test_assumptions_appear_in_every_output_format(cli, tmp_path):
    import yaml

    path = tmp_path / "bot.yaml"
    path.write_text(yaml.safe_dump(CHATBOT), encoding="utf-8")
    text = cli("assess", str(path), "-j", "EU", "--as-of", "2026-11-29", "--exit-zero")
    assert text.exit_code == 0, text.stderr
    assert "Assumptions" in text.stdout and "Assuming it is not obvious" in text.stdout
    md = cli("assess", str(path), "-j", "EU", "--as-of", "2026-11-29", "-f", "markdown")
    assert "## Assumptions" in md.stdout and "`technique.ai_obvious`" in md.stdout
    js = json.loads(cli("assess", str(path), "-j", "EU", "-f", "json").stdout)
    assert js["strict"] is False and js["assumptions"]
    keys = {"id", "assumption", "reason", "rebut", "findings"}
    assert all(keys <= set(x) for x in js["assumptions"])
    strict = json.loads(cli("assess", str(path), "-j", "EU", "-f", "json", "--strict").stdout)
    assert strict["strict"] is True and strict["assumptions"] == []
    assert "Strict mode" in cli("assess", str(path), "-j", "EU", "--strict").stdout


def test_presumptions_never_change_a_strictly_definite_outcome():
    """Presuming only fills unknowns: whatever strict logic decides stays decided."""
    rs = load_rules()
    for name in ("cv-screener", "customer-chatbot", "police-rbi", "frontier-llm"):
        from tests.conftest import example

        f = facts(example(name))
        strict = evaluate_all(rs, f, AS_OF, strict=True)
        presuming = evaluate_all(rs, f, AS_OF)
        for rid, st in strict.items():
            if st.value is not None:
                assert presuming[rid].value is st.value, (name, rid)
