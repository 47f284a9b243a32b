"""Crash safety and concurrent writers, on SQLite and PostgreSQL, with real processes.

(a) A process importing 500 profiles in batches is SIGKILLed in the middle of a batch: every
    committed batch is intact, the interrupted one left nothing, the log verifies, and the
    registry is writable again (no stale lock).
(b) Two processes import versions of the same systems and add evidence at the same time:
    nothing is lost, version numbers stay 1..n per system, and the chain verifies.
"""

from __future__ import annotations

import itertools
import os
import signal
import subprocess
import sys
from pathlib import Path

from tests.registry.conftest import raw_query

WORKER = Path(__file__).with_name("worker.py")
SIZE = 50


def _spawn(*args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    return subprocess.Popen(
        [sys.executable, str(WORKER), *args],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def test_sigkill_mid_import_leaves_committed_versions_intact(url):
    from accord.registry import store

    proc = _spawn("batches", url, "10", str(SIZE), "2")  # 500 profiles, 10 transactions
    committed = -1
    assert proc.stdout is not None
    for line in proc.stdout:
        kind, batch, *rest = line.split()
        if kind == "committed":
            committed = int(batch)
        # in the middle of the fourth batch: 3 committed, 20 rows of the 4th written
        if kind == "progress" and int(batch) == 3 and int(rest[0]) == 20:
            proc.send_signal(signal.SIGKILL)
            break
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL, proc.stderr.read() if proc.stderr else ""
    assert committed == 2  # batches 0, 1, 2
    rows = raw_query(url, "SELECT system_id, number FROM accord_versions ORDER BY id")
    # whole batches only: the killed one left nothing behind
    assert len(rows) == 3 * SIZE
    assert {r[0] for r in rows} == {f"gen-{i}" for i in range(3 * SIZE)}
    assert {r[1] for r in rows} == {1}
    with store.open_registry(url) as reg:
        report = reg.verify_log()
        assert report.ok, report.breaks
        assert report.events == 3 * SIZE
        systems = reg.load_systems()
        assert len(systems) == 3 * SIZE
        # the lock died with the process: another writer gets through
        more = [store.prepare([Path(__file__).parents[2] / "examples" / "spam-filter.yaml"])[0]]
        assert reg.import_prepared(more, "t", None)[0].status == "new"
        assert reg.verify_log().ok


def test_two_writers_at_once_lose_nothing(url):
    from accord.registry import store

    with store.open_registry(url):  # migrate first, so both start on a ready database
        pass
    n = 15
    procs = [_spawn("concurrent", url, tag, str(n)) for tag in ("alpha", "beta")]
    for p in procs:  # both connected and waiting
        assert p.stdout is not None and p.stdout.readline().strip() == "ready"
    for p in procs:
        assert p.stdin is not None
        p.stdin.write("go\n")
        p.stdin.flush()
    outs = [p.communicate(timeout=120) for p in procs]
    for p, (out, err) in zip(procs, outs, strict=True):
        assert p.returncode == 0, err
        assert out.strip() == "done"
    rows = raw_query(url, "SELECT system_id, number, author FROM accord_versions")
    assert len(rows) == 2 * n
    assert sorted(a for *_, a in rows).count("alpha") == n
    for sid in {r[0] for r in rows}:
        numbers = sorted(num for s, num, _ in rows if s == sid)
        assert numbers == list(range(1, len(numbers) + 1)), (sid, numbers)
    assert raw_query(url, "SELECT count(*) FROM accord_evidence") == [(2 * n,)]
    with store.open_registry(url) as reg:
        report = reg.verify_log()
    assert report.ok, report.breaks
    assert report.events == 4 * n
    # the two writers really interleaved (otherwise this test proves little)
    authors = [r[0] for r in raw_query(url, "SELECT actor FROM accord_events ORDER BY seq")]
    switches = sum(a != b for a, b in itertools.pairwise(authors))
    assert switches >= 2, authors
