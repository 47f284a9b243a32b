"""Many profiles at once (issue 11, item 6): lean results, worker processes and the result cache.

Every fast path is compared with the plain one it replaces: lean results with the full result
filtered the way the default JSON output lists it, parallel runs with assessing each profile in
turn, cache hits with fresh assessments. Cache misses are shown for each part of the key (profile,
rulebooks, date, jurisdictions, options) and damaged entries are shown to be recomputed.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import pickle
import sys
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, ROOT

AS_OF = dt.date(2026, 11, 29)


@pytest.fixture(scope="module")
def profiles():
    """300 generated profiles: examples with new markets and controls, and random ones."""
    sys.path.insert(0, str(ROOT / "bench"))
    from bench_portfolio import portfolio_data

    from accord.profile.loader import profile_from_dict

    return [profile_from_dict(d) for d in portfolio_data(300, seed=5)]


@pytest.fixture(scope="module")
def lean_sequential(profiles, ruleset):
    from accord.engine.batch import assess_many

    return assess_many(profiles, AS_OF, ruleset=ruleset, lean=True, workers=1)


def _expected_lean(full):
    """What a lean result must be: the full one listed as the default output lists it
    (findings that apply or may apply), without ranked questions."""
    from accord.report.assessment_json import listed

    return listed(full).model_copy(update={"open_questions": []})


def test_lean_result_is_the_full_result_without_what_multi_system_commands_skip(
    profiles, ruleset, lean_sequential
):
    from accord.engine import assess
    from accord.profile import load_profile

    examples = [load_profile(p) for p in sorted(EXAMPLES.glob("*.yaml"))]
    for i, p in enumerate(examples):
        day = (AS_OF, dt.date(2028, 1, 1))[i % 2]
        full = assess(p, day, ruleset=ruleset, explain=False)
        lean = assess(p, day, ruleset=ruleset, explain=False, lean=True)
        assert lean == _expected_lean(full), (p.id, day)
        assert lean.listing == "relevant" and lean.open_questions == []
    for p, lean in list(zip(profiles, lean_sequential, strict=True))[::12]:
        assert lean == _expected_lean(assess(p, AS_OF, ruleset=ruleset, explain=False)), p.id
    # The verdict's presumption counts include presumptions behind rules that do not apply,
    # which the lean lists leave out: the generated set must exercise that case.
    hidden = [
        x
        for a in lean_sequential
        for x in a.assumptions
        if not set(x.findings) & {f.rule_id for f in a.findings()}
    ]
    assert hidden, "no profile has a presumption resting only on rules that do not apply"


def test_parallel_results_equal_sequential_ones(profiles, ruleset, lean_sequential):
    from accord.engine.batch import BatchStats, assess_many

    stats = BatchStats()
    parallel = assess_many(profiles, AS_OF, ruleset=ruleset, lean=True, workers=2, stats=stats)
    assert stats.workers == 2 and stats.assessed == len(profiles)
    assert parallel == lean_sequential
    assert [a.profile_id for a in parallel] == [p.id for p in profiles]  # order kept


def test_parallel_full_results_and_jurisdictions_equal_sequential_ones(profiles, ruleset):
    from accord.engine.batch import assess_many

    some = profiles[:10]
    for codes, explain in (((), False), (("EU", "US-NY-NYC"), True)):
        kw = {"ruleset": ruleset, "jurisdictions": codes, "explain": explain}
        sequential = assess_many(some, AS_OF, workers=1, **kw)
        assert assess_many(some, AS_OF, workers=2, **kw) == sequential


def test_small_batches_stay_in_process(profiles, ruleset, monkeypatch):
    from accord.engine import batch

    monkeypatch.setattr(batch, "PARALLEL_MIN", 8)
    small, large = batch.BatchStats(), batch.BatchStats()
    batch.assess_many(profiles[:7], AS_OF, ruleset=ruleset, lean=True, stats=small)
    batch.assess_many(profiles[:8], AS_OF, ruleset=ruleset, lean=True, stats=large)
    import os

    assert small.workers == 1
    assert large.workers == min(8, len(os.sched_getaffinity(0)))  # every core, here 2


def test_unknown_jurisdiction_is_an_input_error_before_any_work(profiles, ruleset):
    from accord.engine.batch import assess_many
    from accord.errors import InputError

    with pytest.raises(InputError, match="unknown jurisdiction 'XX'"):
        assess_many(profiles, AS_OF, ruleset=ruleset, jurisdictions=["XX"], workers=2)


class CountingAssess:
    """The real `assess`, counting its calls (the evaluator the cache must spare)."""

    def __init__(self) -> None:
        from accord.engine.assess import assess

        self.real = assess
        self.calls = 0

    def __call__(self, *args, **kwargs):
        self.calls += 1
        return self.real(*args, **kwargs)


@pytest.fixture
def counted(monkeypatch):
    import importlib

    counter = CountingAssess()
    monkeypatch.setattr(importlib.import_module("accord.engine.assess"), "assess", counter)
    return counter


def test_cache_hit_returns_equal_results_without_evaluating(
    profiles, ruleset, lean_sequential, tmp_path, counted
):
    from accord.engine.batch import BatchStats, assess_many

    some, expected = profiles[:60], lean_sequential[:60]
    kw = {"ruleset": ruleset, "lean": True, "workers": 1, "cache": True, "cache_dir": tmp_path}
    first = BatchStats()
    assert assess_many(some, AS_OF, stats=first, **kw) == expected
    assert (first.assessed, first.cache_hits, first.cache_writes) == (60, 0, 60)
    assert counted.calls == 60
    second = BatchStats()
    again = assess_many(some, AS_OF, stats=second, **kw)
    assert again == expected
    assert (second.assessed, second.cache_hits, second.cache_writes) == (0, 60, 0)
    assert counted.calls == 60  # not one more evaluation
    assert len(list((tmp_path / "results-v1").rglob("*.pickle"))) == 60


def test_parallel_workers_write_the_cache_the_parent_reads(profiles, ruleset, tmp_path):
    from accord.engine.batch import BatchStats, assess_many

    kw = {"ruleset": ruleset, "lean": True, "cache": True, "cache_dir": tmp_path}
    first, second = BatchStats(), BatchStats()
    cold = assess_many(profiles[:40], AS_OF, workers=2, stats=first, **kw)
    warm = assess_many(profiles[:40], AS_OF, workers=2, stats=second, **kw)
    assert first.workers == 2 and first.cache_writes == 40
    assert second.cache_hits == 40 and second.assessed == 0
    assert cold == warm


def test_any_change_in_the_key_misses(profiles, ruleset, tmp_path):
    from accord.engine.batch import BatchStats, assess_many
    from accord.rules.ruleset import RuleSet

    base = profiles[:5]
    kw = {"workers": 1, "cache": True, "cache_dir": tmp_path}
    assess_many(base, AS_OF, ruleset=ruleset, lean=True, **kw)

    def misses(ps, day=AS_OF, rs=ruleset, **extra):
        stats = BatchStats()
        out = assess_many(ps, day, ruleset=rs, stats=stats, **{"lean": True, **kw, **extra})
        return stats.assessed, out

    assert misses(base)[0] == 0
    changed = base[0].model_copy(update={"name": base[0].name + " v2"})
    n, out = misses([changed, *base[1:]])
    assert n == 1 and out[0].profile_name == changed.name
    assert misses(base, day=AS_OF + dt.timedelta(days=1))[0] == 5
    assert misses(base, jurisdictions=["EU"])[0] == 5
    assert misses(base, lean=False)[0] == 5
    # The same rulebooks with one rule's title edited: a different rule set, every entry misses.
    book = next(b for b in ruleset.books if b.instrument.id == "eu-ai-act")
    rule = book.rules[0]
    edited = dataclasses.replace(
        book, rules=[rule.model_copy(update={"title": rule.title + "!"}), *book.rules[1:]]
    )
    other = RuleSet([edited if b is book else b for b in ruleset.books])
    assert misses(base, rs=other)[0] == 5


def test_an_added_rulebook_misses(profiles, ruleset, tmp_path):
    from accord.engine.batch import BatchStats, assess_many
    from accord.rules.loader import load_rules
    from tests.synthetic_rulebook import write_rulebook

    write_rulebook(tmp_path / "books", 3)
    extended = load_rules([tmp_path / "books"])
    kw = {"lean": True, "workers": 1, "cache": True, "cache_dir": tmp_path / "cache"}
    assess_many(profiles[:3], AS_OF, ruleset=ruleset, **kw)
    stats = BatchStats()
    out = assess_many(profiles[:3], AS_OF, ruleset=extended, stats=stats, **kw)
    assert stats.assessed == 3
    assert "synthetic" in {i.id for i in out[0].instruments}


def test_damaged_entries_are_recomputed_and_rewritten(profiles, ruleset, lean_sequential, tmp_path):
    from accord.engine.batch import BatchStats, assess_many

    some, expected = profiles[:6], lean_sequential[:6]
    kw = {"ruleset": ruleset, "lean": True, "workers": 1, "cache": True, "cache_dir": tmp_path}
    assess_many(some, AS_OF, **kw)
    files = sorted((tmp_path / "results-v1").rglob("*.pickle"))
    assert len(files) == 6
    files[0].write_bytes(b"")  # empty
    files[1].write_bytes(files[1].read_bytes()[:100])  # truncated
    files[2].write_bytes(b"\x80\x05garbage" * 10)  # not ours at all
    # An intact entry stored under another key: never served for this one.
    files[3].write_bytes(files[4].read_bytes())
    files[5].write_bytes(b"accord-result-cache\n" + pickle.dumps((files[5].stem, "not a result")))
    stats = BatchStats()
    assert assess_many(some, AS_OF, stats=stats, **kw) == expected
    assert (stats.cache_hits, stats.assessed, stats.cache_writes) == (1, 5, 5)
    again = BatchStats()
    assert assess_many(some, AS_OF, stats=again, **kw) == expected
    assert again.cache_hits == 6


def test_an_unusable_cache_folder_is_skipped(profiles, ruleset, lean_sequential, tmp_path):
    from accord.engine.batch import BatchStats, assess_many

    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    stats = BatchStats()
    out = assess_many(
        profiles[:3], AS_OF, ruleset=ruleset, lean=True, workers=1, cache=True,
        cache_dir=blocker, stats=stats,
    )  # fmt: skip
    assert out == lean_sequential[:3]
    assert stats.cache_writes == 0


def test_the_cache_stays_under_its_size_bound(profiles, ruleset, lean_sequential, tmp_path):
    import os

    from accord.engine.cache import ResultCache, profile_hash

    store = ResultCache(tmp_path, "context", max_bytes=10**9)
    for i, (p, a) in enumerate(zip(profiles[:10], lean_sequential[:10], strict=True)):
        key = store.key(profile_hash(p))
        store.put(key, a)
        os.utime(store.path(key), ns=(i * 10**9, i * 10**9))  # entry i used at time i
    sizes = sorted(f.stat().st_size for f in store.root.rglob("*.pickle"))
    store.max_bytes = sum(sizes) // 2
    removed = store.prune()
    left = list(store.root.rglob("*.pickle"))
    assert removed + len(left) == 10 and removed >= 5
    assert sum(f.stat().st_size for f in left) <= store.max_bytes * 0.8
    newest = {store.key(profile_hash(p)) for p in profiles[10 - len(left) : 10]}
    assert {f.stem for f in left} == newest  # the least recently used went first
    assert store.prune() == 0  # under the bound: nothing to do


def test_default_cache_folder(monkeypatch, tmp_path):
    from accord.engine.cache import cache_dir_default

    monkeypatch.delenv("ACCORD_CACHE_DIR", raising=False)
    assert cache_dir_default() == Path(".accord") / "cache"
    monkeypatch.setenv("ACCORD_CACHE_DIR", str(tmp_path))
    assert cache_dir_default() == tmp_path


@pytest.fixture
def folder(tmp_path):
    sys.path.insert(0, str(ROOT / "bench"))
    from bench_portfolio import write_portfolio

    write_portfolio(tmp_path / "profiles", 30, seed=3)
    return tmp_path / "profiles"


def test_parallel_loading_equals_loading_in_turn(folder, monkeypatch):
    from accord.engine import batch
    from accord.inventory import load_folder, profile_files

    files = profile_files([folder])
    assert len(files) == 30
    in_turn = batch.load_many(files, workers=1)
    assert batch.load_many(files, workers=2) == in_turn
    monkeypatch.setattr(batch, "PARALLEL_MIN", 5)  # load_folder itself goes parallel
    systems = load_folder([folder])
    assert [(s.profile, s.path) for s in systems] == [
        (p, f) for (p, _), f in zip(in_turn, files, strict=True)
    ]


def test_parallel_loading_reports_the_first_bad_file_with_its_lines(folder, monkeypatch):
    from accord.engine import batch
    from accord.errors import InputError, ProfileError
    from accord.inventory import load_folder, profile_files

    files = profile_files([folder])
    bad = files[17]
    bad.write_text(bad.read_text().replace("name:", "nmae:", 1) + "colour: blue\n")
    later = files[25]
    later.write_text(later.read_text() + "id: again\n")  # a duplicate key: also an error

    def error(workers: int):
        monkeypatch.setattr(batch, "PARALLEL_MIN", 5 if workers > 1 else 10**6)
        with pytest.raises(InputError) as info:
            load_folder([folder])
        return info.value

    in_turn, parallel = error(1), error(2)
    assert type(parallel) is type(in_turn) is ProfileError
    assert str(parallel) == str(in_turn)
    assert str(bad) in str(parallel) and "nmae" in str(parallel)
    assert [str(p.location) for p in parallel.problems] == [
        str(p.location) for p in in_turn.problems
    ]
    assert all(p.location and p.location.line for p in parallel.problems)
    # A duplicate id before the bad file is reported first, as when loading in turn.
    files[3].write_text(files[3].read_text().replace(f"id: {files[3].stem}", "id: dup"))
    files[4].write_text(files[4].read_text().replace(f"id: {files[4].stem}", "id: dup"))
    first, first_parallel = error(1), error(2)
    assert "ids must be unique" in str(first) and str(first_parallel) == str(first)
