"""`accord compare`: the theme × jurisdiction matrix, its differences and its three formats.

The first group builds a comparison from a hand-made assessment, so the regrouping logic is
tested independently of the rulebooks. The second group runs the real CLI on the examples;
those assertions depend on the rulebooks' content (NYC LL144, Colorado SB26-189, Illinois
HB 3773, EU AI Act, Korea AI Basic Act) and say so in their names.
"""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest

from accord.compare.matrix import CORE_THEMES, compare
from accord.engine.result import Assessment, Finding, InstrumentResult, PenaltyExposure
from tests.conftest import EXAMPLES

AS_OF = "2026-11-27"
CV = str(EXAMPLES / "cv-screener.yaml")
LLM = str(EXAMPLES / "frontier-llm.yaml")


# --- regrouping logic on a synthetic assessment ---------------------------------------------


def _finding(
    rule_id: str,
    theme: str,
    *,
    kind: str = "obligation",
    outcome: str = "applies",
    status: str = "applicable",
    since: str = "2025-01-01",
    review: bool = False,
) -> Finding:
    return Finding(
        rule_id=rule_id,
        kind=kind,
        title=rule_id,
        outcome=outcome,
        status=status,
        applies_from=dt.date.fromisoformat(since),
        citation=f"cite {rule_id}",
        theme=theme,
        confidence="unverified" if review else "confirmed",
        needs_review=review,
    )


def _inst(
    inst_id: str,
    jurisdiction: str,
    findings: list[Finding],
    *,
    in_scope: str = "applies",
    penalties: list[PenaltyExposure] | None = None,
) -> InstrumentResult:
    return InstrumentResult(
        id=inst_id,
        title=inst_id,
        short_title=inst_id.upper(),
        jurisdiction=jurisdiction,
        citation=inst_id,
        binding=True,
        status="in_force",
        law_version="v1",
        in_scope=in_scope,
        prohibitions=[f for f in findings if f.kind == "prohibition"],
        obligations=[f for f in findings if f.kind == "obligation"],
        penalties=penalties or [],
    )


def _penalty(pid: str, amount: float | None, currency: str, definite: bool = True):
    return PenaltyExposure(
        penalty_id=pid,
        title=pid,
        citation=f"cite {pid}",
        currency=currency,
        max_amount=amount,
        formula="f",
        triggered_by=[],
        definite=definite,
    )


@pytest.fixture
def synthetic():
    instruments = [
        _inst(
            "eu-law",
            "EU",
            [
                _finding(
                    "eu.notice", "notice-to-individuals", status="upcoming", since="2027-12-02"
                ),
                _finding("eu.ban", "prohibited-practices", kind="prohibition", outcome="possible"),
                _finding(
                    "eu.gone", "bias-audit", outcome="does_not_apply", status="not_applicable"
                ),
            ],
            penalties=[
                _penalty("eu.fine", 35e6, "EUR", definite=False),
                _penalty("eu.national", None, "EUR"),
            ],
        ),
        _inst(
            "ca-one",
            "US-CA",
            [_finding("ca1.audit", "bias-audit")],
            penalties=[_penalty("ca1.fine", 5000, "USD")],
        ),
        _inst(
            "ca-two",
            "US-CA",
            [
                _finding("ca2.label", "content-labelling", outcome="possible", review=True),
                _finding("ca2.audit", "bias-audit", status="upcoming", since="2027-01-01"),
            ],
            in_scope="possible",
            penalties=[_penalty("ca2.fine", 1e6, "USD")],
        ),
        _inst("us-eo", "US", []),
        _inst("jp-law", "JP", [_finding("jp.x", "transparency")], in_scope="does_not_apply"),
    ]
    a = Assessment(
        accord_version="t",
        profile_id="p",
        profile_name="P",
        as_of=dt.date(2026, 11, 27),
        instruments=instruments,
        open_questions=[],
    )
    return compare(a, ["US-CA", "EU", "JP"])


def test_columns_merge_instruments_of_one_jurisdiction(synthetic):
    assert [c.jurisdiction for c in synthetic.columns] == ["US-CA", "EU"]
    ca = synthetic.columns[0]
    assert [i.id for i in ca.instruments] == ["ca-one", "ca-two"]
    assert ca.in_scope == "applies"
    cell = synthetic.cell("bias-audit", "US-CA")
    assert cell.instruments == ["ca-one", "ca-two"]
    assert [d.rule_id for d in cell.duties] == ["ca1.audit", "ca2.audit"]
    assert cell.state == "applicable" and cell.earliest == dt.date(2025, 1, 1)


def test_cell_states_and_review_flags(synthetic):
    assert synthetic.cell("notice-to-individuals", "EU").state == "upcoming"
    assert synthetic.cell("notice-to-individuals", "EU").earliest == dt.date(2027, 12, 2)
    label = synthetic.cell("content-labelling", "US-CA")
    assert label.state == "possible" and label.needs_review
    assert synthetic.cell("bias-audit", "EU").state == "none"  # does_not_apply is not a duty


def test_rows_keep_core_themes_and_add_found_ones(synthetic):
    themes = [r.theme for r in synthetic.rows]
    assert themes[: len(CORE_THEMES)] == list(CORE_THEMES)
    assert "prohibited-practices" in themes


def test_jurisdictions_without_duties_or_scope_get_no_column(synthetic):
    assert [x.instrument_id for x in synthetic.in_scope_without_duties] == ["us-eo"]
    assert [x.instrument_id for x in synthetic.not_in_scope] == ["jp-law"]


def test_differences(synthetic):
    d = synthetic.differences
    gaps = {g.theme: g for g in d.themes_in_some_markets}
    assert gaps["bias-audit"].with_duties == ["US-CA"]
    assert gaps["bias-audit"].without_duties == ["EU"]
    assert [x.date for x in d.upcoming_deadlines] == sorted(x.date for x in d.upcoming_deadlines)
    assert [(x.jurisdiction, x.rule_ids) for x in d.upcoming_deadlines] == [
        ("US-CA", ["ca2.audit"]),
        ("EU", ["eu.notice"]),
    ]
    exposure = {e.jurisdiction: e for e in d.max_exposure}
    assert exposure["US-CA"].max_amount == 1e6 and exposure["US-CA"].currency == "USD"
    assert exposure["EU"].max_amount == 35e6 and not exposure["EU"].definite
    assert exposure["EU"].undetermined  # the national tier has no fixed maximum
    assert "not convert" in d.currency_note
    assert [p.rule_id for p in d.prohibitions] == ["eu.ban"]


def test_voluntary_duties_are_marked_and_not_counted_as_regulation():
    soft = _finding("fw.audit", "bias-audit").model_copy(update={"binding": False})
    a = Assessment(
        accord_version="t",
        profile_id="p",
        profile_name="P",
        as_of=dt.date(2026, 11, 27),
        open_questions=[],
        instruments=[
            _inst("law", "US-NY-NYC", [_finding("law.audit", "bias-audit")]),
            _inst("fw", "INT", [soft]),
            _inst("eu", "EU", [_finding("eu.x", "transparency")]),
        ],
    )
    c = compare(a, ["US-NY-NYC", "EU"], frameworks=["fw"])
    assert [col.jurisdiction for col in c.columns] == ["US-NY-NYC", "EU", "INT"]
    from accord.report.compare_text import cell_symbol

    assert cell_symbol(c.cell("bias-audit", "INT")) == "● 1*"
    assert cell_symbol(c.cell("bias-audit", "US-NY-NYC")) == "● 1"
    gap = next(g for g in c.differences.themes_in_some_markets if g.theme == "bias-audit")
    assert (gap.with_duties, gap.voluntary_only, gap.without_duties) == (
        ["US-NY-NYC"],
        ["INT"],
        ["EU"],
    )


# --- the real CLI on the examples (depends on the rulebooks) --------------------------------


def _json(cli, *args: str) -> dict:
    r = cli("compare", *args, "--format", "json")
    assert r.exit_code == 0, r.stderr
    return json.loads(r.stdout)


def _cell(data: dict, theme: str, code: str) -> dict:
    codes = [c["jurisdiction"] for c in data["columns"]]
    row = next(r for r in data["rows"] if r["theme"] == theme)
    return row["cells"][codes.index(code)]


def test_cv_screener_columns_follow_its_markets_rulebooks(cli):
    data = _json(cli, CV, "--as-of", AS_OF)
    assert data["schema_version"] == "1.0"
    assert data["as_of"] == AS_OF
    assert [c["jurisdiction"] for c in data["columns"]] == [
        "EU",
        "US-NY-NYC",
        "US-CO",
        "US-IL",
        "KR",
    ]
    colorado = next(c for c in data["columns"] if c["jurisdiction"] == "US-CO")
    assert [i["id"] for i in colorado["instruments"]] == ["us-co-sb26-189"]
    assert "us-co-sb24-205" in {x["instrument_id"] for x in data["not_in_scope"]}


def test_cv_screener_colorado_is_upcoming_from_2027_rulebooks(cli):
    data = _json(cli, CV, "--as-of", AS_OF)
    cells = [r["cells"][2] for r in data["rows"] if r["cells"][2]["duties"]]
    assert cells, "Colorado SB26-189 should hold duties for a CV screener"
    for cell in cells:
        assert cell["state"] == "upcoming"
        assert cell["earliest"] == "2027-01-01"
        assert {d["status"] for d in cell["duties"]} == {"upcoming"}
    deadlines = [(d["date"], d["jurisdiction"]) for d in data["differences"]["upcoming_deadlines"]]
    assert ("2027-01-01", "US-CO") in deadlines
    assert [d for d, _ in deadlines] == sorted(d for d, _ in deadlines)


def test_cv_screener_bias_audit_in_nyc_not_eu_rulebooks(cli):
    data = _json(cli, CV, "--as-of", AS_OF)
    nyc = _cell(data, "bias-audit", "US-NY-NYC")
    assert nyc["state"] == "applicable"
    assert "us-nyc-ll144.bias-audit" in {d["rule_id"] for d in nyc["duties"]}
    assert all(d["citation"] and d["binding"] for d in nyc["duties"])
    assert _cell(data, "bias-audit", "EU")["state"] == "none"
    gap = next(
        g for g in data["differences"]["themes_in_some_markets"] if g["theme"] == "bias-audit"
    )
    assert "US-NY-NYC" in gap["with_duties"] and "EU" in gap["without_duties"]


def test_cv_screener_exposure_keeps_currencies_rulebooks(cli):
    data = _json(cli, CV, "--as-of", AS_OF)
    exposure = {e["jurisdiction"]: e for e in data["differences"]["max_exposure"]}
    assert exposure["US-NY-NYC"]["currency"] == "USD"
    assert exposure["US-NY-NYC"]["max_amount"] == 1500
    assert exposure["KR"]["currency"] == "KRW"
    assert "not convert" in data["differences"]["currency_note"]


def test_markets_option_restricts_columns(cli):
    data = _json(cli, CV, "--as-of", AS_OF, "--markets", "EU", "--markets", "US-NY-NYC")
    assert data["markets"] == ["EU", "US-NY-NYC"]
    assert [c["jurisdiction"] for c in data["columns"]] == ["EU", "US-NY-NYC"]


def test_framework_opt_in_adds_non_binding_duties_rulebooks(cli):
    data = _json(cli, CV, "--as-of", AS_OF, "--framework", "nist-ai-rmf")
    assert data["frameworks"] == ["nist-ai-rmf"]
    us = next(c for c in data["columns"] if c["jurisdiction"] == "US")
    assert "nist-ai-rmf" in [i["id"] for i in us["instruments"]]
    col = [c["jurisdiction"] for c in data["columns"]].index("US")
    duties = [d for r in data["rows"] for d in r["cells"][col]["duties"]]
    assert duties and not any(d["binding"] for d in duties if d["instrument_id"] == "nist-ai-rmf")


@pytest.mark.parametrize("example", [CV, LLM])
def test_text_fits_80_columns(cli, monkeypatch, example):
    monkeypatch.setenv("COLUMNS", "80")
    for extra in ((), ("--verbose",)):
        r = cli("compare", example, "--as-of", AS_OF, *extra)
        assert r.exit_code == 0, r.stderr
        too_long = [line for line in r.stdout.splitlines() if len(line) > 80]
        assert not too_long, too_long
        assert "Legend:" in r.stdout and "Differences" in r.stdout


def test_text_matrix_symbols_rulebooks(cli, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    r = cli("compare", CV, "--as-of", AS_OF)
    row = next(line for line in r.stdout.splitlines() if line.startswith("bias-audit "))
    assert row.split()[1] == "·"  # EU
    assert row.split()[2] == "●"  # US-NY-NYC
    assert "◐ 2027-01" in r.stdout
    assert "does not convert" in " ".join(r.stdout.split())


def test_wide_matrix_is_split_into_blocks_rulebooks(cli, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    r = cli("compare", LLM, "--as-of", AS_OF)
    assert r.exit_code == 0, r.stderr
    assert re.search(r"Columns 1-\d of \d", r.stdout)


def _markdown_tables(text: str) -> list[list[str]]:
    tables: list[list[str]] = []
    current: list[str] = []
    for line in text.splitlines():
        if line.startswith("|"):
            current.append(line)
        elif current:
            tables.append(current)
            current = []
    if current:
        tables.append(current)
    return tables


def _columns(line: str) -> int:
    return len(re.findall(r"(?<!\\)\|", line)) - 1


@pytest.mark.parametrize("example", [CV, LLM])
def test_markdown_tables_are_consistent(cli, example):
    r = cli("compare", example, "--as-of", AS_OF, "--format", "markdown")
    assert r.exit_code == 0, r.stderr
    assert r.stdout.startswith("# Comparison: ")
    tables = _markdown_tables(r.stdout)
    assert len(tables) >= 4
    for table in tables:
        assert re.fullmatch(r"\|(---\|)+", table[1]), table[:2]
        assert len({_columns(line) for line in table}) == 1, table
    assert "## Differences" in r.stdout and "does not convert" in r.stdout


def test_json_of_frontier_model_rulebooks(cli):
    data = _json(cli, LLM, "--as-of", AS_OF)
    codes = [c["jurisdiction"] for c in data["columns"]]
    assert codes[0] == "EU" and {"KR", "CN", "US-CA"} <= set(codes)
    assert any(p["jurisdiction"] == "EU" for p in data["differences"]["prohibitions"])


@pytest.mark.parametrize(
    "args, message",
    [
        (("--markets", "XX"), "unknown jurisdiction"),
        (("--markets", "JP"), "not among the profile's markets"),
        (("--as-of", "2026-13-01"), "not a date"),
        (("--format", "pdf"), ""),
    ],
)
def test_bad_input_exits_2_without_traceback(cli, args, message):
    r = cli("compare", CV, *args)
    assert r.exit_code == 2
    assert message in r.stderr
    assert "Traceback" not in r.stderr + r.stdout


def test_missing_profile_exits_2(cli, tmp_path):
    r = cli("compare", str(tmp_path / "nope.yaml"))
    assert r.exit_code == 2 and "Traceback" not in r.stderr
