"""Exclusions and category spellings: DCWP spellings everywhere, clear messages.

Issue 9 item 6: the DCWP spelling "Native Hawaiian or Other Pacific Islander" was accepted in the
data but refused as an exclusion label, and excluding a listed category with no people failed
with "matches no category", which is misleading: the category exists, it is just empty.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from audit_testdata import generate_rows, write_parquet

from accord.audit import bias_audit

Cli = Callable[..., tuple[int, str, str]]
BASE = ["--outcome", "selected", "--sex", "sex", "--race", "race"]

NHPI = "Native Hawaiian or Pacific Islander"
NHOPI = "Native Hawaiian or Other Pacific Islander"


@pytest.fixture(scope="module")
def dcwp_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """DCWP/EEO-1 spellings in the data, NHPI under 2%, and nobody American Indian."""
    rows = generate_rows(1200, seed=9, messy=False)
    for i, r in enumerate(rows):
        if r["race"] == "Native American or Alaska Native":
            r["race"] = "White"
        if r["race"] == NHPI and i % 2:
            r["race"] = "Asian"
        elif r["race"] == NHPI:
            r["race"] = NHOPI if i % 3 else "native hawaiian or other pacific islander"
        elif r["race"] == "White":
            r["race"] = "White (Not Hispanic or Latino)"
    assert 0 < sum(r["race"] and "awaiian" in r["race"] for r in rows) < 0.02 * len(rows)
    return write_parquet(rows, tmp_path_factory.mktemp("dcwp") / "dcwp.parquet")


def _race_rows(doc: dict[str, Any]) -> dict[str, dict[str, Any]]:
    race = doc["ll144"]["selection"][1]
    assert race["dimension"] == "race_ethnicity"
    return {r["category"]: r for r in race["rows"]}


def test_dcwp_spelling_in_exclusions(cli: Cli, dcwp_data: Path) -> None:
    code, out, err = cli("audit", "bias", dcwp_data, *BASE, "-f", "json",
                         "--exclude-category", NHOPI, "--exclude-reason", "under 2%")  # fmt: skip
    assert code == 0, err
    doc = json.loads(out)
    rows = _race_rows(doc)
    assert NHOPI not in rows  # one category, the standard one
    assert rows[NHPI]["excluded_from_impact_ratio"] and rows[NHPI]["impact_ratio"] is None
    assert rows[NHPI]["count"] > 0 and rows[NHPI]["rate"] is not None
    assert rows["White"]["count"] > 0
    inter = {r["category"]: r for r in doc["ll144"]["selection"][2]["rows"]}
    assert all(r["excluded_from_impact_ratio"] for k, r in inter.items() if k.endswith(NHPI))


@pytest.mark.parametrize(
    "spelling",
    [
        f"{NHOPI} (Not Hispanic or Latino)",
        "native hawaiian or pacific islander",
        "Pacific Islander",
    ],
)
def test_other_accepted_spellings_in_exclusions(dcwp_data: Path, spelling: str) -> None:
    result = bias_audit(
        str(dcwp_data), outcome="selected", sex="sex", race="race",
        exclusions=[{"category": spelling, "reason": "small", "table": "race_ethnicity"}],
    )  # fmt: skip
    assert result.ll144 is not None
    race = {r.category: r for r in result.ll144.selection[1].rows}
    assert race[NHPI].excluded_from_impact_ratio
    inter = result.ll144.selection[2].rows
    assert not any(r.excluded_from_impact_ratio for r in inter)  # table: race_ethnicity only


def test_one_intersectional_cell_in_dcwp_spelling(dcwp_data: Path) -> None:
    result = bias_audit(
        str(dcwp_data), outcome="selected", sex="sex", race="race",
        exclusions=[{"category": f"female × {NHOPI}", "reason": "small"}],
    )  # fmt: skip
    assert result.ll144 is not None
    excluded = [r.category for t in result.ll144.selection for r in t.rows
                if r.excluded_from_impact_ratio]  # fmt: skip
    assert excluded == [f"Female × {NHPI}"]


def test_dcwp_spelling_over_two_percent_names_the_category(cli: Cli, dcwp_data: Path) -> None:
    code, _, err = cli("audit", "bias", dcwp_data, *BASE,
                       "--exclude-category", "WHITE (Not Hispanic or Latino)",
                       "--exclude-reason", "x")  # fmt: skip
    assert code == 2
    assert "Cannot exclude 'White'" in err and "under 2%" in " ".join(err.split())


def test_dcwp_spelling_as_a_map_target(tmp_path: Path) -> None:
    rows = generate_rows(600, seed=4, messy=False)
    codes = {label: str(i) for i, label in enumerate(sorted({r["race"] for r in rows}))}
    for r in rows:
        r["race"] = codes[r["race"]]
    path = write_parquet(rows, tmp_path / "codes.parquet")
    targets = {c: (NHOPI if label == NHPI else label) for label, c in codes.items()}
    targets[codes["White"]] = "White (Not Hispanic or Latino)"
    result = bias_audit(str(path), outcome="selected", sex="sex", race="race",
                        values={"race": targets})  # fmt: skip
    assert result.ll144 is not None
    race = {r.category: r.count for r in result.ll144.selection[1].rows}
    assert NHOPI not in race and "White (Not Hispanic or Latino)" not in race
    assert len(race) == 7
    assert race[NHPI] == sum(r["race"] == codes[NHPI] for r in rows) > 0
    assert race["White"] == sum(r["race"] == codes["White"] for r in rows) > 0


def test_excluding_an_empty_category(cli: Cli, dcwp_data: Path) -> None:
    """Nobody is American Indian: the exclusion is not an error and changes nothing."""
    name = "American Indian or Alaska Native"
    args = ["audit", "bias", dcwp_data, *BASE, "-f", "json"]
    code, plain_out, err = cli(*args)
    assert code == 0, err
    code, out, err = cli(*args, "--exclude-category", name, "--exclude-reason", "none")
    assert code == 0, err
    flat = " ".join(err.split())
    assert f"Exclusion of {name!r} changes nothing: that category has no individuals" in flat
    assert "selection/race_ethnicity, selection/intersectional tables" in flat
    assert "has no effect on any impact ratio" in flat
    assert "matches no category" not in flat
    rows = _race_rows(json.loads(out))
    assert rows["Native American or Alaska Native"]["count"] == 0
    assert not rows["Native American or Alaska Native"]["excluded_from_impact_ratio"]

    def tables(text: str) -> Any:
        return json.loads(text)["ll144"]["selection"]

    assert tables(out) == tables(plain_out)  # excluding it changed nothing


def test_excluding_a_name_that_is_no_category_is_still_an_error(cli: Cli, dcwp_data: Path) -> None:
    code, _, err = cli("audit", "bias", dcwp_data, *BASE,
                       "--exclude-category", "Martian", "--exclude-reason", "x")  # fmt: skip
    assert code == 2
    assert "matches no category" in err and "DCWP and EEO-1 spellings are accepted" in err
