"""A separate process writing to the registry, for the crash and concurrency tests.

    worker.py batches URL BATCHES SIZE SLEEP_MS    imports gen-0.. in BATCHES transactions
    worker.py concurrent URL TAG N                 N one-profile imports + N evidence records

It prints progress lines (flushed) so the test knows when it is in the middle of a write.
Profiles are built in memory (no YAML) so the test measures the database, not the loader.
"""

from __future__ import annotations

import datetime as dt
import sys
import time


def _prepared(sid: str, description: str):  # type: ignore[no-untyped-def]
    from pathlib import Path

    from accord.profile.model import Profile
    from accord.registry import store

    profile = Profile.model_validate(
        {
            "id": sid,
            "name": f"Generated {sid}",
            "markets": ["EU", "US-NY-NYC"],
            "uses": ["employment.recruitment.screening"],
            "description": description,
        }
    )
    text = store.profile_json(profile)
    return store.Prepared(Path(f"{sid}.yaml"), profile, text, store.sha256_text(text))


def batches(url: str, count: int, size: int, sleep_ms: float) -> None:
    from accord.registry import store

    with store.open_registry(url) as reg:
        for b in range(count):
            batch = [_prepared(f"gen-{b * size + i}", "generated") for i in range(size)]

            def progress(i: int, b: int = b) -> None:
                print(f"progress {b} {i}", flush=True)
                time.sleep(sleep_ms / 1000)

            reg.import_prepared(batch, "worker", f"batch {b}", progress=progress)
            print(f"committed {b}", flush=True)


def concurrent(url: str, tag: str, n: int) -> None:
    from accord.inventory.model import EvidenceRecord
    from accord.registry import store

    with store.open_registry(url) as reg:
        print("ready", flush=True)
        sys.stdin.readline()  # wait for "go", so both writers start together
        for i in range(n):
            reg.import_prepared([_prepared(f"shared-{i % 5}", f"{tag} {i}")], tag, None)
            rec = EvidenceRecord(
                system_id=f"shared-{i % 5}",
                control="bias-audit",
                location=f"https://example.com/{tag}/{i}",
                date=dt.date(2026, 1, 1),
            )
            reg.add_evidence(rec, "url", None, tag)
            # Yield the CPU between iterations: on a loaded machine one writer could otherwise
            # finish before the other is scheduled, and the writes would not overlap at all.
            time.sleep(0.01)
    print("done", flush=True)


if __name__ == "__main__":
    mode, url, *rest = sys.argv[1:]
    if mode == "batches":
        batches(url, int(rest[0]), int(rest[1]), float(rest[2]))
    else:
        concurrent(url, rest[0], int(rest[1]))
