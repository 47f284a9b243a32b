"""Bias-audit benchmark: Accord against the DuckDB SQL floor, pandas and fairlearn.

    python bench/audit_bench.py                    # 1M and 10M rows, 3 runs each
    python bench/audit_bench.py --sizes 1M,10M,100M

Data: generated with DuckDB into bench/data/audit-<rows>.parquet (gitignored), once.
Contenders, each in its own subprocess so memory is measured per contender:
- accord:    `accord.audit.bias_audit` (median + one grouped count on DuckDB, metrics in Python);
- duckdb-sql: the hand-written floor: the same two queries as plain SQL, no library around them;
- pandas:    read the columns into pandas, median, one groupby with the same sums;
- fairlearn: read into pandas, MetricFrame for sex, race and sex × race with count, selection
             rate, TPR, FPR and PPV (the fairness part only, so fairlearn does less work).
Wall time is the whole process (interpreter start, imports, work); "work" is the time the child
reports from after its imports to its result. Peak memory is the child's max RSS, read with
os.wait4, which returns the rusage of exactly that child (the same number
getrusage(RUSAGE_CHILDREN) gives when the child is the only one).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent
DATA = ROOT / "data"
CONTENDERS = ("accord", "duckdb-sql", "pandas", "fairlearn")
COLUMNS = ["sex", "race", "selected", "score", "truth", "prediction"]

GENERATE = """
COPY (
  SELECT
    CASE WHEN h % 100 < 1 THEN NULL WHEN h % 100 < 52 THEN 'Male' ELSE 'Female' END AS sex,
    CASE WHEN (h >> 8) % 100 < 2 THEN NULL
         WHEN (h >> 8) % 100 < 20 THEN 'Hispanic or Latino'
         WHEN (h >> 8) % 100 < 55 THEN 'White'
         WHEN (h >> 8) % 100 < 70 THEN 'Black or African American'
         WHEN (h >> 8) % 100 < 72 THEN 'Native Hawaiian or Pacific Islander'
         WHEN (h >> 8) % 100 < 88 THEN 'Asian'
         WHEN (h >> 8) % 100 < 90 THEN 'Native American or Alaska Native'
         ELSE 'Two or More Races' END AS race,
    s AS score,
    s + ((h >> 40) % 30) - CASE WHEN h % 100 >= 52 THEN 4 ELSE 0 END
      - ((h >> 8) % 100 % 7) > 62 AS selected,
    ((h >> 32) % 100) < 40 + s / 5 AS truth,
    s + ((h >> 44) % 25) - CASE WHEN h % 100 >= 52 THEN 3 ELSE 0 END > 60 AS prediction
  FROM (SELECT hash(i) AS h, ((hash(i) >> 16) % 100000) / 1000.0 AS s FROM range({n}) t(i))
) TO '{path}' (FORMAT parquet, ROW_GROUP_SIZE 1000000)
"""

FLOOR_MEDIAN = "SELECT median(score) FROM read_parquet('{f}')"
FLOOR_COUNTS = """
SELECT sex, race, count(*) AS n, count(selected) AS n_outcome,
       count_if(selected) AS selected, count(score) AS n_scored,
       count_if(score > {median}) AS above_median,
       count_if(truth IS NOT NULL AND prediction IS NOT NULL) AS n_classified,
       count_if(truth AND prediction) AS tp, count_if(NOT truth AND prediction) AS fp,
       count_if(truth AND NOT prediction) AS fn
FROM read_parquet('{f}') GROUP BY sex, race
"""


def parse_size(text: str) -> int:
    text = text.strip().upper()
    mult = {"K": 10**3, "M": 10**6, "G": 10**9}.get(text[-1], 1)
    return int(float(text.rstrip("KMG")) * mult)


def label(n: int) -> str:
    return f"{n // 10**6}M" if n % 10**6 == 0 else f"{n:,}"


def dataset(n: int) -> Path:
    """The Parquet file for n rows, generated with DuckDB on first use."""
    import duckdb

    DATA.mkdir(parents=True, exist_ok=True)
    path = DATA / f"audit-{label(n)}.parquet"
    if not path.exists():
        t = time.perf_counter()
        tmp = path.with_suffix(".tmp")
        duckdb.connect().execute(GENERATE.format(n=n, path=tmp))
        tmp.rename(path)
        print(f"generated {path} in {time.perf_counter() - t:.1f}s", file=sys.stderr)
    return path


# --- contenders (run in the child) ----------------------------------------------------------


def run_accord(f: str) -> Any:
    # File sources run on DuckDB directly (accord.audit.native); Ibis is not even imported.
    from accord.audit import bias_audit

    t = time.perf_counter()
    result = bias_audit(
        f,
        outcome="selected",
        score="score",
        truth="truth",
        prediction="prediction",
        sex="sex",
        race="race",
    )
    return time.perf_counter() - t, result.rows


def run_duckdb_sql(f: str) -> Any:
    import duckdb

    t = time.perf_counter()
    con = duckdb.connect()
    median = con.execute(FLOOR_MEDIAN.format(f=f)).fetchone()[0]  # type: ignore[index]
    rows = con.execute(FLOOR_COUNTS.format(f=f, median=repr(float(median)))).fetchall()
    return time.perf_counter() - t, sum(r[2] for r in rows)


def run_pandas(f: str) -> Any:
    import pandas as pd

    t = time.perf_counter()
    df = pd.read_parquet(f, columns=COLUMNS)
    median = df["score"].median()
    t_, p_ = df["truth"], df["prediction"]
    frame = pd.DataFrame(
        {
            "sex": df["sex"],
            "race": df["race"],
            "n": 1,
            "selected": df["selected"].fillna(False).astype("int64"),
            "above": (df["score"] > median).astype("int64"),
            "tp": (t_ & p_).fillna(False).astype("int64"),
            "fp": (~t_ & p_).fillna(False).astype("int64"),
            "fn": (t_ & ~p_).fillna(False).astype("int64"),
        }
    )
    out = frame.groupby(["sex", "race"], dropna=False).sum()
    return time.perf_counter() - t, int(out["n"].sum())


def run_fairlearn(f: str) -> Any:
    import pandas as pd
    from fairlearn.metrics import (
        MetricFrame,
        count,
        false_positive_rate,
        selection_rate,
        true_positive_rate,
    )
    from sklearn.metrics import precision_score

    t = time.perf_counter()
    df = pd.read_parquet(f, columns=COLUMNS).dropna(subset=["truth", "prediction"])
    metrics = {
        "count": count,
        "selection_rate": selection_rate,
        "true_positive_rate": true_positive_rate,
        "false_positive_rate": false_positive_rate,
        "positive_predictive_value": lambda y, p: precision_score(y, p, zero_division=0),
    }
    n = 0
    for features in (["sex"], ["race"], ["sex", "race"]):
        known = df.dropna(subset=features)
        mf = MetricFrame(
            metrics=metrics,
            y_true=known["truth"].astype(int),
            y_pred=known["prediction"].astype(int),
            sensitive_features=known[features],
        )
        mf.difference()
        mf.ratio()
        n = len(df)
    return time.perf_counter() - t, n


RUNNERS = {
    "accord": run_accord,
    "duckdb-sql": run_duckdb_sql,
    "pandas": run_pandas,
    "fairlearn": run_fairlearn,
}


# --- harness (parent) -----------------------------------------------------------------------


def measure(contender: str, path: Path) -> dict[str, float]:
    """Run one contender in a fresh child; whole-process wall time and the child's peak RSS."""
    cmd = [sys.executable, __file__, "--child", contender, str(path)]
    t = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t
    out = proc.stdout.read().decode() if proc.stdout else ""
    err = proc.stderr.read().decode() if proc.stderr else ""
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode:
        raise RuntimeError(f"{contender} failed:\n{err}")
    child = json.loads(out.strip().splitlines()[-1])
    return {"wall": wall, "work": child["work"], "rss_mb": usage.ru_maxrss / 1024}


def versions() -> str:
    from importlib.metadata import version

    names = ["accord", "duckdb", "ibis-framework", "pyarrow", "pandas", "fairlearn", "scikit-learn"]
    parts = []
    for name in names:
        try:
            parts.append(f"{name} {version(name)}")
        except Exception:
            parts.append(f"{name} (not installed)")
    return ", ".join(parts) + f"; Python {sys.version.split()[0]}; {os.cpu_count()} CPUs"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--sizes", default="1M,10M")
    ap.add_argument(
        "--repeat", type=int, help="runs per cell, median taken (default 3; 1 at >=100M)"
    )
    ap.add_argument("--fairlearn-max", default="10M", help="largest size for fairlearn")
    ap.add_argument("--pandas-max", default="100M", help="largest size for pandas")
    ap.add_argument("--contenders", default=",".join(CONTENDERS))
    ap.add_argument("--child", nargs=2, metavar=("CONTENDER", "FILE"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        work, rows = RUNNERS[args.child[0]](args.child[1])
        print(json.dumps({"work": work, "rows": rows}))
        return

    sizes = [parse_size(s) for s in args.sizes.split(",")]
    limits = {"fairlearn": parse_size(args.fairlearn_max), "pandas": parse_size(args.pandas_max)}
    contenders = [c for c in args.contenders.split(",") if c]
    print(f"# {versions()}")
    print(f"# {' '.join(['python', 'bench/audit_bench.py', *sys.argv[1:]])}")
    print("| rows | contender | wall s | work s | peak RSS MB | wall / floor | work / floor |")
    print("|---:|---|---:|---:|---:|---:|---:|")
    for n in sizes:
        path = dataset(n)
        repeat = args.repeat or (3 if n < 10**8 else 1)
        results: dict[str, dict[str, float]] = {}
        for contender in contenders:
            if n > limits.get(contender, n):
                continue
            # fairlearn takes minutes per run at 10M: one run is enough to place it.
            runs = [
                measure(contender, path) for _ in range(1 if contender == "fairlearn" else repeat)
            ]
            results[contender] = {
                "wall": statistics.median(r["wall"] for r in runs),
                "work": statistics.median(r["work"] for r in runs),
                "rss_mb": max(r["rss_mb"] for r in runs),
            }
        floor = results.get("duckdb-sql")
        for contender, r in results.items():
            ratio = f"{r['wall'] / floor['wall']:.2f}x" if floor else "-"
            wratio = f"{r['work'] / floor['work']:.2f}x" if floor else "-"
            print(
                f"| {label(n)} | {contender} | {r['wall']:.2f} | {r['work']:.2f} | "
                f"{r['rss_mb']:.0f} | {ratio} | {wratio} |",
                flush=True,
            )
        if "accord" in results and "fairlearn" in results:
            speedup = results["fairlearn"]["wall"] / results["accord"]["wall"]
            print(f"#   {label(n)}: fairlearn / accord whole-process wall time = {speedup:.1f}x")


if __name__ == "__main__":
    main()
