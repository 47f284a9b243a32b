"""The laws added in issue 10, met the way users meet them: the bundled examples give definite
answers on the day, move with the date, and show up in `accord compare`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).parents[1] / "examples"


def assess(cli, example: str, as_of: str, *extra: str) -> dict:
    r = cli(
        "assess",
        str(EXAMPLES / f"{example}.yaml"),
        "--as-of",
        as_of,
        "-f",
        "json",
        "--exit-zero",
        *extra,
    )
    assert r.exit_code == 0, r.stderr
    return json.loads(r.stdout)


def verdict(data: dict, instrument: str) -> dict:
    return next(v for v in data["verdict"] if v["instrument"] == instrument)


def outcome(data: dict, rule_id: str) -> tuple[str, str]:
    for inst in data["instruments"]:
        for kind in ("classifications", "prohibitions", "obligations"):
            for f in inst[kind]:
                if f["rule_id"] == rule_id:
                    return f["outcome"], f["status"]
    raise AssertionError(f"{rule_id} not listed")


def test_companion_chatbot_gets_sb243_and_ai_act_disclosure(cli):
    now = assess(cli, "companion-chatbot", "2026-11-29")
    sb243 = verdict(now, "us-ca-sb243")
    assert sb243["in_scope"] == "applies" and "companion chatbot" in sb243["classes"]
    assert sb243["duties_now"] >= 6 and sb243["duties_possible"] == 0
    assert outcome(now, "eu-ai-act.art50.1.ai-interaction-disclosure")[0] == "applies"
    # HB 452 covers mental-health chatbots only: a companion app is not one.
    assert verdict(now, "us-ut-hb452")["in_scope"] == "does_not_apply"
    assert not now["open_questions"], now["open_questions"]
    before = assess(cli, "companion-chatbot", "2025-12-01")
    assert verdict(before, "us-ca-sb243")["duties_now"] == 0
    assert verdict(before, "us-ca-sb243")["duties_upcoming"] >= 6
    assert str(verdict(before, "us-ca-sb243")["next_date"]) == "2026-01-01"


def test_sb243_damages_are_a_floor_not_a_maximum(cli):
    data = assess(cli, "companion-chatbot", "2026-11-29", "-j", "US-CA")
    sb243 = next(i for i in data["instruments"] if i["id"] == "us-ca-sb243")
    (tier,) = sb243["penalties"]
    assert tier["max_amount"] is None
    assert tier["formula"] == "at least USD 1,000 per violation, no maximum"
    text = cli("assess", str(EXAMPLES / "companion-chatbot.yaml"), "-j", "US-CA", "--exit-zero")
    assert "no maximum" in text.stdout


def test_frontier_model_under_raise_from_2027(cli):
    now = assess(cli, "frontier-model-ny", "2026-11-29")
    raise_act = verdict(now, "us-ny-raise")
    assert raise_act["in_scope"] == "applies"
    assert raise_act["duties_now"] == 0 and raise_act["duties_upcoming"] >= 5
    assert str(raise_act["next_date"]) == "2027-01-01"
    later = verdict(assess(cli, "frontier-model-ny", "2027-02-01"), "us-ny-raise")
    assert "large frontier developer" in later["classes"]
    assert later["duties_now"] >= 5 and later["duties_possible"] == 0
    assert verdict(now, "us-ca-sb53")["duties_now"] > 0
    assert "GPAI model with systemic risk" in verdict(now, "eu-ai-act")["classes"]
    # A CV screener in New York City is not a frontier model: RAISE is out of scope.
    cv = assess(cli, "cv-screener", "2027-02-01")
    assert verdict(cv, "us-ny-raise")["in_scope"] == "does_not_apply"


def test_italian_employer_must_inform_workers(cli):
    now = assess(cli, "italian-employer", "2026-11-29")
    assert outcome(now, "it-law-132-2025.art11.2.worker-information") == ("applies", "applicable")
    assert verdict(now, "it-law-132-2025")["duties_possible"] == 0
    before = assess(cli, "italian-employer", "2025-09-01", "--all")
    assert outcome(before, "it-law-132-2025.art11.2.worker-information")[1] == "not_in_force"
    assert "high-risk from 2027-12-02" in verdict(now, "eu-ai-act")["classes"]


def test_uk_lending_decision_under_the_new_articles(cli):
    now = assess(cli, "loan-decision-uk", "2026-11-29")
    uk = verdict(now, "uk-duaa-adm")
    assert uk["duties_now"] == 4 and uk["duties_possible"] == 0
    old = assess(cli, "loan-decision-uk", "2025-06-01")
    assert verdict(old, "uk-duaa-adm")["text"] != uk["text"]


@pytest.mark.parametrize(
    ("placed", "expected"),
    [
        ("2025-03-01", "earlier product (1985 Directive still governs)"),
        ("2027-03-01", "strictly liable as manufacturer"),
    ],
)
def test_product_liability_follows_the_placement_date(cli, tmp_path, placed, expected):
    text = (EXAMPLES / "credit-scoring.yaml").read_text()
    profile = tmp_path / "p.yaml"
    profile.write_text(text.replace("placed_on_market: 2024-11-01", f"placed_on_market: {placed}"))
    r = cli("assess", str(profile), "--as-of", "2027-06-01", "-f", "json", "--exit-zero")
    assert r.exit_code == 0, r.stderr
    assert expected in verdict(json.loads(r.stdout), "eu-pld")["classes"]


@pytest.mark.parametrize(
    ("example", "jurisdiction", "instrument"),
    [
        ("companion-chatbot", "US-CA", "us-ca-sb243"),
        ("frontier-model-ny", "US-NY", "us-ny-raise"),
        ("italian-employer", "EU", "it-law-132-2025"),
    ],
)
def test_compare_shows_the_new_laws(cli, example, jurisdiction, instrument):
    r = cli("compare", str(EXAMPLES / f"{example}.yaml"), "--as-of", "2027-02-01", "-f", "json")
    assert r.exit_code == 0, r.stderr
    data = json.loads(r.stdout)
    shown = {
        i["id"]
        for c in data["columns"]
        for i in c["instruments"]
        if c["jurisdiction"] in (jurisdiction, "IT")
    }
    assert instrument in shown
    text = cli("compare", str(EXAMPLES / f"{example}.yaml"), "--as-of", "2027-02-01").stdout
    assert jurisdiction in text
