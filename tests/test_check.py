"""`accord check` (issue 11, item 4): the CI gate, its policies, exit codes and outputs.

Oracles: the official SARIF 2.1.0 JSON schema (tests/data, from oasis-tcs/sarif-spec), the
profile files themselves for line numbers, `accord assess -f json` for what each policy must
catch, XML parsing for JUnit, and pre-commit itself for the hook definition.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
import yaml

from tests.conftest import EXAMPLES, ROOT
from tests.helpers import input_error, write

DATE = "2026-11-29"
SCHEMA = Path(__file__).parent / "data" / "sarif-schema-2.1.0.json"
ALL = "prohibited,unmet-now,unmet-within:90d,needs-review,possible"


def ex(name: str) -> str:
    return str(EXAMPLES / f"{name}.yaml")


def check_json(cli, *args: str) -> tuple[int, dict]:
    r = cli("check", *args, "--as-of", DATE, "-f", "json")
    assert r.exit_code in (0, 1), r.stderr
    return r.exit_code, json.loads(r.stdout)


def rules_of(doc: dict, policy: str) -> set[tuple[str, str]]:
    return {
        (s["id"], v["rule_id"])
        for s in doc["systems"]
        for v in s["violations"]
        if policy in v["policies"]
    }


def assessment(cli, name: str, *args: str) -> dict:
    r = cli("assess", ex(name), "--as-of", DATE, "-f", "json", "--exit-zero", *args)
    assert r.exit_code == 0, r.stderr
    return json.loads(r.stdout)


def findings(a: dict):
    for inst in a["instruments"]:
        for f in inst["classifications"] + inst["prohibitions"] + inst["obligations"]:
            yield inst, f


# --- policies: each triggers where the assessment says it must, and not elsewhere ---------


def test_prohibited_triggers_on_police_rbi_only(cli):
    code, doc = check_json(
        cli, ex("police-rbi"), ex("military-targeting"), "--fail-on", "prohibited"
    )
    assert code == 1
    assert rules_of(doc, "prohibited") == {
        ("police-rbi", "eu-ai-act.art5.1h.real-time-rbi-law-enforcement")
    }
    code, doc = check_json(
        cli, ex("military-targeting"), ex("spam-filter"), "--fail-on", "prohibited"
    )
    assert code == 0 and doc["passed"] and doc["summary"]["by_policy"] == {"prohibited": 0}


def test_unmet_now_matches_the_assessment_gaps_and_clears_with_controls(cli, tmp_path):
    a = assessment(cli, "cv-screener")
    gaps = {("cv-screener", f["rule_id"]) for _, f in findings(a) if f.get("gap")}
    assert len(gaps) >= 5
    code, doc = check_json(cli, ex("cv-screener"))  # the default policies
    assert code == 1
    assert [p["policy"] for p in doc["policies"]] == ["prohibited", "unmet-now"]
    assert rules_of(doc, "unmet-now") == gaps
    # Put one satisfying control in place for every gap: the gate passes.
    data = yaml.safe_load((EXAMPLES / "cv-screener.yaml").read_text())
    have = {c["id"] for c in data["controls"]}
    for _, f in findings(a):
        if f.get("gap") and not set(f["controls"]) & have:
            data["controls"].append({"id": f["controls"][0], "status": "implemented"})
            have.add(f["controls"][0])
    for c in data["controls"]:  # and every recorded control done recently
        c.update(status="implemented", date="2026-11-01")
        c.pop("evidence", None)
    fixed = write(tmp_path / "cv.yaml", yaml.safe_dump(data, sort_keys=False))
    code, doc = check_json(cli, fixed, "--fail-on", "unmet-now")
    assert code == 0, rules_of(doc, "unmet-now")


@pytest.mark.parametrize(("period", "caught"), [("30d", False), ("33d", True), ("5w", True)])
def test_unmet_within_has_an_exact_window(cli, period, caught):
    # Colorado's duties start on 2027-01-01, 33 days after DATE.
    a = assessment(cli, "cv-screener")
    expected = {
        ("cv-screener", f["rule_id"])
        for _, f in findings(a)
        if f["kind"] == "obligation"
        and f["outcome"] == "applies"
        and f["status"] == "upcoming"
        and f["applies_from"] <= "2027-01-01"
        and not f["controls_in_place"]
    }
    assert expected and all(r.startswith("us-co-") for _, r in expected)
    code, doc = check_json(cli, ex("cv-screener"), "--fail-on", f"unmet-within:{period}")
    got = rules_of(doc, f"unmet-within:{int(period[:-1]) * (7 if period[-1] == 'w' else 1)}d")
    assert got == (expected if caught else set())
    assert code == (1 if caught else 0)
    # The Colorado notice duty has its control in place: never caught.
    assert ("cv-screener", "us-co-sb26-189.deployer.notice") not in got


def test_needs_review_and_possible(cli):
    a = assessment(cli, "cv-screener")
    review = {("cv-screener", r) for inst in a["instruments"] for r in inst["needs_review"]}
    possible = {
        ("cv-screener", f["rule_id"])
        for _, f in findings(a)
        if f["kind"] in ("obligation", "prohibition")
        and f["binding"]
        and f["outcome"] == "possible"
        and f["status"] in ("applicable", "upcoming")
    }
    assert review and possible
    code, doc = check_json(
        cli, ex("cv-screener"), "--fail-on", "needs-review", "--fail-on", "possible"
    )
    assert code == 1
    assert rules_of(doc, "needs-review") == review
    assert rules_of(doc, "possible") == possible
    levels = {v["level"] for s in doc["systems"] for v in s["violations"]}
    assert levels <= {"warning", "note"}
    # Illinois alone: nothing unverified, nothing open.
    code, doc = check_json(
        cli, ex("cv-screener"), "-j", "US-IL", "--fail-on", "needs-review,possible"
    )
    assert code == 0 and doc["summary"]["violations"] == 0


def test_text_output_lines_and_summary(cli):
    r = cli("check", ex("cv-screener"), ex("police-rbi"), "--as-of", DATE, "--fail-on", ALL)
    assert r.exit_code == 1
    lines = r.stdout.splitlines()
    assert lines[-1].startswith("FAIL: 2 of 2 system(s) fail;")
    for name in ("prohibited 1", "unmet-now", "unmet-within:90d", "needs-review", "possible"):
        assert name in lines[-1]
    violation_lines = [x for x in lines if x.startswith("  ")]
    _, doc = check_json(cli, ex("cv-screener"), ex("police-rbi"), "--fail-on", ALL)
    assert len(violation_lines) == doc["summary"]["violations"]  # one line each, never wrapped
    assert any(x.startswith("  error examples/") or "police-rbi.yaml:8:" in x for x in lines)


# --- SARIF -----------------------------------------------------------------------------------


def sarif_validator():
    import jsonschema

    schema = json.loads(SCHEMA.read_text())
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def test_sarif_is_valid_and_points_at_the_triggering_line(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    out = tmp_path / "accord.sarif"
    r = cli("check", "examples", "--as-of", DATE, "--fail-on", ALL, "-f", "sarif", "-o", str(out))
    assert r.exit_code == 1
    log = json.loads(out.read_text())
    errors = list(sarif_validator().iter_errors(log))
    assert not errors, [e.message for e in errors[:3]]
    (run,) = log["runs"]
    rules = {rule["id"]: rule for rule in run["tool"]["driver"]["rules"]}
    assert {res["ruleId"] for res in run["results"]} == set(rules)
    files: dict[Path, tuple[list[str], dict]] = {}
    for res in run["results"]:
        rule = rules[res["ruleId"]]
        assert run["tool"]["driver"]["rules"][res["ruleIndex"]] is rule
        assert rule["properties"]["citation"] and rule["properties"]["jurisdiction"]
        assert rule["properties"]["confidence"] in ("confirmed", "reported", "unverified")
        assert res["level"] in ("error", "warning", "note")
        loc = res["locations"][0]["physicalLocation"]
        path = ROOT / loc["artifactLocation"]["uri"]
        assert loc["artifactLocation"]["uri"].startswith("examples/")
        if path not in files:
            files[path] = (path.read_text().splitlines(), yaml.safe_load(path.read_text()))
        lines, profile = files[path]
        line = lines[loc["region"]["startLine"] - 1]
        field = res["properties"]["field"]
        value = profile
        for part in field.split("."):
            value = value.get(part) if isinstance(value, dict) else None
        last = field.split(".")[-1]
        items = value if isinstance(value, list) else []
        # The line really holds that field: its key, or (block lists) the item that matched.
        assert f"{last}:" in line or (
            line.lstrip().startswith("- ") and any(str(i) in line for i in items)
        ), (res["ruleId"], field, line)
        column = loc["region"]["startColumn"]
        at = line[column - 1 :]  # the key, or the list item that made the test hold
        assert at.startswith((last, "- ")) or any(at.startswith(str(i)) for i in items), at
    police = [
        r
        for r in run["results"]
        if r["ruleId"] == "eu-ai-act.art5.1h.real-time-rbi-law-enforcement"
    ]
    assert len(police) == 1 and police[0]["level"] == "error"
    assert police[0]["properties"]["field"] in (
        "technique.remote_biometric_identification",
        "uses",
    )
    assert "Prohibited practice" in police[0]["message"]["text"]
    assert "prohibited" in police[0]["message"]["text"]


def test_sarif_fingerprints_are_stable_when_the_file_moves_around(cli, tmp_path):
    text = (EXAMPLES / "cv-screener.yaml").read_text()
    path = tmp_path / "cv-screener.yaml"
    path.write_text(text)
    for sub in ("audits",):
        shutil.copytree(EXAMPLES / sub, tmp_path / sub)

    def run() -> dict[str, tuple[str, int]]:
        r = cli("check", str(path), "--as-of", DATE, "-f", "sarif")
        log = json.loads(r.stdout)
        return {
            x["ruleId"]: (
                x["partialFingerprints"]["accordSystemRule/v1"],
                x["locations"][0]["physicalLocation"]["region"]["startLine"],
            )
            for x in log["runs"][0]["results"]
        }

    before = run()
    path.write_text("# a comment\n# another\n" + text)
    after = run()
    assert before.keys() == after.keys()
    assert len({fp for fp, _ in before.values()}) == len(before)  # one per rule
    for rule, (fp, line) in before.items():
        assert after[rule] == (fp, line + 2)


def test_sarif_for_registry_systems_uses_a_logical_location(ruleset):
    import datetime as dt

    from accord.gate import check, parse_policies
    from accord.gate.sarif import render
    from accord.inventory import System
    from tests.conftest import example

    system = System(profile=example("cv-screener"), path=None, version=3)
    result = check([system], parse_policies([ALL]), dt.date(2026, 11, 29), ruleset=ruleset)
    log = render(result, base=ROOT, registry="postgresql+psycopg://me:secret@127.0.0.1:5432/test")
    assert not list(sarif_validator().iter_errors(log))
    results = log["runs"][0]["results"]
    assert results
    for res in results:
        (loc,) = res["locations"]
        assert "physicalLocation" not in loc
        name = loc["logicalLocations"][0]["fullyQualifiedName"]
        assert name == "registry://127.0.0.1:5432/test/cv-screener@3"
        assert "secret" not in json.dumps(res)


# --- JUnit -----------------------------------------------------------------------------------


def test_junit_has_a_case_per_system_and_law_in_scope(cli, tmp_path):
    out = tmp_path / "junit.xml"
    names = ["cv-screener", "police-rbi", "military-targeting"]
    r = cli("check", *map(ex, names), "--as-of", DATE, "-f", "junit", "-o", str(out))
    assert r.exit_code == 1 and r.stdout == ""
    root = ET.parse(out).getroot()
    assert root.tag == "testsuites"
    suites = {s.get("name"): s for s in root.findall("testsuite")}
    assert list(suites) == names
    _, doc = check_json(cli, *map(ex, names))
    total = failed = 0
    for name in names:
        a = assessment(cli, name)
        in_scope = [i for i in a["instruments"] if i["in_scope"] != "does_not_apply"]
        cases = suites[name].findall("testcase")
        assert len(cases) == len(in_scope) == int(suites[name].get("tests"))
        (system,) = [s for s in doc["systems"] if s["id"] == name]
        failing = {v["instrument"] for v in system["violations"]}
        got = {c.get("classname").split(".", 1)[1] for c in cases if c.find("failure") is not None}
        assert got == failing
        assert int(suites[name].get("failures")) == len(failing)
        for case in cases:
            failure = case.find("failure")
            if failure is not None:
                for v in system["violations"]:
                    if v["instrument"] == case.get("classname").split(".", 1)[1]:
                        assert v["rule_id"] in failure.get("message")
        total += len(cases)
        failed += len(failing)
    assert int(root.get("tests")) == total and int(root.get("failures")) == failed
    assert int(suites["military-targeting"].get("failures")) == 0


# --- inputs, config, exit codes ----------------------------------------------------------------


def test_bad_input_exits_2_and_writes_nothing(cli, tmp_path):
    out = tmp_path / "report.sarif"
    cv = ex("cv-screener")
    input_error(cli("check", cv, "--fail-on", "prohibted", "-o", str(out)), "prohibited")
    input_error(cli("check", cv, "--fail-on", "unmet-within:soon", "-o", str(out)), "90d")
    input_error(cli("check", cv, "--fail-on", "unmet-within", "-o", str(out)), "unmet-within:90d")
    input_error(cli("check", cv, "--fail-on", "prohibited:3d", "-o", str(out)), "no argument")
    input_error(cli("check", str(tmp_path / "nope.yaml"), "-o", str(out)), "nope.yaml")
    bad = write(tmp_path / "bad.yaml", "id: x\nname: X\nmarkets: [EU]\nroles: [provder]\n")
    text = input_error(cli("check", bad, "-o", str(out), "-f", "sarif"), "bad.yaml:4")
    assert "provder" in text
    input_error(cli("check", cv, "--as-of", "tomorrow", "-o", str(out)), "YYYY-MM-DD")
    input_error(cli("check", cv, "-o", str(tmp_path / "no" / "dir.sarif")), "does not exist")
    input_error(cli("check", cv, "--registry"), "not both")
    assert not out.exists() and list(tmp_path.iterdir()) == [tmp_path / "bad.yaml"]


def test_without_paths_the_configured_inventory_and_fail_on_are_used(cli, tmp_path, monkeypatch):
    (tmp_path / "systems").mkdir()
    shutil.copy(EXAMPLES / "military-targeting.yaml", tmp_path / "systems" / "m.yaml")
    write(tmp_path / "accord.toml", 'inventory = ["systems"]\nfail_on = ["possible"]\n')
    monkeypatch.chdir(tmp_path)
    code, doc = check_json(cli)
    assert [p["policy"] for p in doc["policies"]] == ["possible"]
    assert [s["id"] for s in doc["systems"]] == ["military-targeting"]
    # The command line wins over the config.
    code, doc = check_json(cli, "--fail-on", "prohibited")
    assert code == 0 and [p["policy"] for p in doc["policies"]] == ["prohibited"]
    write(tmp_path / "accord.toml", "")
    input_error(cli("check"), "inventory")


def test_registry_systems_are_checked_through_the_registry_api(cli, monkeypatch):
    """Wiring to `accord.registry.load_systems` (the registry helper's API), faked here so
    the gate's part is tested whatever the state of the registry."""
    import types

    from accord.inventory import System
    from tests.conftest import example

    fake = types.ModuleType("accord.registry")
    seen: dict = {}

    def resolve_url(cli_value=None, config_path=None):
        seen["url"] = cli_value
        return cli_value or "sqlite:///.accord/registry.db"

    def load_systems(url, as_of_version=None, ids=None):
        seen["loaded"] = url
        return [System(profile=example("police-rbi"), version=2)]

    fake.resolve_url = resolve_url  # type: ignore[attr-defined]
    fake.load_systems = load_systems  # type: ignore[attr-defined]
    import accord

    monkeypatch.setitem(sys.modules, "accord.registry", fake)
    monkeypatch.setattr(accord, "registry", fake, raising=False)  # if already imported
    r = cli("check", "--db", "sqlite:////tmp/r.db", "--as-of", DATE, "-f", "sarif")
    assert r.exit_code == 1 and seen == {
        "url": "sqlite:////tmp/r.db",
        "loaded": "sqlite:////tmp/r.db",
    }
    (res,) = [
        x
        for x in json.loads(r.stdout)["runs"][0]["results"]
        if x["level"] == "error" and "art5" in x["ruleId"]
    ]
    assert res["locations"][0]["logicalLocations"][0]["fullyQualifiedName"] == (
        "registry://tmp/r.db/police-rbi@2"
    )
    r = cli("check", "--registry", "--as-of", DATE)
    assert r.exit_code == 1 and "police-rbi@2" in r.stdout


# --- pre-commit ------------------------------------------------------------------------------


def test_pre_commit_hook_passes_a_good_profile_and_fails_a_bad_one(tmp_path):
    """The hook as defined in .pre-commit-hooks.yaml, run by pre-commit itself in a fresh git
    repository; `language: system` points it at this installation instead of building a new
    virtualenv (what `language: python` does for users), so it takes seconds."""
    pytest.importorskip("pre_commit")
    git = shutil.which("git")
    if git is None:
        pytest.skip("git is not installed")
    from pre_commit.clientlib import load_manifest

    (hook,) = load_manifest(str(ROOT / ".pre-commit-hooks.yaml"))
    assert hook["id"] == "accord-check" and hook["entry"] == "accord check"
    assert hook["language"] == "python" and hook["pass_filenames"] is True
    accord = Path(sys.executable).with_name("accord")
    assert accord.exists()
    repo = tmp_path / "repo"
    (repo / "systems").mkdir(parents=True)
    shutil.copy(EXAMPLES / "military-targeting.yaml", repo / "systems" / "good.yaml")
    shutil.copy(EXAMPLES / "police-rbi.yaml", repo / "systems" / "bad.yaml")
    (repo / "notes.yaml").write_text("not: a profile\n")  # outside `files`: never passed
    config = {
        "repos": [
            {
                "repo": "local",
                "hooks": [
                    {
                        **{k: hook[k] for k in ("id", "name", "files", "types", "pass_filenames")},
                        "entry": f"{accord} check",
                        "language": "system",
                        "args": ["--as-of", DATE],
                    }
                ],
            }
        ]
    }
    (repo / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config))
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "cache"), "NO_COLOR": "1"}
    env.pop("PRE_COMMIT_COLOR", None)

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*args], cwd=repo, env=env, capture_output=True, text=True, timeout=120, check=False
        )

    assert run(git, "init", "-q").returncode == 0
    assert run(git, "add", ".").returncode == 0
    pre_commit = [sys.executable, "-m", "pre_commit", "run", "--color", "never"]
    good = run(*pre_commit, "--files", "systems/good.yaml", "notes.yaml")
    assert good.returncode == 0, good.stdout + good.stderr
    assert "Passed" in good.stdout
    bad = run(*pre_commit, "--files", "systems/good.yaml", "systems/bad.yaml")
    assert bad.returncode == 1, bad.stdout + bad.stderr
    assert "Failed" in bad.stdout and "eu-ai-act.art5.1h" in bad.stdout
    assert "systems/bad.yaml:" in bad.stdout


def test_registry_and_folder_give_the_same_verdicts(cli, tmp_path):
    """End to end with the real registry (SQLite): the same profiles imported give the same
    violations as the folder they came from."""
    pytest.importorskip("sqlalchemy")
    from accord.cli.main import app

    if "registry" not in {g.name for g in app.registered_groups}:
        pytest.skip("the registry commands are not registered in this build")
    db = f"sqlite:///{tmp_path / 'r.db'}"
    names = ["cv-screener", "police-rbi"]
    for name in names:
        shutil.copy(EXAMPLES / f"{name}.yaml", tmp_path / f"{name}.yaml")
    shutil.copytree(EXAMPLES / "audits", tmp_path / "audits")
    r = cli(
        "registry",
        "import",
        str(tmp_path / "cv-screener.yaml"),
        str(tmp_path / "police-rbi.yaml"),
        "--db",
        db,
    )
    assert r.exit_code == 0, r.stderr
    _, folder = check_json(cli, *(str(tmp_path / f"{n}.yaml") for n in names), "--fail-on", ALL)
    _, reg = check_json(cli, "--registry", "--db", db, "--fail-on", ALL)
    for policy in ("prohibited", "unmet-now", "unmet-within:90d", "needs-review", "possible"):
        assert rules_of(reg, policy) == rules_of(folder, policy)
    assert [s["version"] for s in reg["systems"]] == [1, 1]


def test_ci_doc_examples_are_valid_and_name_every_policy():
    import re

    from accord.gate.policy import NAMES

    text = (ROOT / "docs" / "ci.md").read_text()
    blocks = [yaml.safe_load(b) for b in re.findall(r"```yaml\n(.*?)```", text, re.S)]
    workflow = next(b for b in blocks if isinstance(b, dict) and "jobs" in b)
    steps = workflow["jobs"]["check"]["steps"]
    upload = next(s for s in steps if str(s.get("uses", "")).startswith("github/codeql"))
    assert upload["uses"].startswith("github/codeql-action/upload-sarif@")
    run = next(s["run"] for s in steps if "accord check" in str(s.get("run")))
    assert f"-o {upload['with']['sarif_file']}" in run and "-f sarif" in run
    assert workflow["permissions"]["security-events"] == "write"
    for name in NAMES:
        assert f"| `{name}" in text


def test_no_path_reads_the_registry_when_there_is_one(cli, tmp_path, monkeypatch):
    """Like `gaps` and `portfolio`: no path and no inventory folders means the registry."""
    monkeypatch.chdir(tmp_path)
    r = cli("check")
    assert r.exit_code == 2 and "no registry" in r.stderr and "registry import" in r.stderr
    assert not (tmp_path / ".accord").exists()  # looking never creates a database
    r = cli("registry", "import", str(EXAMPLES / "police-rbi.yaml"))
    assert r.exit_code == 0, r.stderr
    r = cli("check", "-f", "json")
    assert r.exit_code == 1, r.stderr
    failed = [s["id"] for s in json.loads(r.stdout)["systems"] if not s["passed"]]
    assert failed == ["police-rbi"]
