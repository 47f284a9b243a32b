"""The LL144 public summary holds what 6 RCNY 5-303 asks to publish, and nothing else.

Issue 9 item 6: the output was not a publishable summary. There were no flags for the auditor,
the data type or the test-data explanation (a test-data audit run from the command line was
labelled "historical"); text and Markdown left out the auditor and the test-data explanation;
nothing warned when the distribution date, the data description or the AEDT's name was missing
(the "data source" was then a local path); EEOC p-values and fairness metrics sat inside the
summary; tables said "Applicants" for promotions; warnings went to stdout.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from audit_testdata import generate_rows, write_parquet
from rich.console import Console

from accord.audit import AuditResult, bias_audit
from accord.audit.render import (
    ADDITIONAL_TITLE,
    SUMMARY_TITLE,
    print_report,
    print_warnings,
    to_markdown,
)

Cli = Callable[..., tuple[int, str, str]]
BASE = ["--outcome", "selected", "--score", "score", "--sex", "sex", "--race", "race"]
FACTS = [
    "--aedt", "Ranker 7", "--distribution-date", "2026-02-01", "--auditor", "Fair Audits LLC",
    "--data-description", "Records of NYC roles from the employer's ATS",
    "--data-period", "2025-01-01 to 2025-12-31", "--audit-date", "2026-03-01",
]  # fmt: skip

#: The published facts, in order (6 RCNY 5-303(a), 5-302(b); AEDT and auditor identify it).
SUMMARY_FACTS = [
    "Automated employment decision tool (AEDT)",
    "Date of the most recent bias audit",
    "Distribution date of the AEDT",
    "Independent auditor",
    "Data used",
    "Source and explanation of the data",
    "Period the data covers",
]
TEST_DATA_FACT = (
    "Why historical data was not used, and how the test data was generated and obtained"
)
TABLES = [
    f"{kind} rates by {dim}"
    for kind in ("Selection", "Scoring")
    for dim in ("sex", "race/ethnicity", "intersectional (sex × race/ethnicity)")
]
#: Words that belong to the additional analysis, never to the public summary.
NOT_PUBLIC = [
    "EEOC", "four-fifths", "4/5", "p-value", "z-test", "Fisher", "95%", "fairness", "TPR",
    "Median", "median score", "valid until", "Rows", "Selected", "Above median", "warning",
    "Unmapped", "declared", "parquet",
]  # fmt: skip


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    rows = generate_rows(1500, seed=21)
    return write_parquet(rows, tmp_path_factory.mktemp("summary") / "applicants.parquet")


def split_markdown(md: str) -> tuple[str, str]:
    """(public summary, additional analysis) of a Markdown report."""
    assert md.startswith(f"# {SUMMARY_TITLE}\n")
    head, sep, tail = md.partition(f"\n# {ADDITIONAL_TITLE}\n")
    assert sep, "no additional-analysis part"
    return head, tail


def facts_of(part: str) -> dict[str, str]:
    """The `- **Label:** value` lines of a Markdown part."""
    return dict(re.findall(r"^- \*\*(.+?):\*\* (.*)$", part, flags=re.M))


def md_tables(part: str) -> dict[str, list[list[str]]]:
    """Each `## title` of a Markdown part with the cells of its table (header first)."""
    out: dict[str, list[list[str]]] = {}
    title = None
    for line in part.splitlines():
        if line.startswith("## "):
            title = line[3:]
            out[title] = []
        elif line.startswith("| ") and title is not None:
            out[title].append([c.strip() for c in line.strip("|").split(" | ")])
    return out


# --- what the summary holds --------------------------------------------------------------------


def test_markdown_summary_has_every_required_field_and_nothing_else(cli: Cli, data: Path) -> None:
    code, out, err = cli("audit", "bias", data, *BASE, *FACTS, "--format", "markdown")
    assert code == 0, err
    summary, additional = split_markdown(out)
    facts = facts_of(summary)
    assert list(facts) == SUMMARY_FACTS
    assert facts == {
        "Automated employment decision tool (AEDT)": "Ranker 7",
        "Date of the most recent bias audit": "2026-03-01",
        "Distribution date of the AEDT": "2026-02-01",
        "Independent auditor": "Fair Audits LLC",
        "Data used": "historical data (collected during use of the AEDT)",
        "Source and explanation of the data": "Records of NYC roles from the employer's ATS",
        "Period the data covers": "2025-01-01 to 2025-12-31",
    }
    tables = md_tables(summary)
    assert [t.replace("\\", "") for t in tables] == TABLES
    for title, rows in tables.items():
        kind = title.split()[0]
        assert rows[0] == ["Category", "Number of applicants", f"{kind} rate", "Impact ratio"]
    # 5-303(a)(1): the number in an unknown category, under every table.
    assert summary.count("whose sex is unknown; they are not included in the calculations") == 2
    assert summary.count("whose race/ethnicity is unknown") == 2
    assert summary.count("whose sex or race/ethnicity is unknown") == 2
    # Nothing of the additional analysis leaks into the summary...
    for word in NOT_PUBLIC:
        assert word.lower() not in summary.lower(), word
    assert str(data) not in summary  # the local path is not "the source of the data"
    # ... and it is all still there, after the summary, under its own title.
    assert "EEOC four-fifths rule of thumb" in additional and "p-value" in additional
    assert "Data read from:** " + str(data).replace("_", "\\_") in additional


def test_summary_numbers_are_the_results(data: Path) -> None:
    result = bias_audit(str(data), outcome="selected", score="score", sex="sex", race="race")
    summary, _ = split_markdown(to_markdown(result))
    tables = md_tables(summary)
    assert result.ll144 is not None
    published = [row for rows in tables.values() for row in rows[1:]]
    expected = [
        [r.category, f"{r.count:,}", f"{r.rate:.1%}", f"{r.impact_ratio:.3f}"]
        for t in result.ll144.selection + result.ll144.scoring
        for r in t.rows
    ]
    assert published == expected
    unknowns = [int(n.replace(",", "")) for n in re.findall(r"also assessed ([\d,]+) ", summary)]
    assert unknowns == [t.unknown.count for t in result.ll144.selection + result.ll144.scoring]


def test_text_summary_matches_markdown_fields(cli: Cli, data: Path) -> None:
    code, out, err = cli("audit", "bias", data, *BASE, *FACTS, "--data-type", "test",
                         "--test-data-explanation", "No historical data: first use.")  # fmt: skip
    assert code == 0, err
    summary, sep, additional = out.partition(ADDITIONAL_TITLE)
    assert sep and summary.startswith(SUMMARY_TITLE)
    flat = " ".join(summary.split())
    for label in [*SUMMARY_FACTS, TEST_DATA_FACT]:
        assert f"{label}: " in flat, label
    assert "Independent auditor: Fair Audits LLC" in flat
    assert "Data used: test data (not historical data)" in flat
    assert f"{TEST_DATA_FACT}: No historical data: first use." in flat
    for word in NOT_PUBLIC:
        assert word.lower() not in summary.lower(), word
    assert "EEOC four-fifths rule of thumb" in additional


def test_summary_only_leaves_out_the_additional_analysis(cli: Cli, data: Path) -> None:
    for fmt in ("text", "markdown"):
        code, out, err = cli("audit", "bias", data, *BASE, *FACTS, "-f", fmt, "--summary-only")
        assert code == 0, err
        assert SUMMARY_TITLE in out
        assert ADDITIONAL_TITLE not in out and "EEOC" not in out and "p-value" not in out
    code, _, err = cli("audit", "bias", data, "--outcome", "selected", "--category", "a=age_band",
                       "--summary-only")  # fmt: skip
    assert code == 2 and "--summary-only needs an LL144 summary" in err


def test_json_public_summary(cli: Cli, data: Path) -> None:
    code, out, err = cli("audit", "bias", data, *BASE, *FACTS, "-f", "json")
    assert code == 0, err
    doc = json.loads(out)
    assert doc["schema_version"] == "1.1"
    s = doc["ll144"]["public_summary"]
    assert s["auditor"] == "Fair Audits LLC" and s["aedt"] == "Ranker 7"
    assert s["decision"] == "hiring" and s["data_type"] == "historical"
    assert s["missing_fields"] == []
    # A 1.0 document, without the fields 1.1 added, still loads.
    del s["decision"], s["missing_fields"]
    doc["schema_version"] = "1.0"
    old = AuditResult.model_validate_json(json.dumps(doc))
    assert old.ll144 is not None and old.ll144.public_summary.decision == "hiring"


# --- missing facts: warnings on stderr ---------------------------------------------------------

MISSING = {
    "aedt": "no name of the AEDT (--aedt or audit.aedt",
    "distribution_date": "no distribution date of the AEDT (--distribution-date",
    "data_description": "no source and explanation of the data (--data-description",
    "auditor": "no independent auditor named (--auditor",
}


@pytest.mark.parametrize("fmt", ["text", "markdown", "json"])
def test_missing_facts_warn_on_stderr_only(cli: Cli, data: Path, fmt: str) -> None:
    code, out, err = cli("audit", "bias", data, *BASE, "-f", fmt)
    assert code == 0, err
    flat_err = " ".join(err.split())
    for needle in MISSING.values():
        assert f"warning: LL144 public summary: {needle}" in flat_err, needle
    if fmt == "json":
        doc = json.loads(out)  # stdout is the document alone
        assert doc["ll144"]["public_summary"]["missing_fields"] == list(MISSING)
        assert any("no independent auditor" in w for w in doc["warnings"])
    else:
        assert "warning" not in out.lower() and "no name of the AEDT" not in out
        summary = out.split(ADDITIONAL_TITLE)[0]
        assert summary.count("not given") == 4


def test_each_missing_fact_is_named(cli: Cli, data: Path) -> None:
    given = dict(zip(FACTS[::2], FACTS[1::2], strict=True))
    flags = {"aedt": "--aedt", "distribution_date": "--distribution-date",
             "data_description": "--data-description", "auditor": "--auditor"}  # fmt: skip
    for name, flag in flags.items():
        args = [a for k, v in given.items() if k != flag for a in (k, v)]
        code, out, err = cli("audit", "bias", data, *BASE, *args, "-f", "json")
        assert code == 0, err
        assert json.loads(out)["ll144"]["public_summary"]["missing_fields"] == [name]
        flat = " ".join(err.split())
        assert MISSING[name] in flat
        others = [n for n in MISSING.values() if n != MISSING[name]]
        assert not any(n in flat for n in others)


def test_all_facts_given_no_summary_warning(cli: Cli, data: Path) -> None:
    code, _, err = cli("audit", "bias", data, *BASE, *FACTS)
    assert code == 0, err
    assert "LL144 public summary" not in err


def test_blank_fact_is_missing(data: Path) -> None:
    result = bias_audit(
        str(data), outcome="selected", sex="sex", race="race",
        audit={"auditor": "  ", "aedt": "X", "data_description": "d",
               "distribution_date": "2026-01-01"},
    )  # fmt: skip
    assert result.ll144 is not None
    assert result.ll144.public_summary.missing_fields == ["auditor"]


# --- data type -------------------------------------------------------------------------------


def test_test_data_from_the_command_line_is_labelled_test_data(cli: Cli, data: Path) -> None:
    code, out, err = cli("audit", "bias", data, *BASE, *FACTS, "-f", "markdown",
                         "--data-type", "test")  # fmt: skip
    assert code == 0, err
    summary, _ = split_markdown(out)
    facts = facts_of(summary)
    assert facts["Data used"] == "test data (not historical data)"
    assert "historical data (collected" not in summary
    assert facts[TEST_DATA_FACT] == "not given"
    assert "test data without an explanation (--test-data-explanation" in " ".join(err.split())
    code, out, err = cli("audit", "bias", data, *BASE, *FACTS, "-f", "json", "--data-type",
                         "test", "--test-data-explanation", "Why and how.")  # fmt: skip
    assert code == 0, err
    s = json.loads(out)["ll144"]["public_summary"]
    assert (s["data_type"], s["test_data_explanation"]) == ("test", "Why and how.")
    assert "test data without an explanation" not in err


def test_data_type_in_spec_and_flag_overrides(cli: Cli, data: Path, tmp_path: Path) -> None:
    spec = tmp_path / "audit.yaml"
    spec.write_text(
        "audit:\n  data_type: test\n  test_data_explanation: Vendor-made test data.\n"
        "  auditor: Spec Auditor\n  decision: promotion\n",
        encoding="utf-8",
    )
    code, out, err = cli("audit", "bias", data, *BASE, "--spec", spec, "-f", "json")
    assert code == 0, err
    s = json.loads(out)["ll144"]["public_summary"]
    assert (s["data_type"], s["auditor"], s["decision"]) == ("test", "Spec Auditor", "promotion")
    assert s["test_data_explanation"] == "Vendor-made test data."
    code, out, err = cli("audit", "bias", data, *BASE, "--spec", spec, "-f", "json",
                         "--data-type", "historical", "--auditor", "Flag Auditor",
                         "--decision", "hiring")  # fmt: skip
    assert code == 0, err
    s = json.loads(out)["ll144"]["public_summary"]
    assert (s["data_type"], s["auditor"], s["decision"]) == ("historical", "Flag Auditor", "hiring")
    # The explanation stays in the evidence but is not published for historical data.
    assert "is given but the data type is historical" in " ".join(err.split())
    code, out, _ = cli("audit", "bias", data, *BASE, "--spec", spec, "-f", "markdown",
                       "--data-type", "historical")  # fmt: skip
    assert "Vendor-made test data" not in out


def test_bad_data_type_and_decision_are_refused(cli: Cli, data: Path) -> None:
    for flag in ("--data-type", "--decision"):
        code, _, err = cli("audit", "bias", data, *BASE, flag, "synthetic")
        assert code == 2 and "synthetic" in err


# --- promotion wording -----------------------------------------------------------------------


def test_promotion_tables_count_candidates_for_promotion(cli: Cli, data: Path) -> None:
    code, out, err = cli("audit", "bias", data, *BASE, *FACTS, "-f", "markdown",
                         "--decision", "promotion")  # fmt: skip
    assert code == 0, err
    summary, _ = split_markdown(out)
    for title, rows in md_tables(summary).items():
        assert rows[0][1] == "Number of candidates for promotion", title
    assert "applicant" not in summary.lower()
    assert summary.count("candidates for promotion whose") == 6
    code, out, _ = cli("audit", "bias", data, *BASE, *FACTS, "--decision", "promotion",
                       "--summary-only")  # fmt: skip
    assert "applicant" not in out.lower() and "candidates for promotion" in " ".join(out.split())


def test_hiring_is_the_default(cli: Cli, data: Path) -> None:
    code, out, _ = cli("audit", "bias", data, *BASE, *FACTS, "-f", "markdown", "--summary-only")
    assert code == 0
    assert "candidates for promotion" not in out
    assert out.count("| Category | Number of applicants |") == 6


# --- warnings never on stdout ------------------------------------------------------------------


def test_data_warnings_go_to_stderr(cli: Cli, data: Path) -> None:
    """The generated data has an unmapped race value ('Martian'): warned about on stderr."""
    for fmt in ("text", "markdown"):
        code, out, err = cli("audit", "bias", data, *BASE, *FACTS, "-f", fmt)
        assert code == 0, err
        assert "warning:" in err and "Martian" in err
        assert "warning" not in out.lower()
        assert "## Warnings" not in out


def test_print_report_has_no_warnings(data: Path) -> None:
    result = bias_audit(str(data), outcome="selected", sex="sex", race="race")
    assert result.warnings
    report, warnings = io.StringIO(), io.StringIO()
    print_report(result, Console(file=report, width=100, color_system=None))
    print_warnings(result, Console(file=warnings, width=100, color_system=None))
    assert "warning" not in report.getvalue().lower()
    assert warnings.getvalue().count("warning:") == len(result.warnings)


# --- the EEOC table fits 80 columns ------------------------------------------------------------


def _small_groups(tmp_path: Path) -> Path:
    """Long intersectional labels, tiny groups (Fisher's test), p-values like 1.23e-05."""
    rows: list[dict[str, Any]] = generate_rows(2000, seed=3, messy=False)
    for i, r in enumerate(rows):
        r["selected"] = r["sex"] == "Male" or i % 4 == 0
        if i % 97 == 0:
            r["race"] = "Native Hawaiian or Other Pacific Islander"
    return write_parquet(rows, tmp_path / "small.parquet")


def test_eeoc_table_fits_80_columns(tmp_path: Path) -> None:
    result = bias_audit(str(_small_groups(tmp_path)), outcome="selected", sex="sex", race="race")
    buffer = io.StringIO()
    print_report(result, Console(file=buffer, width=80, color_system=None))
    text = buffer.getvalue()
    eeoc = text[text.index("EEOC four-fifths rule of thumb: selection rates by sex") :]
    assert max(len(line) for line in text.splitlines()) <= 80
    assert "…" not in text  # nothing cut short
    rows = result.eeoc_four_fifths_rule_of_thumb.rows
    compared = [r for r in rows if r.significance]
    assert any(r.significance.test == "Fisher's exact test" for r in compared)  # type: ignore[union-attr]
    for r in compared:
        assert r.significance is not None and r.rate_ci95 is not None
        lo, hi = r.rate_ci95
        assert f"{r.significance.p_value:.3g}" in eeoc
        assert f"{lo:.1%}–{hi:.1%}".replace("%–", "–") in eeoc
        assert f"{r.impact_ratio:.3f}" in eeoc
    categories = first_column(eeoc)
    assert (
        "Female × Native Hawaiian or Pacific Islander" in categories
    )  # wrapped over lines, never truncated
    assert {r.category for r in compared} <= set(categories)


def first_column(text: str) -> list[str]:
    """The first column of Rich tables, each cell's wrapped lines joined again."""
    cells: list[str] = []
    for line in text.splitlines():
        parts = line.split("│")
        if len(parts) < 3:
            continue
        first, second = parts[1].strip(), parts[2].strip()
        if second or not cells:  # a new row starts where the next column has a value
            cells.append(first)
        elif first:
            cells[-1] += " " + first
    return cells


def test_cli_text_fits_80_columns(cli: Cli, tmp_path: Path) -> None:
    code, out, err = cli("audit", "bias", _small_groups(tmp_path), *BASE[:2], *BASE[4:])
    assert code == 0, err
    assert max(len(line) for line in out.splitlines()) <= 80
    assert "…" not in out
