"""A disk cache of assessments, so an unchanged system is not assessed again (issue 11, item 6).

An entry is keyed by everything the result depends on:

- the profile: SHA-256 of its canonical JSON (`Profile.model_dump_json`, after evidence files
  were applied, so a new audit date is a new profile);
- the rulebooks: SHA-256 of the loaded instruments and rules (their JSON), so an edited or added
  rulebook misses whatever file it came from;
- the code: Accord's version plus the size and modification time of every file in the installed
  package (engine, vocabularies, built-in rulebooks), so a changed engine never serves results
  of the old one; and pydantic's version (it pickles the result objects);
- the assessment date, the jurisdictions and the options (`explain`, `lean`).

Format: one pickle file per entry under `<cache dir>/results-v1/<2 hex>/<key>.pickle`. Pickle
is the fastest format measured for these objects (loading the JSON back through pydantic takes
longer than assessing again); it is safe here because Accord reads only files it wrote itself in
its own cache folder: whoever can write there could as well edit the code it runs. Do not point
the cache at a folder others can write to. Each file holds the full key next to the result and is
written atomically (temporary file, then rename); an unreadable, truncated or foreign entry is a
miss and gets rewritten, never an error. The folder is kept under a size bound (least recently
used entries go first; a hit refreshes an entry's time).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import os
import pickle
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from accord.engine.result import Assessment
    from accord.profile.model import Profile
    from accord.rules.ruleset import RuleSet

CACHE_DIR_ENV = "ACCORD_CACHE_DIR"
DEFAULT_DIR = Path(".accord") / "cache"
FORMAT = "results-v1"
"""Folder (and key prefix) of this entry format; a new format starts an empty folder."""
MAX_BYTES = 1024 * 1024 * 1024
"""Default size bound: 1 GiB, about 20,000 lean results (a lean result pickles to ~50 KB)."""
_MAGIC = b"accord-result-cache\n"


def cache_dir_default() -> Path:
    """$ACCORD_CACHE_DIR, else `.accord/cache` in the working folder (next to the registry)."""
    env = os.environ.get(CACHE_DIR_ENV)
    return Path(env) if env else DEFAULT_DIR


def profile_hash(profile: Profile) -> str:
    """SHA-256 of the profile's canonical JSON: equal for profiles the engine cannot tell apart."""
    return hashlib.sha256(profile.model_dump_json().encode()).hexdigest()


def rulebook_hash(ruleset: RuleSet) -> str:
    """SHA-256 of the loaded instruments and rules, computed once per rule set (~10 ms)."""
    cached = ruleset.time_cache.get(("content-hash",))
    if cached is None:
        h = hashlib.sha256()
        for book in ruleset.books:
            h.update(book.instrument.model_dump_json().encode())
            for rule in book.rules:
                h.update(b"\0")
                h.update(rule.model_dump_json().encode())
            h.update(b"\1")
        cached = {"hash": h.hexdigest()}
        ruleset.time_cache[("content-hash",)] = cached
    return cached["hash"]


_CODE_STAMP: str | None = None


def code_stamp() -> str:
    """Accord's version and the size and mtime of each package file (stat only, a few ms)."""
    global _CODE_STAMP
    if _CODE_STAMP is None:
        from importlib.metadata import version

        import accord

        root = Path(accord.__file__).resolve().parent
        h = hashlib.sha256(f"{accord.__version__}|pydantic {version('pydantic')}".encode())
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames[:] = sorted(d for d in dirnames if d != "__pycache__")
            for name in sorted(filenames):
                path = os.path.join(dirpath, name)
                try:
                    st = os.stat(path)
                except OSError:
                    continue
                rel = os.path.relpath(path, root)
                h.update(f"{rel}:{st.st_size}:{st.st_mtime_ns};".encode())
        _CODE_STAMP = h.hexdigest()
    return _CODE_STAMP


def context_key(
    ruleset: RuleSet,
    as_of: dt.date,
    jurisdictions: Sequence[str],
    options: dict[str, object],
) -> str:
    """Everything but the profile that an entry depends on, as one hex digest."""
    parts = [
        FORMAT,
        code_stamp(),
        rulebook_hash(ruleset),
        as_of.isoformat(),
        ",".join(jurisdictions),
        ",".join(f"{k}={options[k]!r}" for k in sorted(options)),
    ]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()


class ResultCache:
    """Assessments on disk for one context (rulebooks, code, date, jurisdictions, options).

    `hits`, `misses` and `writes` count what happened, for tests and benchmarks.
    """

    def __init__(self, folder: Path, context: str, max_bytes: int = MAX_BYTES) -> None:
        self.root = Path(folder) / FORMAT
        self.context = context
        self.max_bytes = max_bytes
        self.hits = 0
        self.misses = 0
        self.writes = 0

    def key(self, profile_digest: str) -> str:
        return hashlib.sha256(f"{self.context}|{profile_digest}".encode()).hexdigest()

    def path(self, key: str) -> Path:
        return self.root / key[:2] / f"{key}.pickle"

    def get(self, key: str) -> Assessment | None:
        """The stored result, or None when absent or unusable (which is then a miss)."""
        from accord.engine.result import Assessment

        path = self.path(key)
        try:
            with open(path, "rb") as fh:
                raw = fh.read()
        except OSError:
            self.misses += 1
            return None
        value = None
        if raw.startswith(_MAGIC):
            try:
                stored_key, value = pickle.loads(raw[len(_MAGIC) :])  # own files only
            except Exception:  # truncated or corrupt: any failure is only a miss
                value = None
            else:
                if stored_key != key or not isinstance(value, Assessment):
                    value = None
        if value is None:
            self.misses += 1
            return None
        self.hits += 1
        with contextlib.suppress(OSError):
            os.utime(path)  # recently used: kept longest when pruning
        return value

    def put(self, key: str, value: Assessment) -> None:
        """Store atomically; a cache that cannot be written is skipped, never an error."""
        data = _MAGIC + pickle.dumps((key, value), protocol=pickle.HIGHEST_PROTOCOL)
        self.put_bytes(key, data)

    def put_bytes(self, key: str, data: bytes) -> None:
        path = self.path(key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".pickle")
            try:
                with os.fdopen(fd, "wb") as fh:
                    fh.write(data)
                os.replace(tmp, path)
            except BaseException:
                _unlink(Path(tmp))
                raise
        except OSError:
            return
        self.writes += 1

    def prune(self) -> int:
        """Remove least recently used entries until the folder is under 80% of the bound
        (only when it is over the bound); returns how many were removed."""
        entries = []
        total = 0
        try:
            subdirs = list(os.scandir(self.root))
        except OSError:
            return 0
        for sub in subdirs:
            if not sub.is_dir():
                continue
            try:
                files = list(os.scandir(sub.path))
            except OSError:
                continue
            for f in files:
                try:
                    st = f.stat()
                except OSError:
                    continue
                entries.append((st.st_mtime_ns, st.st_size, f.path))
                total += st.st_size
        if total <= self.max_bytes:
            return 0
        entries.sort()
        removed = 0
        target = self.max_bytes * 0.8
        for _, size, path in entries:
            if total <= target:
                break
            if _unlink(Path(path)):
                total -= size
                removed += 1
        return removed


def _unlink(path: Path) -> bool:
    try:
        path.unlink()
    except OSError:
        return False
    return True
