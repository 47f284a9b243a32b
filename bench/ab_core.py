"""Compare the engine's core evaluation with an earlier commit, in one run on one machine.

The machine is shared and noisy, so absolute times drift between runs; alternating the two
trees in one invocation gives a ratio that can be trusted. Each tree is measured in its own
subprocess on its own generated profiles (profile models differ between versions).

    python bench/ab_core.py 64bf2e6            # checks the commit out in a temporary worktree
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

CHILD = r"""
import datetime as dt, statistics, sys, time
root = sys.argv[1]
sys.path[:0] = [root + "/src", root + "/bench"]
from engine_bench import generate_profiles
from accord.engine.evaluate import evaluate_all
from accord.profile.fields import facts
from accord.rules.loader import load_rules

rs = load_rules()
ps = generate_profiles(int(sys.argv[2]))
fs = [facts(p) for p in ps]
day = dt.date(2026, 11, 29)

def per_profile(**kw):
    runs = []
    for _ in range(5):
        start = time.perf_counter()
        for f in fs:
            evaluate_all(rs, f, day, **kw)
        runs.append((time.perf_counter() - start) / len(fs) * 1000)
    return statistics.median(runs)

print(per_profile(), per_profile(unknowns=False))
"""


def measure(tree: Path, n: int) -> tuple[float, float]:
    out = subprocess.run(
        [sys.executable, "-c", CHILD, str(tree), str(n)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    return float(out[0]), float(out[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("ref", help="git commit or tag to compare against")
    parser.add_argument("--profiles", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        old = Path(tmp) / "old"
        subprocess.run(
            ["git", "-C", str(ROOT), "worktree", "add", "-q", "--detach", str(old), args.ref],
            check=True,
        )
        try:
            pairs = [(measure(old, args.profiles), measure(ROOT, args.profiles))]
            pairs += [
                (measure(old, args.profiles), measure(ROOT, args.profiles))
                for _ in range(args.rounds - 1)
            ]
        finally:
            subprocess.run(
                ["git", "-C", str(ROOT), "worktree", "remove", "--force", str(old)], check=True
            )
    print(f"core evaluation per profile, {args.profiles} profiles, median of {args.rounds} rounds")
    print("| measure | before | after | ratio |\n|---|---:|---:|---:|")
    for i, label in enumerate(("values, unknown fields and presumptions", "values only")):
        before = statistics.median(p[0][i] for p in pairs)
        after = statistics.median(p[1][i] for p in pairs)
        print(f"| {label} | {before:.2f} ms | {after:.2f} ms | {after / before:.2f}x |")


if __name__ == "__main__":
    main()
