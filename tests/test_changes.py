"""When the law moves (issue 10): changelogs, stale reviews, and the systems a change touches."""

from __future__ import annotations

import datetime as dt
import json

import yaml

from tests.conftest import EXAMPLES


def test_changelog_is_derived_from_dated_data(ruleset):
    from accord.changes import changes

    entries = changes(ruleset, dt.date(2026, 7, 1), dt.date(2026, 12, 31), ["eu-ai-act"])
    by_date = {(e.date, e.kind): e for e in entries}
    omnibus = by_date[(dt.date(2026, 7, 27), "amended")]
    assert "2026/1744" in omnibus.title and "eu-ai-act.art4.1.ai-literacy-support" in omnibus.rules
    art50 = by_date[(dt.date(2026, 8, 2), "applies")]
    assert "eu-ai-act.art50.1.ai-interaction-disclosure" in art50.rules
    # The Omnibus moved the high-risk duties before 2 Aug 2026 came: nothing started then.
    assert "eu-ai-act.art9" not in art50.rules
    assert (dt.date(2027, 12, 2), "applies") not in by_date  # outside the window asked for


def test_recorded_changes_are_listed_and_checked(tmp_path):
    import pytest

    from accord.changes import changes
    from accord.errors import RulebookError
    from accord.rules.loader import load_rules
    from tests.synthetic_rulebook import write_rulebook

    book = write_rulebook(tmp_path, 2)
    meta = yaml.safe_load((book / "instrument.yaml").read_text())
    meta["changes"] = [
        {
            "date": "2026-10-01",
            "kind": "court",
            "title": "A court stays the duty",
            "rules": ["synthetic.r1"],
            "url": "https://example.org/ruling",
        }
    ]
    (book / "instrument.yaml").write_text(yaml.safe_dump(meta))
    rs = load_rules([tmp_path])
    found = [e for e in changes(rs, dt.date(2026, 9, 1)) if e.instrument == "synthetic"]
    assert [(e.kind, e.rules) for e in found] == [("court", ["synthetic.r1"])]
    meta["changes"][0]["rules"] = ["synthetic.nope"]
    (book / "instrument.yaml").write_text(yaml.safe_dump(meta))
    with pytest.raises(RulebookError, match="not one of its rules"):
        load_rules([tmp_path])


def test_rules_changes_command(cli):
    r = cli(
        "rules",
        "changes",
        "--since",
        "2026-07-01",
        "--until",
        "2026-08-31",
        "-i",
        "eu-ai-act",
        "-f",
        "json",
    )
    assert r.exit_code == 0, r.stderr
    data = json.loads(r.stdout)
    assert {e["date"] for e in data} == {"2026-07-27", "2026-08-02"}
    bad = cli("rules", "changes", "--since", "2026-07-01", "-i", "eu-ai-ac")
    assert bad.exit_code == 2 and "did you mean 'eu-ai-act'" in bad.stderr


def test_stale_reviews(cli, ruleset):
    from accord.changes import stale

    newest = max(b.instrument.last_reviewed for b in ruleset.books)
    older = {b.instrument.id for b in ruleset.books if b.instrument.last_reviewed < newest}
    assert {s.instrument for s in stale(ruleset, 0, newest)} == older
    later = newest + dt.timedelta(days=400)
    assert len(stale(ruleset, 365, later)) == len(ruleset.books)
    r = cli("rules", "stale", "--days", "365", "--as-of", later.isoformat())
    assert r.exit_code == 1 and "not reviewed in the last 365 days" in r.stdout
    ok = cli("rules", "stale", "--days", "100000")
    assert ok.exit_code == 0


def test_changes_name_the_systems_they_touch(cli, tmp_path):
    r = cli(
        "changes",
        str(EXAMPLES / "cv-screener.yaml"),
        "--since",
        "2026-12-01",
        "--until",
        "2027-01-31",
        "-f",
        "json",
        "-q",
    )
    assert r.exit_code == 1, r.stderr  # a change touches the system
    data = json.loads(r.stdout)
    colorado = [i for i in data if i["change"]["instrument"] == "us-co-sb26-189"]
    assert colorado and colorado[0]["change"]["date"] == "2027-01-01"
    delta = {d["rule_id"]: d for i in colorado for d in i["deltas"]}
    assert delta["us-co-sb26-189.deployer.notice"]["before"] == "applies/upcoming"
    assert delta["us-co-sb26-189.deployer.notice"]["after"] == "applies/applicable"
    rules = [d["rule_id"] for i in colorado for d in i["deltas"]]
    assert len(rules) == len(set(rules))  # each rule reported once per day
    # A system outside Colorado is not touched by it.
    spam = cli(
        "changes",
        str(EXAMPLES / "spam-filter.yaml"),
        "--since",
        "2027-01-01",
        "--until",
        "2027-01-01",
        "-f",
        "json",
        "-q",
        "--exit-zero",
    )
    assert spam.exit_code == 0
    assert not [i for i in json.loads(spam.stdout) if i["change"]["instrument"] == "us-co-sb26-189"]


def test_no_duty_starts_under_a_repealed_law(ruleset):
    """Colorado's first AI Act was repealed on 14 May 2026, before its 30 June start date."""
    from accord.changes import changes

    entries = changes(ruleset, since=dt.date(2026, 1, 1), until=dt.date(2026, 12, 31))
    colorado = [e for e in entries if e.instrument == "us-co-sb24-205"]
    assert colorado and all(e.kind != "applies" for e in colorado)
    assert any(e.kind == "applies" for e in entries if e.instrument == "us-co-insurance-ai")
