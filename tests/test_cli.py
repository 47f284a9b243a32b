"""The CLI end to end: formats, exit codes, schema and vocab (init: tests/test_init.py)."""

from __future__ import annotations

import json

import yaml

from tests.conftest import EXAMPLES


def test_assess_text_readable_in_80_columns(cli, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    r = cli("assess", str(EXAMPLES / "cv-screener.yaml"), "--as-of", "2026-11-27")
    assert r.exit_code == 1, r.stderr  # findings: duties without a control in place
    assert "EU AI Act" in r.stdout
    assert "2027-12-02" in r.stdout
    assert max(len(line) for line in r.stdout.splitlines()) <= 80


def test_assess_json_follows_schema(cli):
    import jsonschema

    r = cli("assess", str(EXAMPLES / "cv-screener.yaml"), "--as-of", "2026-11-27", "-f", "json")
    assert r.exit_code == 1, r.stderr
    data = json.loads(r.stdout)
    from accord.engine.result import SCHEMA_VERSION

    assert data["schema_version"] == SCHEMA_VERSION
    assert data["as_of"] == "2026-11-27"
    schema = json.loads(cli("schema", "assessment").stdout)
    jsonschema.validate(data, schema)


def test_assess_markdown(cli):
    r = cli(
        "assess",
        str(EXAMPLES / "customer-chatbot.yaml"),
        "--as-of",
        "2026-11-27",
        "-f",
        "markdown",
        "-j",
        "EU",
        "--exit-zero",
    )
    assert r.exit_code == 0, r.stderr
    assert r.stdout.startswith("# Assessment: ShopHelp")
    assert "| Rule | Result | When | Citation |" in r.stdout
    assert "Art 50(1)" in r.stdout


def test_jurisdiction_filter(cli):
    r = cli(
        "assess",
        str(EXAMPLES / "cv-screener.yaml"),
        "--as-of",
        "2026-11-27",
        "-j",
        "EU",
        "-f",
        "json",
    )
    data = json.loads(r.stdout)
    # EU and the member-state laws within it (an EU-wide market includes Italy).
    assert {i["jurisdiction"] for i in data["instruments"]} == {"EU", "IT"}
    r = cli("assess", str(EXAMPLES / "cv-screener.yaml"), "-j", "IT", "-f", "json")
    assert {i["jurisdiction"] for i in json.loads(r.stdout)["instruments"]} == {"EU", "IT"}


def test_profile_schema_validates_every_example(cli):
    import jsonschema

    schema = json.loads(cli("schema", "profile").stdout)
    for path in EXAMPLES.glob("*.yaml"):
        data = yaml.safe_load(path.read_text())
        jsonschema.validate(json.loads(json.dumps(data, default=str)), schema)


def test_rules_list_show_lint_test(cli):
    r = cli("rules", "list", "--instrument", "eu-ai-act", "-f", "json")
    assert r.exit_code == 0
    rows = json.loads(r.stdout)
    assert any(row["id"] == "eu-ai-act.high-risk" for row in rows)
    r = cli("rules", "show", "eu-ai-act.high-risk.annex-iii")
    assert r.exit_code == 0 and "Art 6(3)" in r.stdout
    assert cli("rules", "lint").exit_code == 0
    r = cli("rules", "test", "-i", "eu-ai-act")
    assert r.exit_code == 0 and " 0 failed" in r.stdout


def test_vocab(cli):
    r = cli("vocab", "use-cases")
    assert r.exit_code == 0 and "employment.recruitment.screening" in r.stdout


def test_version(cli):
    r = cli("--version")
    assert r.exit_code == 0 and "accord" in r.stdout
