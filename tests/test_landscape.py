"""`accord landscape`: the data file, its validation, and the needs-review flags in every format."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from accord.landscape import LandscapeError, load_landscape, view
from accord.rules.loader import builtin_rulebook_root

REQUIRED = {
    "EU",
    "US",
    "US-NY-NYC",
    "US-CO",
    "US-IL",
    "US-CA",
    "US-TX",
    "US-UT",
    "GB",
    "CN",
    "KR",
    "JP",
    "IN",
    "CA",
    "BR",
    "SG",
}
PARIS_CONFIRMED = {
    "France",
    "India",
    "China (mainland)",
    "Japan",
    "Australia",
    "Canada",
    "Brazil",
    "New Zealand",
    "Singapore",
    "Holy See",
    "European Union",
    "African Union Commission",
}


@pytest.fixture(scope="module")
def land():
    return load_landscape()


def _intl(land, inst_id: str):
    return next(x for x in land.international if x.id == inst_id)


def test_required_jurisdictions_with_sources(land):
    codes = [j.code for j in land.jurisdictions]
    assert set(codes) >= REQUIRED
    assert len(codes) == len(set(codes))
    for j in land.jurisdictions:
        assert j.sources and j.instruments, j.code
        for inst in j.instruments:
            assert inst.sources and all(s.url.startswith("http") for s in inst.sources)


def test_every_rulebook_appears_in_the_landscape(land):
    """A new rulebook must be placed in the landscape too, or the map drifts from the rules."""
    ids = {i.id for j in land.jurisdictions for i in j.instruments}
    ids |= {x.id for x in land.international}
    root = builtin_rulebook_root()
    rulebooks = {p.name for p in root.iterdir() if (p / "instrument.yaml").exists()}
    assert rulebooks <= ids, sorted(rulebooks - ids)


def test_regime_types(land):
    regime = {j.code: j.regime for j in land.jurisdictions}
    assert regime["EU"] == "binding_horizontal"
    assert regime["KR"] == "binding_horizontal"
    assert regime["GB"] == "principles"
    assert regime["JP"] == "promotion_only"
    assert regime["CN"] == "binding_sectoral"
    assert regime["US-NY-NYC"] == "binding_sectoral"


def test_paris_statement(land):
    paris = _intl(land, "paris-2025")
    assert not paris.binding
    assert {(p.code, p.confidence) for p in paris.non_signatories} == {
        ("US", "confirmed"),
        ("GB", "confirmed"),
    }
    confirmed = {p.name for p in paris.signatories if p.confidence == "confirmed"}
    assert confirmed == PARIS_CONFIRMED
    others = [p for p in paris.signatories if p.confidence != "confirmed"]
    assert others and all(p.confidence == "unverified" and p.needs_review for p in others)
    assert len({c.value for c in paris.counts}) > 1 and paris.conflicts  # the count conflict


def test_other_international_instruments(land):
    bletchley = _intl(land, "bletchley-2023")
    swiss = next(p for p in bletchley.signatories if p.code == "CH")
    assert swiss.confidence == "unverified" and swiss.needs_review
    coe = _intl(land, "coe-ai-convention")
    assert coe.binding and coe.kind == "treaty"
    assert coe.entry_into_force.state == "unconfirmed" and coe.entry_into_force.needs_review
    delhi = _intl(land, "new-delhi-2026")
    assert {p.code: p.confidence for p in delhi.signatories if p.code in ("US", "GB")} == {
        "US": "reported",
        "GB": "reported",
    }
    oecd = _intl(land, "oecd-ai-principles")
    assert [str(d.date) for d in oecd.dates] == ["2019-05-22", "2024-05-03"]
    assert str(_intl(land, "g7-hiroshima-code").dates[0].date) == "2023-10-30"


def test_view_filters_and_reports_stances(land):
    v = view(land, ["US-CA"])
    assert [j.code for j in v.jurisdictions] == ["US", "US-CA"]
    v = view(land, ["GB"])
    stance = {s.instrument: s.position for s in v.stances}
    assert stance["paris-2025"] == "did_not_sign"
    assert stance["new-delhi-2026"] == "signed"
    assert len(view(land).jurisdictions) == len(land.jurisdictions)


def test_loader_rejects_unknown_code_with_line(tmp_path: Path):
    bad = tmp_path / "landscape.yaml"
    bad.write_text(
        "prepared: 2026-11-27\nsources_until: mid-2026\njurisdictions:\n"
        "  - code: XX\n    regime: none\n    confidence: confirmed\n    summary: s\n"
        "    sources: [{title: t, url: 'https://example.org'}]\n"
        "    instruments:\n      - {id: x, title: t, kind: bill, binding: false, "
        "status: pending, confidence: confirmed, sources: [{title: t, url: 'https://e.org'}]}\n"
        "international: []\n",
        encoding="utf-8",
    )
    with pytest.raises(LandscapeError) as exc:
        load_landscape(bad)
    assert f"{bad}:4:" in str(exc.value) and "unknown jurisdiction code 'XX'" in str(exc.value)


def test_loader_rejects_bad_fields_with_line(tmp_path: Path):
    bad = tmp_path / "landscape.yaml"
    bad.write_text(
        "prepared: 2026-11-27\nsources_until: mid-2026\njurisdictions: []\ninternational:\n"
        "  - id: x\n    title: t\n    short_title: t\n    kind: declaration\n    binding: false\n"
        "    confidence: sure\n    dates: [{date: 2020-01-01, event: e, confidence: confirmed}]\n"
        "    sources: [{title: t, url: 'https://example.org'}]\n",
        encoding="utf-8",
    )
    with pytest.raises(LandscapeError) as exc:
        load_landscape(bad)
    assert f"{bad}:10:" in str(exc.value) and "confidence" in str(exc.value)


def test_text_flags_review_and_fits_80_columns(cli, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    r = cli("landscape")
    assert r.exit_code == 0, r.stderr
    lines = r.stdout.splitlines()
    assert not [line for line in lines if len(line) > 80]
    assert "needs review" in r.stdout
    assert any("Switzerland" in line for line in lines)
    flat = " ".join(r.stdout.split())
    assert "Entry into force: UNCONFIRMED whether in force." in flat
    assert "until verified. [needs review]" in flat
    paris = r.stdout[r.stdout.index("Paris AI Action Summit statement (2025) (") :]
    assert "Did not sign:" in paris and "United States" in paris and "United Kingdom" in paris
    assert "not signed by US, GB" in flat
    for line in lines:  # every flagged line carries the whole flag
        assert not line.rstrip().endswith("[needs")


def test_markdown_flags_review_and_tables_are_consistent(cli):
    r = cli("landscape", "--format", "markdown")
    assert r.exit_code == 0, r.stderr
    assert "**[needs review]**" in r.stdout
    block: list[str] = []
    for line in [*r.stdout.splitlines(), ""]:
        if line.startswith("|"):
            block.append(line)
            continue
        if block:
            counts = {len(re.findall(r"(?<!\\)\|", row)) for row in block}
            assert len(counts) == 1, block
            block = []
    assert "https://www.computerweekly.com/" in r.stdout  # sources are shown


def test_json_has_schema_and_review_fields(cli):
    r = cli("landscape", "--format", "json")
    assert r.exit_code == 0, r.stderr
    data = json.loads(r.stdout)
    assert data["schema_version"] == "1.0"
    intl = {x["id"]: x for x in data["international"]}
    assert intl["coe-ai-convention"]["entry_into_force"]["needs_review"] is True
    assert {p["code"] for p in intl["paris-2025"]["non_signatories"]} == {"US", "GB"}
    flagged = [p for p in intl["paris-2025"]["signatories"] if p["needs_review"]]
    assert flagged and all(p["confidence"] == "unverified" for p in flagged)
    assert all(p["needs_review"] is False for p in intl["paris-2025"]["non_signatories"])


def test_jurisdiction_option(cli):
    r = cli("landscape", "--jurisdiction", "GB", "--format", "json")
    data = json.loads(r.stdout)
    assert [j["code"] for j in data["jurisdictions"]] == ["GB"]
    paris = next(s for s in data["stances"] if s["instrument"] == "paris-2025")
    assert paris["position"] == "did_not_sign"


def test_unknown_jurisdiction_exits_2(cli):
    r = cli("landscape", "--jurisdiction", "XX")
    assert r.exit_code == 2
    assert "unknown jurisdiction" in r.stderr and "Traceback" not in r.stderr
