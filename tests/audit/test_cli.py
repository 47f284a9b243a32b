"""`accord audit bias`: outputs, exit codes, and a clear message (exit 2) for every bad input."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb
import pytest
from audit_testdata import generate_rows, write_parquet, write_sqlite

from accord.audit.result import SCHEMA_VERSION, AuditResult

Cli = Callable[..., tuple[int, str, str]]
BASE = ["--outcome", "selected", "--sex", "sex", "--race", "race"]


def test_text_report(cli: Cli, parquet_file: Path) -> None:
    code, out, err = cli("audit", "bias", parquet_file, *BASE, "--score", "score")
    assert code == 0, err
    assert out.startswith("Summary of bias audit results (NYC Local Law 144)")
    assert "Selection rates by sex" in out
    assert "Scoring rates by intersectional" in out
    assert "not an LL144 threshold" in out
    assert "whose sex is unknown; they are not included in the calculations" in " ".join(
        out.split()
    )
    assert out.index("Additional analysis (not part of the LL144 summary)") > out.index(
        "Scoring rates by intersectional"
    )


def test_json_output_and_saved_evidence(cli: Cli, parquet_file: Path, tmp_path: Path) -> None:
    saved = tmp_path / "result.accord-audit.json"
    code, out, err = cli(
        "audit", "bias", parquet_file, *BASE, "--format", "json", "-o", saved,
        "--audit-date", "2026-03-01", "--data-period", "2025", "--aedt", "Ranker v2",
        "--distribution-date", "2026-04-01", "--data-description", "historical applicants",
    )  # fmt: skip
    assert code == 0, err
    doc = json.loads(out)
    assert doc["schema_version"] == SCHEMA_VERSION
    assert doc["kind"] == "accord.audit.bias"
    assert "eeoc_four_fifths_rule_of_thumb" in doc
    summary = doc["ll144"]["public_summary"]
    assert summary["audit_date"] == "2026-03-01"
    assert summary["valid_until"] == "2027-03-01"
    assert summary["aedt"] == "Ranker v2"
    assert summary["distribution_date"] == "2026-04-01"
    assert summary["data_period"] == "2025"
    loaded = AuditResult.load(saved)
    assert loaded.model_dump(mode="json") == doc


def test_markdown_output(cli: Cli, parquet_file: Path) -> None:
    code, out, _ = cli("audit", "bias", parquet_file, *BASE, "--format", "markdown")
    assert code == 0
    assert out.startswith("# Summary of bias audit results (NYC Local Law 144)")
    assert "| Category | Number of applicants | Selection rate | Impact ratio |" in out
    assert "# Additional analysis (not part of the LL144 summary)" in out
    assert "EEOC four-fifths rule of thumb" in out


def test_fail_on_flag_exits_1(cli: Cli, tmp_path: Path) -> None:
    rows = generate_rows(400, seed=1, messy=False)
    for r in rows:
        r["selected"] = r["sex"] == "Male" or r["score"] > 17  # women rarely selected
    path = write_parquet(rows, tmp_path / "biased.parquet")
    code, _, err = cli("audit", "bias", path, *BASE, "--fail-on-flag")
    assert code == 1
    assert "EEOC four-fifths rule of thumb" in err
    code, _, _ = cli("audit", "bias", path, *BASE)
    assert code == 0


def test_spec_file_and_map_file(cli: Cli, tmp_path: Path) -> None:
    rows = generate_rows(300, seed=2, messy=False)
    for r in rows:
        r["sex"] = {"Male": "man", "Female": "woman"}[r["sex"]][0].upper()  # "M" / "W"
    write_parquet(rows, tmp_path / "d.parquet")
    (tmp_path / "audit.yaml").write_text(
        "source: {data: d.parquet}\n"
        "columns: {outcome: selected, sex: sex, race: race}\n"
        "audit: {data_period: 2025 hiring, aedt: Ranker}\n",
        encoding="utf-8",
    )
    (tmp_path / "map.yaml").write_text("sex: {W: Female}\n", encoding="utf-8")
    code, out, err = cli(
        "audit", "bias", "--spec", tmp_path / "audit.yaml", "--map-file", tmp_path / "map.yaml",
        "--format", "json",
    )  # fmt: skip
    assert code == 0, err
    doc = json.loads(out)
    sex = doc["ll144"]["selection"][0]
    assert {r["category"]: r["count"] for r in sex["rows"]} == {
        "Male": sum(r["sex"] == "M" for r in rows),
        "Female": sum(r["sex"] == "W" for r in rows),
    }
    assert doc["data_period"] == "2025 hiring"


def test_exclusion_flags(cli: Cli, tmp_path: Path) -> None:
    rows = generate_rows(2000, seed=5, messy=False)
    rows = [
        r for i, r in enumerate(rows) if r["race"] != "Native American or Alaska Native" or i % 3
    ]
    path = write_parquet(rows, tmp_path / "d.parquet")
    code, out, err = cli(
        "audit", "bias", path, *BASE, "--format", "json",
        "--exclude-category", "Native American or Alaska Native",
        "--exclude-reason", "too few applicants for a stable ratio",
    )  # fmt: skip
    assert code == 0, err
    race = json.loads(out)["ll144"]["selection"][1]
    row = next(r for r in race["rows"] if r["category"] == "Native American or Alaska Native")
    assert row["excluded_from_impact_ratio"] is True
    assert row["impact_ratio"] is None and row["rate"] is not None


def test_help_does_not_import_heavy_libraries() -> None:
    code = (
        "import sys; from accord.cli.main import app; "
        "heavy = ('ibis', 'duckdb', 'pyarrow', 'scipy', 'pandas'); "
        "print([m for m in heavy if m in sys.modules])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


# --- bad input: exit 2, a message naming the problem, never a traceback -----------------------


@pytest.fixture(scope="module")
def bad_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("bad")
    files: dict[str, Path] = {}
    rows = generate_rows(50, seed=1, messy=False)
    files["good"] = write_parquet(rows, d / "good.parquet")
    con = duckdb.connect()
    con.sql("SELECT 'Male' AS sex, 'White' AS race, 'yes' AS selected, 1.5 AS score").write_parquet(
        str(d / "text_outcome.parquet")
    )
    con.sql("SELECT 'Male' AS sex, 'White' AS race, 2 AS selected").write_parquet(
        str(d / "int_outcome.parquet")
    )
    con.sql(
        "SELECT 'Male' AS sex, 'White' AS race, true AS selected, NULL::DOUBLE AS score "
        "FROM range(5)"
    ).write_parquet(str(d / "null_score.parquet"))
    con.sql(
        "SELECT 'Male' AS sex, 'White' AS race, true AS selected, 1.0 AS score LIMIT 0"
    ).write_parquet(str(d / "empty.parquet"))
    (d / "garbage.parquet").write_bytes(b"this is not parquet at all")
    (d / "ragged.csv").write_text(
        "sex,race,selected\nMale,White,true\nFemale,Asian\nMale,White,false,extra\n",
        encoding="utf-8",
    )
    files["sqlite"] = write_sqlite(rows, d / "two.sqlite")
    (d / "bad_map.yaml").write_text("sex: {Homme: Male, Femme: Female}\n", encoding="utf-8")
    (d / "bad_spec.yaml").write_text(
        "columns:\n  outcome: selected\n  colour: red\n", encoding="utf-8"
    )
    (d / "broken.yaml").write_text("columns: [unclosed\n", encoding="utf-8")
    for name in ("text_outcome", "int_outcome", "null_score", "empty", "garbage"):
        files[name] = d / f"{name}.parquet"
    files["ragged"] = d / "ragged.csv"
    files["bad_map"] = d / "bad_map.yaml"
    files["bad_spec"] = d / "bad_spec.yaml"
    files["broken"] = d / "broken.yaml"
    files["dir"] = d
    return files


BAD_CASES: list[tuple[str, Callable[[dict[str, Path]], list[Any]], list[str]]] = [
    (
        "missing column",
        lambda f: [f["good"], "--outcome", "hired", "--sex", "sex"],
        ["outcome column 'hired' not found", "columns:"],
    ),
    (
        "misspelt column",
        lambda f: [f["good"], "--outcome", "selected", "--sex", "sexx"],
        ["'sexx' not found", "did you mean sex"],
    ),
    (
        "non-boolean outcome",
        lambda f: [f["text_outcome"], *BASE],
        ["'selected' is string, not boolean"],
    ),
    ("outcome not 0/1", lambda f: [f["int_outcome"], *BASE], ["values other than 0 and 1"]),
    ("non-numeric score", lambda f: [f["good"], *BASE, "--score", "sex"], ["not numeric"]),
    (
        "all-null score",
        lambda f: [f["null_score"], *BASE, "--score", "score"],
        ["Score column 'score'", "no usable values"],
    ),
    ("empty table", lambda f: [f["empty"], *BASE], ["has no rows"]),
    ("empty table with score", lambda f: [f["empty"], *BASE, "--score", "score"], ["has no rows"]),
    (
        "unknown backend",
        lambda f: ["nosuchdb://host/db", *BASE],
        ["Unknown backend 'nosuchdb'", "known Ibis backends"],
    ),
    ("missing file", lambda f: [f["dir"] / "nope.parquet", *BASE], ["File not found"]),
    ("no glob match", lambda f: [f["dir"] / "nope-*.parquet", *BASE], ["No files match"]),
    ("unreadable file", lambda f: [f["garbage"], *BASE], ["garbage.parquet"]),
    ("ragged csv", lambda f: [f["ragged"], *BASE], ["ragged.csv"]),
    (
        "mapping maps nothing",
        lambda f: [f["good"], *BASE, "--map-file", f["bad_map"]],
        ["value mapping for sex maps nothing", "values in the data include"],
    ),
    (
        "exclusion without reason",
        lambda f: [f["good"], *BASE, "--exclude-category", "Asian"],
        ["needs --exclude-reason"],
    ),
    (
        "exclusion over 2%",
        lambda f: [f["good"], *BASE, "--exclude-category", "White", "--exclude-reason", "x"],
        ["Cannot exclude 'White'", "under 2%"],
    ),
    (
        "exclusion matching nothing",
        lambda f: [f["good"], *BASE, "--exclude-category", "Martian", "--exclude-reason", "x"],
        ["matches no category"],
    ),
    ("no category column", lambda f: [f["good"], "--outcome", "selected"], ["no category column"]),
    ("no measure column", lambda f: [f["good"], "--sex", "sex"], ["no outcome, score"]),
    ("bad --category", lambda f: [f["good"], *BASE, "--category", "age"], ["not NAME=COLUMN"]),
    (
        "missing sqlite table",
        lambda f: [f["sqlite"], *BASE, "--table", "nope"],
        ["Table 'nope' not found", "applicants"],
    ),
    (
        "missing sqlite url file",
        lambda f: [f"sqlite:///{f['dir']}/missing.db", *BASE],
        ["Database file not found"],
    ),
    (
        "bad query",
        lambda f: [f["good"], *BASE, "--query", "SELEKT nonsense"],
        ["Refused query", "SELEKT"],
    ),
    (
        "query failing on the engine",
        lambda f: [f["good"], *BASE, "--query", "SELECT nonsense FROM data"],
        ["preparing the query", "nonsense"],
    ),
    (
        "unknown spec field",
        lambda f: ["--spec", f["bad_spec"], f["good"], "--sex", "sex"],
        ["columns.colour", "bad_spec.yaml:3"],
    ),
    (
        "invalid spec yaml",
        lambda f: ["--spec", f["broken"], f["good"]],
        ["malformed YAML", "broken.yaml:2"],
    ),
    (
        "missing spec",
        lambda f: ["--spec", f["dir"] / "none.yaml", f["good"]],
        ["none.yaml", "no such audit spec"],
    ),
    ("no data", lambda f: [*BASE], ["No data given"]),
]


@pytest.mark.parametrize(("name", "args", "needles"), BAD_CASES, ids=[c[0] for c in BAD_CASES])
def test_bad_input_exits_2_with_message(
    cli: Cli,
    bad_files: dict[str, Path],
    name: str,
    args: Callable[[dict[str, Path]], list[Any]],
    needles: list[str],
) -> None:
    code, out, err = cli("audit", "bias", *args(bad_files))
    assert code == 2, (name, out, err)
    assert "Traceback" not in err
    text = " ".join(err.split())
    for needle in needles:
        assert needle in text, (name, err)
