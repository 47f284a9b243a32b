"""Rulebook scale (issue 8): load, `rules test` and `rules lint` on a generated rulebook of N
rules next to the built-in one, and the profile-size limits.

Run: `make bench-rulebooks` (or `.venv/bin/python bench/rulebook_scale.py --rules 5000`).
Each measure is the median of `--repeat` runs of the real CLI in a fresh process.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from importlib.metadata import version
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.synthetic_rulebook import write_rulebook  # noqa: E402

ACCORD = [sys.executable, "-m", "accord"]


def run(args: list[str], repeat: int) -> tuple[float, int]:
    """Median wall time (s) and size of stdout (bytes) of `accord ARGS`."""
    times, size = [], 0
    for _ in range(repeat):
        start = time.perf_counter()
        r = subprocess.run([*ACCORD, *args], capture_output=True, cwd=ROOT)
        times.append(time.perf_counter() - start)
        if r.returncode != 0:
            raise SystemExit(f"accord {' '.join(args)} failed:\n{r.stderr.decode()[-2000:]}")
        size = len(r.stdout)
    return statistics.median(times), size


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rules", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="accord-scale-"))
    write_rulebook(tmp / "books", args.rules)
    books = ["--rulebooks", str(tmp / "books")]
    from accord import vocabulary

    uses, codes = list(vocabulary.use_cases()), list(vocabulary.jurisdictions())
    profiles = {}
    for n in (100, 1000):
        path = tmp / f"profile-{n}.yaml"
        data = {
            "id": "big",
            "name": "Big",
            "roles": ["provider", "deployer"],
            "uses": (uses * (n // len(uses) + 1))[:n],
            "markets": (codes * (n // len(codes) + 1))[:n],
        }
        path.write_text(yaml.safe_dump(data))
        profiles[n] = str(path)

    rows = [
        ("rules test, built-in (390 rules)", ["rules", "test"]),
        (f"rules test, +{args.rules:,} generated rules", ["rules", "test", *books]),
        ("rules lint, built-in", ["rules", "lint"]),
        (f"rules lint, +{args.rules:,} generated rules", ["rules", "lint", *books]),
        ("assess, 100 uses and 100 markets, JSON", ["assess", profiles[100], "-f", "json"]),
        ("assess, 1,000 uses and 1,000 markets, JSON", ["assess", profiles[1000], "-f", "json"]),
        ("assess, 1,000 of each, -v --all text", ["assess", profiles[1000], "-v", "--all"]),
    ]
    print(
        f"# accord {version('accord')}, pydantic {version('pydantic')}, "
        f"PyYAML {version('PyYAML')}, rich {version('rich')}; Python "
        f"{platform.python_version()}; median of {args.repeat} runs"
    )
    print("| measure | wall s | output KB |")
    print("|---|---:|---:|")
    results = {}
    for label, cli in rows:
        wall, size = run(cli, args.repeat)
        results[label] = (wall, size)
        print(f"| {label} | {wall:.2f} | {size / 1024:.0f} |")
    small = results["assess, 100 uses and 100 markets, JSON"]
    large = results["assess, 1,000 uses and 1,000 markets, JSON"]
    print(
        f"\n10x longer lists: output {large[1] / small[1]:.2f}x, time {large[0] / small[0]:.2f}x "
        "(linear or better; quadratic would be about 100x)"
    )


if __name__ == "__main__":
    main()
