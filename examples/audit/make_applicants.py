"""Write applicants.csv: 400 made-up applicants for the example bias audit (fixed seed).

Nobody in this file exists. Values use the spellings of the DCWP rule and of EEO-1 forms
("White (Not Hispanic or Latino)", "Native Hawaiian or Other Pacific Islander", ...), a few are
blank or "Decline to state" (unknown category), and the AEDT's score and decision depend a
little on the category, so the tables have something to show.

    python examples/audit/make_applicants.py
"""

from __future__ import annotations

import csv
import random
from pathlib import Path

RACES = [  # (value as written in the data, how many of 400)
    ("Hispanic or Latino", 72),
    ("White (Not Hispanic or Latino)", 128),
    ("Black or African American (Not Hispanic or Latino)", 64),
    ("Native Hawaiian or Other Pacific Islander", 12),
    ("Asian (Not Hispanic or Latino)", 72),
    ("Native American or Alaska Native (Not Hispanic or Latino)", 6),
    ("Two or More Races (Not Hispanic or Latino)", 34),
    ("", 12),  # not answered: unknown race/ethnicity
]


def main(path: Path | None = None) -> Path:
    """Write the file (next to this script unless `path` is given) and return its path."""
    rng = random.Random(144)
    races = [value for value, n in RACES for _ in range(n)]
    rng.shuffle(races)
    rows = []
    for i, race in enumerate(races):
        gender = "Decline to state" if i % 50 == 7 else rng.choice(["Male", "Female"])
        shift = (5 if gender == "Male" else 0) + (4 if race.startswith(("White", "Asian")) else 0)
        score = max(0, min(100, round(rng.gauss(60 + shift, 15))))
        rows.append({"gender": gender, "race_ethnicity": race, "score": score,
                     "advanced": str(score >= 65).lower()})  # fmt: skip
    path = path or Path(__file__).with_name("applicants.csv")
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, ["gender", "race_ethnicity", "score", "advanced"])
        writer.writeheader()
        writer.writerows(rows)
    return path


if __name__ == "__main__":
    main()
