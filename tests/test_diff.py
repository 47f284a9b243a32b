"""`accord diff A B` and `accord.legaldiff`: what changed in the facts, and what that changes
legally.

Oracles: the assessments themselves (the duties an instrument imposed before and after) and
hand-made profile data for the fact diff.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil

import pytest
import yaml

from tests.conftest import EXAMPLES
from tests.helpers import input_error, write

AS_OF = "2026-11-29"


@pytest.fixture(autouse=True)
def _cache_in_tmp(tmp_path, monkeypatch):
    """Results cached by the commands go to a temporary folder, not the repository."""
    monkeypatch.setenv("ACCORD_CACHE_DIR", str(tmp_path / "cache"))


@pytest.fixture
def pair(tmp_path):
    """cv-screener and a copy that no longer serves New York City, side by side with the
    audit evidence both name."""
    shutil.copytree(EXAMPLES / "audits", tmp_path / "audits")
    before = tmp_path / "cv-screener.yaml"
    shutil.copy(EXAMPLES / "cv-screener.yaml", before)
    data = yaml.safe_load(before.read_text())
    data["markets"] = [m for m in data["markets"] if m != "US-NY-NYC"]
    after = tmp_path / "cv-no-nyc.yaml"
    after.write_text(yaml.safe_dump(data, sort_keys=False))
    return before, after


def test_dropping_nyc_removes_the_ll144_duties_and_says_so(cli, pair, ruleset):
    from accord.engine import assess
    from accord.profile import load_profile

    before, after = pair
    r = cli("diff", str(before), str(after), "--as-of", AS_OF)
    assert r.exit_code == 1, r.stderr
    assert "markets: - US-NY-NYC" in r.stdout
    assert "scope: in scope -> not in scope" in r.stdout
    # Oracle: every LL144 duty that applied before is listed as removed, and nothing else is
    a = assess(load_profile(before), AS_OF, ruleset=ruleset, explain=False)
    ll144 = next(i for i in a.instruments if i.id == "us-nyc-ll144")
    expected = {f.rule_id for f in ll144.obligations if f.outcome == "applies"}
    assert len(expected) >= 5
    flat = " ".join(r.stdout.split())  # the text output wraps long lines
    for rid in expected:
        assert f"[{rid}]" in flat
    assert flat.count("duty removed:") == len(expected)
    doc = json.loads(cli("diff", str(before), str(after), "--as-of", AS_OF, "-f", "json").stdout)
    assert doc["facts"] == [
        {"path": "markets", "change": "removed", "old": "US-NY-NYC", "new": None}
    ]
    legal = doc["legal"]
    assert legal["changed"] is True
    assert [d["instrument"] for d in legal["instruments"]] == ["us-nyc-ll144"]
    nyc = legal["instruments"][0]
    assert {d["rule_id"] for d in nyc["duties"]} == expected
    assert {d["change"] for d in nyc["duties"]} == {"lost"}
    assert nyc["scope_before"] == "applies" and nyc["scope_after"] == "does_not_apply"
    assert [c["label"] for c in nyc["classes"]] == ["AEDT"]
    assert nyc["exposure"]["after"] is None and nyc["exposure"]["before"] > 0
    # and the other way round, the same duties are gained
    back = json.loads(cli("diff", str(after), str(before), "--as-of", AS_OF, "-f", "json").stdout)
    assert {d["change"] for d in back["legal"]["instruments"][0]["duties"]} == {"gained"}


def test_identical_profiles_have_no_legal_change(cli, pair):
    before, _ = pair
    r = cli("diff", str(before), str(before), "--as-of", AS_OF)
    assert r.exit_code == 0
    assert "Facts: no change" in r.stdout and "no legal change" in r.stdout.lower()


def test_reordered_lists_are_no_change(cli, pair, tmp_path):
    before, _ = pair
    data = yaml.safe_load(before.read_text())
    data["markets"] = list(reversed(data["markets"]))
    data["roles"] = list(reversed(data["roles"]))
    shuffled = write(tmp_path / "shuffled.yaml", yaml.safe_dump(data))
    r = cli("diff", str(before), shuffled, "--as-of", AS_OF, "-f", "json")
    assert r.exit_code == 0
    doc = json.loads(r.stdout)
    assert doc["facts"] == [] and doc["legal"]["changed"] is False


def test_a_new_control_is_coverage_not_a_legal_change(cli, pair, tmp_path):
    before, _ = pair
    data = yaml.safe_load(before.read_text())
    data["controls"].append({"id": "bias-audit-summary", "date": "2026-03-20"})
    covered = write(tmp_path / "covered.yaml", yaml.safe_dump(data))
    r = cli("diff", str(before), covered, "--as-of", AS_OF, "-f", "json")
    assert r.exit_code == 0
    doc = json.loads(r.stdout)
    assert doc["facts"][0]["path"] == "controls[bias-audit-summary]"
    assert doc["facts"][0]["change"] == "added"
    coverage = [c for d in doc["legal"]["instruments"] for c in d["coverage"]]
    assert {c["rule_id"] for c in coverage} == {
        "us-nyc-ll144.public-summary",
        "us-nyc-ll144.public-summary.retention",
    }
    assert all(c["gap_before"] and not c["gap_after"] for c in coverage)


def test_markdown_output(cli, pair):
    before, after = pair
    r = cli("diff", str(before), str(after), "--as-of", AS_OF, "-f", "markdown")
    assert r.exit_code == 1
    assert r.stdout.startswith("# ")
    assert "## Facts: 1 change(s)" in r.stdout
    assert "  - duty removed: " in r.stdout and "- - " not in r.stdout


def test_jurisdiction_filter_limits_the_legal_diff(cli, pair):
    before, after = pair
    r = cli("diff", str(before), str(after), "--as-of", AS_OF, "-j", "EU")
    assert r.exit_code == 0  # the facts changed, but nothing the EU rules care about
    assert "markets: - US-NY-NYC" in r.stdout


@pytest.mark.parametrize(
    ("args", "needles"),
    [
        (["missing.yaml", "{before}"], ["missing.yaml", "SYSTEM@VERSION"]),
        (["{before}", "{before}", "--as-of", "29/11/2026"], ["--as-of"]),
        (["{before}", "{before}", "-j", "ATLANTIS"], ["jurisdiction"]),
        (["{before}"], ["Missing argument"]),
        (["{bad}", "{before}"], ["NOWHERE"]),
    ],
)
def test_bad_input_exits_two(cli, pair, tmp_path, args, needles):
    before, _ = pair
    bad = write(tmp_path / "bad.yaml", "id: x\nname: X\nmarkets: [NOWHERE]\n")
    argv = [a.format(before=before, bad=bad) for a in args]
    input_error(cli("diff", *argv), *needles)


def test_registry_versions(cli, pair, tmp_path, monkeypatch):
    """SYSTEM@N names a version in the registry (an SQLite file here)."""
    before, after = pair
    db = f"sqlite:///{tmp_path / 'reg.db'}"
    monkeypatch.setenv("ACCORD_DB", db)
    first = cli("registry", "import", str(before))
    assert first.exit_code == 0, first.stderr
    renamed = tmp_path / "v2" / "cv-screener.yaml"
    renamed.parent.mkdir()
    shutil.copy(after, renamed)
    assert cli("registry", "import", str(renamed)).exit_code == 0
    r = cli("diff", "cv-screener@1", "cv-screener@2", "--as-of", AS_OF, "-f", "json")
    assert r.exit_code == 1, r.stderr
    doc = json.loads(r.stdout)
    assert {"path": "markets", "change": "removed", "old": "US-NY-NYC", "new": None} in doc["facts"]
    assert doc["legal"]["instruments"][0]["instrument"] == "us-nyc-ll144"
    # one of each: a file against a version
    mixed = cli("diff", str(after), "cv-screener@2", "--as-of", AS_OF, "-f", "json")
    assert json.loads(mixed.stdout)["legal"]["changed"] is False
    input_error(cli("diff", "cv-screener@1", "cv-screener@7"), "7")
    input_error(cli("diff", "cv-screenr@1", str(before)), "cv-screener")


# --- the pure functions ------------------------------------------------------------------


def test_fact_diff_sets_and_keyed_lists():
    from accord.legaldiff import fact_diff

    a = {
        "id": "x",
        "markets": ["EU", "KR"],
        "controls": [{"id": "bias-audit", "date": "2025-03-01"}, {"id": "human-oversight"}],
        "organisation": {"size": "small"},
    }
    b = {
        "id": "x",
        "markets": ["KR", "EU", "US-CO"],
        "controls": [{"id": "human-oversight"}, {"id": "bias-audit", "date": "2026-03-15"}],
        "organisation": {"size": "large", "name": "Co"},
    }
    got = [(c.path, c.change, c.old, c.new) for c in fact_diff(a, b)]
    assert got == [
        ("markets", "added", None, "US-CO"),
        ("controls[bias-audit].date", "changed", "2025-03-01", "2026-03-15"),
        ("organisation.size", "changed", "small", "large"),
        ("organisation.name", "added", None, "Co"),
    ]
    assert fact_diff(a, a) == []


def test_legal_diff_shows_duties_moving_from_upcoming_to_now(ruleset):
    """The same profile on two dates: Colorado's duties start on 2027-01-01 (in the data)."""
    from accord.engine import assess
    from accord.legaldiff import legal_diff
    from accord.profile import load_profile

    p = load_profile(EXAMPLES / "cv-screener.yaml")
    early = assess(p, "2026-11-29", ruleset=ruleset, explain=False)
    late = assess(p, "2027-01-02", ruleset=ruleset, explain=False)
    d = legal_diff(early, late)
    assert d.changed
    co = next(i for i in d.instruments if i.instrument == "us-co-sb26-189")
    moved = [c for c in co.duties if c.change == "moved"]
    assert moved
    for c in moved:
        assert c.before is not None and c.after is not None
        assert (c.before.status, c.after.status) == ("upcoming", "applicable")
        assert c.before.applies_from == c.after.applies_from == dt.date(2027, 1, 1)
    assert legal_diff(early, early).changed is False
