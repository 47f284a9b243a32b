"""Many profiles at once: the entry point `check`, `gaps` and `portfolio` share.

Kept separate from `assess` so that parallelism and caching (issue 11, item 6) live in one
place and every multi-system command gets them:

- `lean=True` builds only what multi-system commands print (see `accord.engine.assess`);
- batches of `PARALLEL_MIN` profiles or more are spread over every core with forked worker
  processes, which inherit the rule set already loaded in the parent (nothing is re-loaded or
  sent to them but a range of indices); smaller batches, and platforms without `fork`, run in
  this process, where starting workers would cost more than it saves;
- `cache=True` keeps each result on disk (`accord.engine.cache`), so an unchanged system is
  not assessed again.

Whatever the options, the results are the same objects' values, in the same order, as assessing
each profile in turn (tests compare them).
"""

from __future__ import annotations

import datetime as dt
import gc
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from accord.engine.cache import cache_dir_default
from accord.engine.result import Assessment
from accord.errors import AccordError
from accord.gcpause import paused_gc
from accord.profile.model import Profile
from accord.rules.ruleset import RuleSet

__all__ = ["PARALLEL_MIN", "BatchStats", "assess_many", "cache_dir_default", "load_many"]

PARALLEL_MIN = 200
"""Fewest profiles (left to assess after the cache) worth starting worker processes for: below
it, forking and collecting results cost more than the work (a lean result takes ~2-4 ms)."""


@dataclass
class BatchStats:
    """What one `assess_many` call did; pass one in to read it (tests, benchmarks)."""

    profiles: int = 0
    assessed: int = 0
    """Profiles actually evaluated (the rest came from the cache)."""
    cache_hits: int = 0
    cache_writes: int = 0
    workers: int = 1


@dataclass
class _Job:
    """Everything a worker needs; set in the parent just before forking, so inherited."""

    profiles: Sequence[Profile]
    as_of: dt.date
    ruleset: RuleSet
    jurisdictions: tuple[str, ...]
    explain: bool
    lean: bool
    cache: object | None  # ResultCache, or None
    keys: list[str | None]


_JOB: _Job | None = None


def assess_many(
    profiles: Sequence[Profile],
    as_of: dt.date,
    *,
    ruleset: RuleSet | None = None,
    jurisdictions: Sequence[str] = (),
    explain: bool = False,
    lean: bool = False,
    workers: int | None = None,
    cache: bool = False,
    cache_dir: Path | None = None,
    stats: BatchStats | None = None,
) -> list[Assessment]:
    """One assessment per profile, in order.

    `lean`: the result multi-system commands need (only findings that apply or may apply, no
    ranked open questions; see `accord.engine.assess.assess`). `workers`: processes to use
    (default: every core the process may run on, for `PARALLEL_MIN` profiles or more; 1: this
    process only). `cache`: read and write results under `cache_dir` (default
    $ACCORD_CACHE_DIR or `.accord/cache`); commands pass `cache=not no_cache`.
    """
    from accord.engine.assess import selected_instruments
    from accord.rules.loader import load_rules

    rs = ruleset or load_rules()
    codes = tuple(jurisdictions)
    selected_instruments(rs, codes)  # unknown codes fail here, once, not in every worker
    stats = stats if stats is not None else BatchStats()
    stats.profiles = len(profiles)
    results: list[Assessment | None] = [None] * len(profiles)
    keys: list[str | None] = [None] * len(profiles)
    store = None
    with paused_gc():
        if cache:
            from accord.engine.cache import ResultCache, context_key, profile_hash

            options = {"explain": explain, "lean": lean}
            store = ResultCache(
                cache_dir if cache_dir is not None else cache_dir_default(),
                context_key(rs, as_of, codes, options),
            )
            for i, p in enumerate(profiles):
                key = store.key(profile_hash(p))
                results[i] = store.get(key)
                keys[i] = key
            stats.cache_hits = store.hits
        todo = [i for i, r in enumerate(results) if r is None]
        stats.assessed = len(todo)
        job = _Job(profiles, as_of, rs, codes, explain, lean, store, keys)
        n_workers = _workers(workers, len(todo))
        stats.workers = n_workers
        if n_workers > 1:
            done, written = _parallel(job, todo, n_workers)
        else:
            done, written = _run(job, todo)
        for i, a in zip(todo, done, strict=True):
            results[i] = a
        stats.cache_writes = written
        if store is not None and todo:
            store.prune()
    return results  # type: ignore[return-value]  # every slot is filled above


def _workers(requested: int | None, n: int) -> int:
    """How many processes to use for `n` profiles."""
    if requested is not None:
        wanted = max(1, requested)
    else:
        if n < PARALLEL_MIN:
            return 1
        try:
            wanted = len(os.sched_getaffinity(0))
        except AttributeError:  # not Linux
            wanted = os.cpu_count() or 1
    if wanted <= 1 or n < 2:
        return 1
    import multiprocessing

    if "fork" not in multiprocessing.get_all_start_methods():
        return 1  # spawned workers would re-import and re-load the rules: not worth it
    return min(wanted, n)


def _run(job: _Job, indices: Sequence[int]) -> tuple[list[Assessment], int]:
    """Assess the profiles at `indices` here, writing each result to the cache if there is
    one; returns the results and how many were written to the cache."""
    from accord.engine.assess import assess

    before = job.cache.writes if job.cache is not None else 0  # type: ignore[attr-defined]
    out = []
    for i in indices:
        a = assess(
            job.profiles[i],
            job.as_of,
            ruleset=job.ruleset,
            jurisdictions=job.jurisdictions,
            explain=job.explain,
            lean=job.lean,
        )
        key = job.keys[i]
        if job.cache is not None and key is not None:
            job.cache.put(key, a)  # type: ignore[attr-defined]
        out.append(a)
    if job.lean:
        _share_identical(out)
    after = job.cache.writes if job.cache is not None else 0  # type: ignore[attr-defined]
    return out, after - before


def _share_identical(results: list[Assessment]) -> None:
    """In lean results, make equal instrument results that hold nothing (out of scope, no
    finding) and equal verdict lines without classes one shared object each.

    Most of a portfolio's instruments do not reach a given system (34 of 44 for the generated
    one), so this halves what a worker sends back and what the parent unpickles (measured 1.25
    -> 0.49 ms a profile) and the parent's memory. Values are unchanged; the shared objects
    must be treated as read-only, as every multi-system command does.
    """
    memo: dict[tuple, object] = {}
    for a in results:
        for k, i in enumerate(a.instruments):
            if (
                i.classifications
                or i.prohibitions
                or i.obligations
                or i.penalties
                or i.needs_review
                or i.scope_trace
                or i.scope_assumptions
            ):
                continue
            caveats = tuple((c.text, c.since, c.confidence, c.url) for c in i.caveats)
            rest = (x for f, x in i.__dict__.items() if f != "caveats")
            key = ("i", *(tuple(x) if isinstance(x, list) else x for x in rest), caveats)
            try:
                a.instruments[k] = memo.setdefault(key, i)  # type: ignore[assignment]
            except TypeError:  # an unhashable value: keep this one as it is
                continue
        for k, v in enumerate(a.verdict):
            if v.classes or v.prohibited or v.possibly_prohibited:
                continue
            key = ("v", *(tuple(x) if isinstance(x, list) else x for x in v.__dict__.values()))
            try:
                a.verdict[k] = memo.setdefault(key, v)  # type: ignore[assignment]
            except TypeError:
                continue


def _worker(indices: list[int]) -> tuple[list[Assessment], int]:
    """Runs in a forked child: the job (profiles, rule set) is already in its memory."""
    assert _JOB is not None, "worker started without a job (not forked?)"
    gc.disable()  # short-lived process, acyclic results: the collector would only cost time
    return _run(_JOB, indices)


def _parallel(job: _Job, todo: list[int], n_workers: int) -> tuple[list[Assessment], int]:
    """`todo` split into chunks over forked workers; results in the order of `todo`.

    Chunks are small enough that every worker stays busy to the end and the parent unpickles
    results while the workers go on. If the pool breaks (a worker killed, fork refused), the
    rest is assessed here, so a result is never lost to the parallelism.
    """
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    global _JOB
    # The first profile is assessed here: that fills the rule set's per-date caches (time
    # states, class depths), which the workers then inherit instead of each rebuilding them.
    out, written = _run(job, todo[:1])
    todo = todo[1:]
    size = max(10, min(250, len(todo) // (n_workers * 6) or 1))
    chunks = [todo[k : k + size] for k in range(0, len(todo), size)]
    _JOB = job
    try:
        ctx = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=n_workers, mp_context=ctx) as pool:
            futures = [pool.submit(_worker, chunk) for chunk in chunks]
            for k, fut in enumerate(futures):
                try:
                    part, n = fut.result()
                except BrokenProcessPool:
                    for f in futures[k:]:
                        f.cancel()
                    part, n = _run(job, [i for chunk in chunks[k:] for i in chunk])
                    out += part
                    written += n
                    break
                out += part
                written += n
    except OSError:  # could not fork at all
        part, n = _run(job, todo[len(out) - 1 :])
        out += part
        written += n
    finally:
        _JOB = None
    return out, written


def load_many(
    files: Sequence[Path], *, workers: int | None = None
) -> list[tuple[Profile, list[str]] | AccordError]:
    """Each profile file loaded with its evidence applied (`load_profile`, `apply_evidence`),
    in order; from `PARALLEL_MIN` files on, parsed in forked workers (YAML parsing and
    validation cost ~1-2 ms a file, as much as a lean assessment).

    Loading stops at the first bad file: its error (every problem with its line and column,
    exactly as `load_profile` raises it) is the last item, for the caller to raise when it
    gets there, so errors come in the same order as loading the files in turn.
    """
    files = list(files)
    n_workers = _workers(workers, len(files))
    out: list[tuple[Profile, list[str]] | AccordError] = []
    with paused_gc():
        if n_workers <= 1:
            for f in files:
                try:
                    out.append(_load_one(f))
                except AccordError as exc:
                    out.append(exc)
                    break
            return out
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        size = max(10, min(250, len(files) // (n_workers * 6) or 1))
        chunks = [files[k : k + size] for k in range(0, len(files), size)]
        ctx = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=n_workers, mp_context=ctx) as pool:
            for part, failure in pool.map(_load_worker, chunks):
                out += part
                if failure is not None:
                    cls, message, state = failure
                    exc = cls.__new__(cls)
                    Exception.__init__(exc, message)
                    exc.__dict__.update(state)
                    out.append(exc)
                    break
        return out


def _load_one(f: Path) -> tuple[Profile, list[str]]:
    from accord.profile import load_profile
    from accord.profile.evidence import apply_evidence

    return apply_evidence(load_profile(f), f.parent)


def _load_worker(
    chunk: list[Path],
) -> tuple[list[tuple[Profile, list[str]]], tuple[type, str, dict] | None]:
    """Load a chunk in a forked child; stop at the first error and send it back whole (an
    Accord error's problems, with their locations, would not survive plain pickling)."""
    gc.disable()
    out = []
    for f in chunk:
        try:
            out.append(_load_one(f))
        except AccordError as exc:
            return out, (type(exc), exc.message, dict(exc.__dict__))
    return out, None
