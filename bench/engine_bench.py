"""Engine benchmarks (design section 10): one profile, a 10,000-profile portfolio, CLI start-up.

Run: `make bench` (or `.venv/bin/python bench/engine_bench.py [--portfolio N]`).
Prints a table of medians; the machine is noisy, so compare ratios within one run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import platform
import random
import statistics
import subprocess
import sys
import time
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def generate_profiles(n: int, seed: int = 7) -> list:
    """Random but valid profiles covering every field group, so every rule path is exercised."""
    from accord import vocabulary
    from accord.profile.fields import profile_fields
    from accord.profile.loader import profile_from_dict
    from accord.questionnaire.session import set_path

    rng = random.Random(seed)
    fields = profile_fields()
    uses = list(vocabulary.use_cases())
    markets = [
        "EU",
        "DE",
        "FR",
        "US",
        "US-NY-NYC",
        "US-CO",
        "US-CA",
        "US-IL",
        "US-TX",
        "KR",
        "CN",
        "JP",
        "IN",
        "GB",
        "CA",
        "SG",
    ]
    out = []
    for i in range(n):
        data: dict = {"id": f"p{i}", "name": f"Profile {i}"}
        for path, spec in fields.items():
            if path == "controls.implemented" or rng.random() < 0.3:
                continue  # leave ~30% unknown, as real drafts do
            if spec.kind == "bool":
                value = rng.random() < 0.3
            elif spec.kind == "choice":
                value = rng.choice(spec.choices)
            elif spec.kind == "choices":
                value = rng.sample(spec.choices, k=rng.randint(0, min(2, len(spec.choices))))
            elif spec.kind == "codes":
                value = rng.sample(uses if path == "uses" else markets, k=rng.randint(1, 3))
            elif spec.kind == "number":
                value = 10 ** rng.uniform(5, 27)
            elif spec.kind == "integer":
                value = rng.randint(spec.minimum or 0, spec.maximum or 5_000_000)
            elif spec.kind == "date":
                value = dt.date(2024, 1, 1) + dt.timedelta(days=rng.randint(0, 1200))
            elif spec.vocabulary == "jurisdictions":
                value = rng.choice(markets)
            else:
                value = "x"
            set_path(data, path, value)
        out.append(profile_from_dict(data))
    return out


def timed(fn, repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--portfolio", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    from accord.engine import assess
    from accord.engine.evaluate import evaluate_all
    from accord.profile import load_profile
    from accord.profile.fields import facts
    from accord.rules.loader import load_rules

    as_of = dt.date(2026, 11, 27)
    t0 = time.perf_counter()
    rs = load_rules()
    load_s = time.perf_counter() - t0
    cv = load_profile(ROOT / "examples" / "cv-screener.yaml")
    one_full = statistics.median(timed(lambda: assess(cv, as_of, ruleset=rs), 50))
    one_core = statistics.median(timed(lambda: evaluate_all(rs, facts(cv), as_of), 200))

    t0 = time.perf_counter()
    profiles = generate_profiles(args.portfolio)
    gen_s = time.perf_counter() - t0

    def portfolio_core() -> None:
        for p in profiles:
            evaluate_all(rs, facts(p), as_of)

    def portfolio_full() -> None:
        for p in profiles:
            assess(p, as_of, ruleset=rs, explain=False)

    core = statistics.median(timed(portfolio_core, args.repeat))
    full = statistics.median(timed(portfolio_full, max(1, args.repeat // 2)))

    help_times = timed(
        lambda: subprocess.run(
            [sys.executable, "-m", "accord", "--help"], check=True, capture_output=True
        ),
        7,
    )
    bare = timed(lambda: subprocess.run([sys.executable, "-c", "pass"], check=True), 7)
    help_s, bare_s = statistics.median(help_times), statistics.median(bare)

    print(
        f"python {platform.python_version()}, pydantic {version('pydantic')}, "
        f"typer {version('typer')}, rich {version('rich')}; {platform.machine()}"
    )
    print(
        f"rulebooks: {len(rs.instruments)} instruments, {len(rs.rules)} rules; "
        f"load+compile {load_s * 1000:.0f} ms (once per process)"
    )
    print()
    print(f"| {'measure':<48} | {'median':>12} | {'per profile':>12} |")
    print(f"|{'-' * 50}|{'-' * 14}|{'-' * 14}|")
    rows = [
        ("assess 1 profile (CV screener), full result", one_full, one_full),
        ("assess 1 profile, core evaluation only", one_core, one_core),
        (f"portfolio {args.portfolio:,} profiles, core evaluation", core, core / len(profiles)),
        (
            f"portfolio {args.portfolio:,} profiles, full result (no trace)",
            full,
            full / len(profiles),
        ),
        ("`accord --help` start-up (python -m accord)", help_s, None),
        ("bare `python -c pass` (floor)", bare_s, None),
    ]
    for name, total, per in rows:
        per_txt = f"{per * 1000:.3f} ms" if per is not None else ""
        print(f"| {name:<48} | {total * 1000:>9.1f} ms | {per_txt:>12} |")
    print()
    print(
        f"help start-up over bare interpreter: {help_s / bare_s:.1f}x; "
        f"(generating {args.portfolio:,} profiles took {gen_s:.1f} s, not counted)"
    )


if __name__ == "__main__":
    main()
