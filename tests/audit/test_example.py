"""The bundled example (examples/audit/) runs at once, without a warning, and stays small."""

from __future__ import annotations

import importlib.util
import json
from collections.abc import Callable
from pathlib import Path

import yaml

from accord.audit import load_spec, run_bias_audit
from accord.audit.render import ADDITIONAL_TITLE, SUMMARY_TITLE

Cli = Callable[..., tuple[int, str, str]]
EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "audit"
DATA = EXAMPLE / "applicants.csv"
SPEC = EXAMPLE / "audit.yaml"


def test_example_is_small() -> None:
    assert DATA.stat().st_size + SPEC.stat().st_size < 100 * 1024
    assert 300 <= len(DATA.read_text(encoding="utf-8").splitlines()) - 1 <= 1000


def test_documented_command_runs_without_warnings(cli: Cli) -> None:
    code, out, err = cli("audit", "bias", DATA, "--spec", SPEC)
    assert code == 0, err
    assert err == ""  # every summary fact is given: no warning at all
    assert out.startswith(SUMMARY_TITLE) and ADDITIONAL_TITLE in out
    flat = " ".join(out.split())
    facts = yaml.safe_load(SPEC.read_text(encoding="utf-8"))["audit"]
    for key in ("aedt", "auditor", "data_period"):
        assert str(facts[key]) in flat, key
    assert f"Distribution date of the AEDT: {facts['distribution_date']}" in flat
    assert "Data used: test data (not historical data)" in flat
    assert " ".join(facts["test_data_explanation"].split()) in flat
    assert "Native American or Alaska Native (1.5% of the data, under 2%) is excluded" in flat


def test_example_summary_in_markdown(cli: Cli) -> None:
    code, out, err = cli("audit", "bias", "--spec", SPEC, "-f", "markdown", "--summary-only")
    assert code == 0, err
    assert out.startswith(f"# {SUMMARY_TITLE}") and ADDITIONAL_TITLE not in out
    assert out.count("| Category | Number of applicants |") == 6


def test_example_result(cli: Cli) -> None:
    code, out, _ = cli("audit", "bias", "--spec", SPEC, "-f", "json")
    assert code == 0
    doc = json.loads(out)
    assert doc["rows"] == 400
    summary = doc["ll144"]["public_summary"]
    assert summary["missing_fields"] == [] and summary["data_type"] == "test"
    race = {r["category"]: r for r in doc["ll144"]["selection"][1]["rows"]}
    # The data is written in DCWP/EEO-1 spellings; they land in the standard categories.
    assert len(race) == 7 and race["Native Hawaiian or Pacific Islander"]["count"] == 12
    assert race["White"]["count"] == 128
    assert doc["ll144"]["selection"][1]["unknown"]["count"] == 12
    assert run_bias_audit(load_spec(SPEC)).rows == 400


def test_generator_reproduces_the_data(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location("make_applicants", EXAMPLE / "make_applicants.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    written = module.main(tmp_path / "applicants.csv")
    assert written.read_bytes() == DATA.read_bytes()
