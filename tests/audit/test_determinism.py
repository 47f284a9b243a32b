"""Identical runs give byte-identical documents (apart from `generated_at`).

The engine returns grouped rows in no particular order (DuckDB aggregates in parallel), so
anything built by walking the cells in that order must be sorted: `unmapped_values`, and the
values the warnings name. Before the fix ties in `unmapped_values` kept the engine's order.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from audit_testdata import generate_rows, write_parquet

from accord.audit import bias_audit
from accord.audit import counts as counts_module

Cli = Callable[..., tuple[int, str, str]]
ODD = ["Zeta", "alpha", "Mid", "Beta", "omega", "Kappa", "Delta"]


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Seven unmapped race values with exactly the same count each, spread over both sexes."""
    rows = generate_rows(700, seed=13, messy=False)
    for i, r in enumerate(rows):
        if i % 5 == 0:
            r["race"] = ODD[(i // 5) % len(ODD)]
    return write_parquet(rows, tmp_path_factory.mktemp("det") / "d.parquet")


def _without_timestamp(text: str) -> str:
    return re.sub(r'"generated_at": "[^"]*"', '"generated_at": ""', text)


def test_two_cli_runs_are_byte_identical(cli: Cli, data: Path) -> None:
    args = ["audit", "bias", data, "--outcome", "selected", "--score", "score"]
    args += ["--sex", "sex", "--race", "race", "--format", "json", "--audit-date", "2026-01-05"]
    first = cli(*args)
    second = cli(*args)
    assert first[0] == second[0] == 0, first[2]
    assert _without_timestamp(first[1]) == _without_timestamp(second[1])


def test_result_does_not_depend_on_the_engine_row_order(
    data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def run() -> str:
        result = bias_audit(str(data), outcome="selected", sex="sex", race="race")
        return _without_timestamp(result.to_json())

    plain = run()
    original = counts_module.cells_from_rows

    def reversed_rows(rows: list[dict[str, Any]], *args: Any) -> Any:
        return original(list(reversed(rows)), *args)

    monkeypatch.setattr(counts_module, "cells_from_rows", reversed_rows)
    assert run() == plain
    race = json.loads(plain)["ll144"]["selection"][1]["unknown"]["unmapped_values"]
    counts = set(race.values())
    assert len(race) == len(ODD) and len(counts) == 1  # all tied: order comes from the sort
    assert list(race) == sorted(race)
