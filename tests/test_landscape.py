"""`accord landscape`: the data file, its validation, and the needs-review flags in every format."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest

from accord.landscape import LandscapeError, load_landscape, view
from accord.rules.loader import builtin_rulebook_root

TODAY = dt.date(2026, 11, 29)
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
    "IT",
    "VN",
    "KZ",
    "TW",
    "US-NY",
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
    regime = {j.code: j.regime for j in view(land, as_of=TODAY).jurisdictions}
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
    assert coe.entry_into_force.state == "not_in_force"
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
    assert "Entry into force: not in force. As of September 2026 only the EU" in flat
    assert "2023-12-18 published [needs review]" in flat
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
    assert data["schema_version"] == "1.1"
    intl = {x["id"]: x for x in data["international"]}
    assert intl["coe-ai-convention"]["entry_into_force"]["needs_review"] is False
    eu = next(p for p in intl["coe-ai-convention"]["signatories"] if p["code"] == "EU")
    assert eu["ratified"] == "2026-05-15" and data["as_of"]
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


def test_as_of_shows_the_world_of_that_day(land):
    """Instruments not yet made are left out; statuses and regimes are those of the day."""
    past = view(land, as_of=dt.date(2025, 6, 1))
    now = view(land, as_of=TODAY)

    def status(v, ident):
        return next(
            (i.status for j in v.jurisdictions for i in j.instruments if i.id == ident), None
        )

    assert status(past, "us-ca-sb53") is None and status(now, "us-ca-sb53") == "in_force"
    assert status(past, "kr-ai-basic-act") == "enacted"
    assert status(now, "kr-ai-basic-act") == "in_force"
    assert status(past, "us-co-sb24-205") == "enacted"
    assert status(now, "us-co-sb24-205") == "repealed"
    assert status(view(land, as_of=dt.date(2024, 6, 1)), "ca-aida") == "pending"
    assert status(past, "ca-aida") == status(now, "ca-aida") == "lapsed"
    texas = {j.code: j for j in past.jurisdictions}["US-TX"]
    assert texas.regime == "none" and not texas.instruments
    assert {j.code: j.regime for j in now.jurisdictions}["US-TX"] == "binding_horizontal"
    new_delhi = {x.id for x in past.international}
    assert "new-delhi-2026" not in new_delhi and "paris-2025" in new_delhi


def test_statuses_come_from_the_rulebooks(land):
    """An instrument without its own status shows its rulebook's status on every date."""
    from accord.rules.loader import load_rules

    ruleset = load_rules()
    checked = 0
    for day in (dt.date(2024, 1, 1), dt.date(2025, 6, 1), TODAY, dt.date(2027, 8, 1)):
        shown = {i.id: i for j in view(land, as_of=day).jurisdictions for i in j.instruments}
        for inst in ruleset.instruments.values():
            if inst.id == "eu-ai-act" or inst.id not in shown:
                continue
            _, expected, found = inst.status.at(day)
            if not found:
                continue
            if not inst.binding and expected == "in_force":
                expected = "voluntary"
            assert shown[inst.id].status == expected, (inst.id, day)
            checked += 1
    assert checked > 40


def test_an_instrument_needs_a_status_or_a_rulebook(tmp_path: Path):
    text = (Path(__file__).parents[1] / "src/accord/landscape/data/landscape.yaml").read_text()
    bad = tmp_path / "landscape.yaml"
    bad.write_text(
        text.replace("      - id: ca-aida\n", "      - id: ca-aida-2\n", 1).replace(
            "        status: {2022-06-16: pending, 2025-01-06: lapsed}\n", "", 1
        )
    )
    with pytest.raises(LandscapeError) as exc:
        load_landscape(bad)
    assert "'ca-aida-2' has no status and no rulebook" in str(exc.value)


def test_cli_as_of(cli):
    past = cli("landscape", "--as-of", "2025-06-01")
    now = cli("landscape", "--as-of", "2026-11-29")
    assert past.exit_code == now.exit_code == 0, past.stderr
    assert "as of 2025-06-01" in past.stdout and past.stdout != now.stdout
    assert "2026-01-22 in force with its Enforcement Decree [later]" in past.stdout
    assert (
        "[later]" not in now.stdout.split("2026-01-22 in force with its Enforcement Decree")[1][:8]
    )
    bad = cli("landscape", "--as-of", "2025-13-01")
    assert bad.exit_code == 2 and "not a date" in bad.stderr
    data = json.loads(cli("landscape", "--as-of", "2025-06-01", "--format", "json").stdout)
    assert data["as_of"] == "2025-06-01"


def test_treaty_signatures_and_ratifications_follow_the_date(land):
    """The EU's approval of the CoE convention (15 May 2026) shows only from that day."""

    def coe(day):
        found = [x for x in view(land, as_of=day).international if x.id == "coe-ai-convention"]
        return found[0] if found else None

    before, after = coe(dt.date(2026, 5, 14)), coe(dt.date(2026, 5, 15))
    eu_before = next(p for p in before.signatories if p.code == "EU")
    eu_after = next(p for p in after.signatories if p.code == "EU")
    assert eu_before.ratified is None and str(eu_after.ratified) == "2026-05-15"
    names = {p.name for p in coe(dt.date(2026, 1, 1)).signatories}
    assert "Armenia" not in names and "Canada" in names
    assert len(coe(TODAY).signatories) == 21 and len(coe(dt.date(2024, 9, 5)).signatories) == 10
    assert [c.value for c in coe(dt.date(2025, 6, 1)).counts] == [10]
    assert coe(dt.date(2024, 1, 1)) is None  # not yet adopted


def test_g7_code_is_endorsed_not_signed(land, cli):
    g7 = _intl(land, "g7-hiroshima-code")
    assert g7.participation == "endorsement" and not g7.binding
    stance = {s.instrument: s.position for s in view(land, ["JP"], as_of=TODAY).stances}
    assert stance["g7-hiroshima-code"] == "endorsed" and stance["coe-ai-convention"] == "signed"
    out = " ".join(cli("landscape", "-j", "JP").stdout.split())
    assert "Endorsed by:" in out and "Japan (endorsed 2023-10-30" in out
    assert "g7-hiroshima-code: endorsed" in out
