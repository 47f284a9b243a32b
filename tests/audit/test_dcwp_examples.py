"""The NYC DCWP worked examples (6 RCNY 5-301) reproduce to the rule's printed precision.

Each example table is rebuilt as rows from its counts and audited on its own, because the rule
says its tables are illustrative and not additive across tables. The rule prints rates and
ratios with mixed precision, sometimes rounded and sometimes truncated; a value matches if it
equals ours rounded or truncated to the printed number of decimals.
"""

from __future__ import annotations

import math
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml
from audit_testdata import write_parquet

from accord.audit import bias_audit
from accord.audit.result import RateTable

HERE = Path(__file__).parent
SHARED = HERE.parents[2] / "shared" / "reference" / "ll144-dcwp-examples.yaml"
EXAMPLES = SHARED if SHARED.exists() else HERE / "data" / "ll144-dcwp-examples.yaml"


def load_examples() -> dict[str, Any]:
    data = yaml.safe_load(EXAMPLES.read_text(encoding="utf-8"))
    return {ex["expected"]["audit_type"]: ex for ex in data["examples"]}


def canonical(label: str | None) -> str | None:
    return label.replace(" (Not Hispanic or Latino)", "") if label else label


def printed_matches(value: float, printed: str) -> bool:
    """True if `value` shown with the printed number of decimals gives `printed`."""
    percent = printed.endswith("%")
    text = printed.rstrip("%")
    decimals = len(text.split(".")[1]) if "." in text else 0
    x = value * 100 if percent else value
    target = Decimal(text)
    rounded = Decimal(str(round(x + 1e-12, decimals)))
    truncated = Decimal(math.floor(x * 10**decimals + 1e-9)) / Decimal(10**decimals)
    return target in (rounded.quantize(target), truncated.quantize(target))


def rows_for(expected_rows: list[dict[str, Any]], kind: str) -> list[dict[str, Any]]:
    """Individuals reproducing each row's count and selected / above-median count."""
    out: list[dict[str, Any]] = []
    for r in expected_rows:
        n = r["applicants"]
        k = r["selected_or_above_median"]
        if k is None:  # scoring example prints only rates: recover the count from the rate
            k = round(float(r["rate_reported"].rstrip("%")) / 100 * n)
        for i in range(n):
            positive = i < k
            out.append(
                {
                    "sex": r["sex"],
                    "race": canonical(r["race_ethnicity"]),
                    "selected": positive,
                    "score": 10 if positive else 0,
                    "truth": None,
                    "prediction": None,
                    "age_band": None,
                }
            )
    return out


def audit_group(rows: list[dict[str, Any]], group: str, kind: str, tmp_path: Path) -> RateTable:
    path = write_parquet(rows, tmp_path / f"{kind}-{group}.parquet")
    columns: dict[str, str] = {}
    if group in ("sex", "intersectional"):
        columns["sex"] = "sex"
    if group in ("race_ethnicity", "intersectional"):
        columns["race"] = "race"
    measure = {"outcome": "selected"} if kind == "selection" else {"score": "score"}
    result = bias_audit(str(path), **measure, **columns)
    assert result.ll144 is not None
    tables = result.ll144.selection if kind == "selection" else result.ll144.scoring
    return next(t for t in tables if t.dimension == group)


@pytest.mark.parametrize("kind", ["selection", "scoring"])
@pytest.mark.parametrize("group", ["sex", "race_ethnicity", "intersectional"])
def test_dcwp_example(kind: str, group: str, tmp_path: Path) -> None:
    example = load_examples()[kind]["expected"]
    expected = [r for r in example["rows"] if r["group"] == group]
    table = audit_group(rows_for(expected, kind), group, kind, tmp_path)
    by_category = {r.category: r for r in table.rows}
    for row in expected:
        if group == "intersectional":
            label = f"{row['sex']} × {canonical(row['race_ethnicity'])}"
        else:
            label = row["sex"] if group == "sex" else canonical(row["race_ethnicity"])
        got = by_category[label]
        assert got.count == row["applicants"]
        assert got.rate is not None and got.impact_ratio is not None
        assert printed_matches(got.rate, row["rate_reported"]), (label, got.rate, row)
        assert printed_matches(got.impact_ratio, row["impact_ratio_reported"]), (
            label,
            got.impact_ratio,
            row,
        )
    assert table.unknown.count == 0


def test_scoring_example_ties_at_the_top(tmp_path: Path) -> None:
    """Two intersectional categories share the highest scoring rate: both are references."""
    example = load_examples()["scoring"]["expected"]
    expected = [r for r in example["rows"] if r["group"] == "intersectional"]
    table = audit_group(rows_for(expected, "scoring"), "intersectional", "scoring", tmp_path)
    assert table.reference_categories == [
        "Male × Hispanic or Latino",
        "Male × Native Hawaiian or Pacific Islander",
    ]


def test_unknown_count_is_reported(tmp_path: Path) -> None:
    example = load_examples()["selection"]["expected"]
    expected = [r for r in example["rows"] if r["group"] == "sex"]
    rows = rows_for(expected, "selection")
    rows += [dict(rows[0], sex=None) for _ in range(example["unknown_category_count"])]
    table = audit_group(rows, "sex", "selection", tmp_path)
    assert table.unknown.count == example["unknown_category_count"] == 250
    assert table.reference_categories == ["Male"]


@pytest.mark.parametrize("kind", ["selection", "scoring"])
@pytest.mark.parametrize("group", ["sex", "race_ethnicity", "intersectional"])
def test_published_summary_reproduces_dcwp_table(kind: str, group: str, tmp_path: Path) -> None:
    """The public summary prints the DCWP table's columns (applicants, rate, impact ratio) with
    the same numbers, and the unknown count as the rule's note does."""
    from accord.audit.render import ADDITIONAL_TITLE, num, pct, to_markdown

    example = load_examples()[kind]["expected"]
    expected = [r for r in example["rows"] if r["group"] == group]
    rows = rows_for(expected, kind)
    unknown = example["unknown_category_count"]
    # Unknown individuals scored 5, between the example's 0s and 10s: the median stays put.
    rows += [dict(rows[0], sex=None, race=None, score=5) for _ in range(unknown)]
    path = write_parquet(rows, tmp_path / f"{kind}-{group}.parquet")
    columns = {"sex": "sex"} if group != "race_ethnicity" else {}
    if group != "sex":
        columns["race"] = "race"
    measure = {"outcome": "selected"} if kind == "selection" else {"score": "score"}
    result = bias_audit(str(path), **measure, **columns)
    assert result.ll144 is not None
    tables = result.ll144.selection if kind == "selection" else result.ll144.scoring
    table = next(t for t in tables if t.dimension == group)
    full = {r.category: r for r in table.rows}
    md = to_markdown(result)
    summary = md.split(f"# {ADDITIONAL_TITLE}")[0]
    title = {"sex": "sex", "race_ethnicity": "race/ethnicity", "intersectional": "intersectional"}
    section = summary.split(f"## {kind.title()} rates by {title[group]}")[1].split("\n## ")[0]
    lines = [line for line in section.splitlines() if line.startswith("| ")]
    header, *body = ([c.strip() for c in line.strip("|").split(" | ")] for line in lines)
    assert header == ["Category", "Number of applicants", f"{kind.title()} rate", "Impact ratio"]
    published = {cells[0]: cells[1:] for cells in body}
    for row in expected:
        race = canonical(row["race_ethnicity"])
        label = {"sex": row["sex"], "race_ethnicity": race}.get(group, f"{row['sex']} × {race}")
        got = full[label]
        assert got.rate is not None and got.impact_ratio is not None
        # Printed: the full-precision value rounded (the rule sometimes truncates instead, so
        # the DCWP's number is compared with the full-precision value, as above).
        assert published[label] == [f"{row['applicants']:,}", pct(got.rate), num(got.impact_ratio)]
        assert printed_matches(got.rate, row["rate_reported"]), (label, got.rate)
        assert printed_matches(got.impact_ratio, row["impact_ratio_reported"]), label
    # The rule's note: "The AEDT was also used to assess N individuals with an unknown ..."
    assert f"also assessed {unknown:,} applicants whose" in section
