"""Generated applicant data for the audit tests, written to Parquet, DuckDB and SQLite."""

from __future__ import annotations

import random
import sqlite3
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from accord.audit.categories import EEO1_RACE

SEXES = ["Male", "Female"]
RACE_WEIGHTS = [18, 35, 15, 2, 16, 2, 10]


def generate_rows(n: int, seed: int = 7, *, messy: bool = True) -> list[dict[str, Any]]:
    """Applicants whose outcome depends on group, with ties in integer scores.

    `messy` adds nulls, declared-unknown values and unmapped spellings, so unknown accounting is
    exercised; scores are small integers so many values tie at the median.
    """
    rng = random.Random(seed)
    rows = []
    for _ in range(n):
        sex: str | None = rng.choice(SEXES)
        race: str | None = rng.choices(EEO1_RACE, RACE_WEIGHTS)[0]
        bias = (0.08 if sex == "Female" else 0.0) + 0.03 * EEO1_RACE.index(race)
        score = rng.randint(0, 20) - (2 if sex == "Female" else 0)
        selected = rng.random() < 0.55 - bias
        truth = rng.random() < 0.5 + (0.1 if selected else -0.1)
        prediction = rng.random() < (0.7 if truth else 0.3) - bias / 2
        if messy:
            roll = rng.random()
            if roll < 0.02:
                sex = None
            elif roll < 0.03:
                sex = "Decline to state"
            roll = rng.random()
            if roll < 0.02:
                race = None
            elif roll < 0.03:
                race = "Martian"  # unmapped: must be counted as unknown and reported
            elif roll < 0.05:
                race = race.upper()  # recognised spelling variant
        rows.append(
            {
                "sex": sex,
                "race": race,
                "selected": selected,
                "score": score,
                "truth": truth,
                "prediction": prediction,
                "age_band": rng.choice(["<40", "40+"]),
            }
        )
    return rows


def to_arrow(rows: list[dict[str, Any]], score: pa.DataType | None = None) -> pa.Table:
    """Rows as an Arrow table; `score` overrides the score type (e.g. float64 for NaN)."""
    schema = pa.schema(
        [
            ("sex", pa.string()),
            ("race", pa.string()),
            ("selected", pa.bool_()),
            ("score", score or pa.int64()),
            ("truth", pa.bool_()),
            ("prediction", pa.bool_()),
            ("age_band", pa.string()),
        ]
    )
    cols = {name: [r.get(name) for r in rows] for name in schema.names}
    return pa.table(cols, schema=schema)


def write_parquet(rows: list[dict[str, Any]], path: Path, score: pa.DataType | None = None) -> Path:
    pq.write_table(to_arrow(rows, score), path)
    return path


def write_sqlite(
    rows: list[dict[str, Any]], path: Path, table: str = "applicants", score: str = "INTEGER"
) -> Path:
    """SQLite stores NaN as NULL, so a NaN score arrives as a missing one (as it should)."""
    con = sqlite3.connect(path)
    con.execute(
        f"CREATE TABLE {table} (sex TEXT, race TEXT, selected BOOLEAN, score {score}, "
        "truth BOOLEAN, prediction BOOLEAN, age_band TEXT)"
    )
    con.executemany(
        f"INSERT INTO {table} VALUES (:sex, :race, :selected, :score, :truth, :prediction, "
        ":age_band)",
        rows,
    )
    con.commit()
    con.close()
    return path


def write_duckdb(
    rows: list[dict[str, Any]],
    path: Path,
    table: str = "applicants",
    score: pa.DataType | None = None,
) -> Path:
    import duckdb

    con = duckdb.connect(str(path))
    arrow = to_arrow(rows, score)  # noqa: F841 - read by DuckDB's replacement scan
    con.execute(f"CREATE TABLE {table} AS SELECT * FROM arrow")
    con.close()
    return path
