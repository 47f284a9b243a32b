"""Carve-outs that exist only in some versions of a law (issue 10): `in_versions`."""

from __future__ import annotations

import datetime as dt

import yaml

from tests.synthetic_rulebook import write_rulebook


def _book_with_versioned_exception(tmp_path):
    book = write_rulebook(tmp_path, 1)
    meta = yaml.safe_load((book / "instrument.yaml").read_text())
    meta["status"] = {"2024-01-01": "in_force"}
    (book / "instrument.yaml").write_text(yaml.safe_dump(meta))
    rules = yaml.safe_load((book / "rules.yaml").read_text())["rules"]
    duty = rules[1]
    duty["unless"] = [
        {
            "id": "inserted-exception",
            "title": "an exception an amendment of 2026-07-27 inserted",
            "when": {"field": "technique.open_source", "is": True},
            "in_versions": {"2024-01-01": False, "2026-07-27": True},
        }
    ]
    (book / "rules.yaml").write_text(yaml.safe_dump({"rules": rules}))
    return tmp_path


def test_an_inserted_exception_applies_only_from_its_version(tmp_path):
    from accord.engine import assess
    from accord.profile import profile_from_dict
    from accord.rules.loader import load_rules

    rs = load_rules([_book_with_versioned_exception(tmp_path)])
    profile = profile_from_dict(
        {
            "id": "x",
            "name": "X",
            "markets": ["EU"],
            "roles": ["provider"],
            "technique": {"interacts_with_people": True, "open_source": True},
        }
    )

    def outcome(day: dt.date) -> str:
        a = assess(profile, day, ruleset=rs, jurisdictions=["EU"])
        return next(f for f in a.findings() if f.rule_id == "synthetic.r0").outcome

    assert outcome(dt.date(2026, 7, 26)) == "applies"  # the exception is not in the law yet
    assert outcome(dt.date(2026, 7, 27)) == "does_not_apply"  # inserted: it now excepts
    a = assess(profile, dt.date(2026, 11, 29), ruleset=rs, jurisdictions=["EU"])
    finding = next(f for f in a.findings() if f.rule_id == "synthetic.r0")
    assert "inserted-exception" in (finding.carve_out or "")
    assert any("on or after 2026-07-27" in line for line in finding.trace)


def test_versions_must_be_true_or_false(tmp_path):
    import pytest
    from pydantic import ValidationError

    from accord.rules.model import CarveOut

    with pytest.raises(ValidationError, match="true or false"):
        CarveOut.model_validate(
            {
                "id": "c",
                "title": "C",
                "when": {"field": "technique.open_source", "is": True},
                "in_versions": {"2024-01-01": "yes"},
            }
        )
