"""Portfolio scale (issue 11, item 6): load, assess and the multi-system commands over N profiles.

Run: `make bench-portfolio` (or `.venv/bin/python bench/bench_portfolio.py --sizes 1000,10000`).

Writes N generated profiles as YAML files into a temporary folder (bundled examples with new
ids, markets and recorded controls, plus random profiles covering every field, see
`write_portfolio`), then times, each the median of `--repeat` runs:

- loading the files (`accord.inventory.load_folder`);
- `assess_many` on them: the full result without traces, one process (the path before issue
  11, only up to `--baseline-max` profiles, it is slow); the lean result in one process; the
  lean result on every core; and with the result cache cold (empty) and warm;
- the real commands in a fresh process each (`accord check`, `accord portfolio`, `accord
  gaps` over the folder), with the cache cold and warm; a command that does not exist yet, or
  fails, is reported as such rather than stopping the run.

The machine is shared and noisy: compare ratios within one run, not across runs.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from importlib.metadata import version
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

AS_OF = dt.date(2026, 11, 29)
MARKETS = [
    "EU",
    "DE",
    "FR",
    "IT",
    "US",
    "US-NY-NYC",
    "US-NY",
    "US-CO",
    "US-CA",
    "US-IL",
    "US-TX",
    "US-UT",
    "KR",
    "CN",
    "JP",
    "GB",
    "CA",
    "SG",
    "VN",
    "TW",
]
CONTROL_STATUS = ["implemented", "implemented", "implemented", "in_progress", "planned"]


def portfolio_data(n: int, seed: int = 11) -> list[dict[str, Any]]:
    """N valid, varied profiles as plain data (what a YAML file holds).

    Two in three start from a bundled example (a real system description) and get a new id,
    a random set of markets and random recorded controls with dates; one in three is a random
    profile over every profile field (`engine_bench.generate_profiles`), so every rule path is
    exercised. Deterministic for a seed.
    """
    import yaml
    from engine_bench import generate_profiles

    from accord import vocabulary
    from accord.profile.loader import profile_from_dict

    rng = random.Random(seed)
    examples = [
        yaml.safe_load(p.read_text(encoding="utf-8"))
        for p in sorted((ROOT / "examples").glob("*.yaml"))
    ]
    controls = list(vocabulary.controls())
    n_random = n // 3
    randoms = generate_profiles(n_random, seed=seed)
    out: list[dict[str, Any]] = []
    for i in range(n):
        if i % 3 == 2 and randoms:
            data = randoms.pop().model_dump(mode="json", exclude_unset=True)
            if not data.get("markets"):  # a folder inventory takes files naming markets
                data["markets"] = rng.sample(MARKETS, k=rng.randint(1, 3))
        else:
            data = dict(examples[i % len(examples)])
            data["markets"] = rng.sample(MARKETS, k=rng.randint(1, 6))
            data["controls"] = [
                {
                    "id": cid,
                    "status": rng.choice(CONTROL_STATUS),
                    "date": (AS_OF - dt.timedelta(days=rng.randint(0, 900))).isoformat(),
                }
                for cid in rng.sample(controls, k=rng.randint(0, 8))
            ]
        data["id"] = f"{data['id']}-{i:05d}"
        data["name"] = f"{data['name']} #{i}"
        profile_from_dict(data)  # every generated profile must be valid
        out.append(data)
    return out


def write_portfolio(folder: Path, n: int, seed: int = 11) -> list[Path]:
    """Write `portfolio_data(n, seed)` as one YAML file per profile into `folder`."""
    import yaml

    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for data in portfolio_data(n, seed):
        path = folder / f"{data['id']}.yaml"
        path.write_text(
            yaml.dump(data, Dumper=dumper, sort_keys=False, allow_unicode=True), encoding="utf-8"
        )
        paths.append(path)
    return paths


def cpu_now() -> float:
    """CPU seconds (user + system) of this process and of every child it has waited for
    (worker processes included): robust to a busy machine where wall time is not."""
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def timed(
    fn: Callable[[], object], repeat: int, before: Callable[[], object] | None = None
) -> tuple[float, float]:
    """Median wall and CPU seconds of `fn` over `repeat` runs (`before` runs untimed first)."""
    walls, cpus = [], []
    for _ in range(repeat):
        if before is not None:
            before()
        c0, t0 = cpu_now(), time.perf_counter()
        fn()
        walls.append(time.perf_counter() - t0)
        cpus.append(cpu_now() - c0)
    return statistics.median(walls), statistics.median(cpus)


def command_exists(name: str) -> bool:
    r = subprocess.run(
        [sys.executable, "-m", "accord", name, "--help"], capture_output=True, cwd=ROOT
    )
    return r.returncode == 0


def run_command(args: list[str], cwd: Path) -> tuple[float, float, str]:
    """Wall and CPU seconds of `accord ARGS` in a fresh process, and '' or why it failed."""
    c0, t0 = cpu_now(), time.perf_counter()
    r = subprocess.run([sys.executable, "-m", "accord", *args], capture_output=True, cwd=cwd)
    wall, cpu = time.perf_counter() - t0, cpu_now() - c0
    if r.returncode not in (0, 1):  # 1: findings, a normal outcome for a gate
        lines = r.stderr.decode(errors="replace").strip().splitlines() or ["(no message)"]
        return wall, cpu, f"exit {r.returncode}: {lines[-1][:100]}"
    return wall, cpu, ""


Row = tuple[str, tuple[float, float] | None, str]


def bench_size(n: int, args: argparse.Namespace, rows: list[Row]) -> None:
    from accord.engine.batch import assess_many, cache_dir_default
    from accord.inventory import load_folder
    from accord.rules.loader import load_rules

    work = Path(tempfile.mkdtemp(prefix=f"accord-portfolio-{n}-"))
    try:
        folder = work / "profiles"
        t0 = time.perf_counter()
        write_portfolio(folder, n)
        gen_s = time.perf_counter() - t0
        (work / "accord.toml").write_text('inventory = ["profiles"]\n', encoding="utf-8")
        rs = load_rules()
        label = f"{n:,}"
        load_s = timed(lambda: load_folder([folder]), args.repeat)
        rows.append((f"{label}: load_folder (read, parse, validate)", load_s, ""))
        profiles = [s.profile for s in load_folder([folder])]

        def many(**kw: Any) -> Callable[[], object]:
            return lambda: assess_many(profiles, AS_OF, ruleset=rs, **kw)

        if n <= args.baseline_max:
            full_s = timed(many(workers=1), max(1, args.repeat // 2))
            rows.append((f"{label}: assess_many full, 1 process (before)", full_s, ""))
        else:
            rows.append((f"{label}: assess_many full, 1 process (before)", None, "not run"))
        rows.append(
            (f"{label}: assess_many lean, 1 process", timed(many(lean=True, workers=1), 1), "")
        )
        rows.append((f"{label}: assess_many lean, parallel", timed(many(lean=True), 3), ""))
        cache = work / "cache"

        def clear() -> None:
            shutil.rmtree(cache, ignore_errors=True)

        kw = {"lean": True, "cache": True, "cache_dir": cache}
        cold = timed(many(**kw), args.repeat, before=clear)
        rows.append((f"{label}: assess_many lean, parallel, cache cold", cold, ""))
        warm = timed(many(**kw), args.repeat)
        rows.append((f"{label}: assess_many lean, cache warm", warm, ""))

        commands = {
            "check": ["check", "profiles"],
            "portfolio": ["portfolio"],
            "gaps": ["gaps"],
        }
        own_cache = work / cache_dir_default()
        for name, cmd in commands.items():
            if name not in args.available:
                rows.append((f"{label}: `accord {' '.join(cmd)}`", None, "no such command yet"))
                continue
            for state in ("cold", "warm"):
                walls, cpus, note = [], [], ""
                for _ in range(args.repeat):
                    if state == "cold":
                        shutil.rmtree(own_cache, ignore_errors=True)
                    wall, cpu, note = run_command(cmd, work)
                    walls.append(wall)
                    cpus.append(cpu)
                    if note:
                        break
                title = f"{label}: `accord {' '.join(cmd)}`, cache {state}"
                rows.append((title, (statistics.median(walls), statistics.median(cpus)), note))
        print(f"(generating {label} profile files took {gen_s:.1f} s, not counted)", flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="1000,10000", help="comma-separated profile counts")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--baseline-max",
        type=int,
        default=1000,
        help="time the old full-result path only up to this many profiles (it is slow)",
    )
    args = parser.parse_args()
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s]
    args.available = {c for c in ("check", "portfolio", "gaps") if command_exists(c)}

    from accord.rules.loader import load_rules

    rs = load_rules()
    bare, _ = timed(lambda: subprocess.run([sys.executable, "-c", "pass"], check=True), 5)
    load = os.getloadavg()[0]
    rows: list[Row] = []
    for n in sizes:
        bench_size(n, args, rows)

    import yaml

    print(
        f"# accord {version('accord')}, pydantic {version('pydantic')}, PyYAML {version('pyyaml')}"
        f" (libyaml {'yes' if hasattr(yaml, 'CSafeLoader') else 'no'}); "
        f"Python {platform.python_version()}; {os.cpu_count()} CPUs; median of {args.repeat}"
    )
    print(
        f"# rulebooks: {len(rs.instruments)} instruments, {len(rs.rules)} rules; "
        f"bare interpreter {bare * 1000:.0f} ms; as of {AS_OF}; "
        f"load average {load:.1f} before, {os.getloadavg()[0]:.1f} after"
    )
    print("| measure | wall s | CPU s | wall ms / profile | note |")
    print("|---|---:|---:|---:|---|")
    for name, secs, note in rows:
        n = int(name.split(":", 1)[0].replace(",", ""))
        if secs is None:
            print(f"| {name} | - | - | - | {note} |")
            continue
        wall, cpu = secs
        print(f"| {name} | {wall:.2f} | {cpu:.2f} | {wall / n * 1000:.3f} | {note} |")
    by = {name: secs[0] for name, secs, _ in rows if secs is not None}
    for n in sizes:
        label = f"{n:,}"
        full = by.get(f"{label}: assess_many full, 1 process (before)")
        lean1 = by.get(f"{label}: assess_many lean, 1 process")
        par = by.get(f"{label}: assess_many lean, parallel")
        warm = by.get(f"{label}: assess_many lean, cache warm")
        parts = []
        if full and lean1:
            parts.append(f"full/lean {full / lean1:.1f}x")
        if lean1 and par:
            parts.append(f"1 process/parallel {lean1 / par:.1f}x")
        if par and warm:
            parts.append(f"parallel/warm cache {par / warm:.1f}x")
        print(f"{label}: " + ", ".join(parts))


if __name__ == "__main__":
    main()
