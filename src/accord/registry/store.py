"""Reading and writing the registry: versions, evidence, the event log and its verification.

Every write happens in one transaction that first takes the registry's write lock (SQLite:
`BEGIN IMMEDIATE`; PostgreSQL: `SELECT ... FOR UPDATE` on the head row), then reads what it
needs (latest versions, the chain head), writes the data rows and one event per row, and moves
the head. A crash or kill before the commit leaves nothing; after it, everything.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from accord.errors import InputError, NotFoundError
from accord.registry import db
from accord.registry.chain import GENESIS, canonical_json, event_hash, sha256_text
from accord.registry.models import EventRow, EvidenceRow, HeadRow, SystemRow, VersionRow
from accord.registry.url import resolve_url

if TYPE_CHECKING:
    from sqlalchemy.engine import URL, Engine

    from accord.inventory.model import EvidenceRecord, System
    from accord.profile.model import Profile


def now() -> str:
    """The current time in UTC as stored and hashed (ISO 8601, microseconds)."""
    return dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")


def default_author() -> str:
    """Who is writing: `git config user.name`, else $USER, else "unknown"."""
    import getpass
    import subprocess

    try:
        name = subprocess.run(
            ["git", "config", "user.name"], capture_output=True, text=True, timeout=5
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        name = ""
    if name:
        return name
    try:
        return getpass.getuser()
    except Exception:  # no user name anywhere (some containers)
        return "unknown"


def profile_json(profile: Profile) -> str:
    """The canonical JSON of a profile: fields at their default left out, so two files that
    say the same thing give the same text (and hash), and it loads back to an equal profile."""
    return canonical_json(profile.model_dump(mode="json", exclude_defaults=True))


@dataclass(frozen=True)
class Version:
    """One immutable version of a system's profile."""

    system_id: str
    number: int
    sha256: str
    canonical_json: str
    author: str
    created_at: dt.datetime
    message: str | None

    def profile(self) -> Profile:
        from accord.profile.model import Profile

        return Profile.model_validate_json(self.canonical_json)

    def data(self) -> dict[str, Any]:
        return json.loads(self.canonical_json)  # type: ignore[no-any-return]


@dataclass(frozen=True)
class Prepared:
    """A profile ready to import: loaded, validated, canonicalised."""

    path: Path
    profile: Profile
    canonical_json: str
    sha256: str
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class Imported:
    system_id: str
    status: str  # new, changed, unchanged
    number: int
    path: Path


@dataclass(frozen=True)
class SystemSummary:
    id: str
    name: str
    latest: int
    owner: str | None
    updated: str


@dataclass(frozen=True)
class Break:
    """One place where the log and the data disagree: the sequence number and why."""

    seq: int
    reason: str


@dataclass
class LogReport:
    events: int
    head: str
    breaks: list[Break] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.breaks


def prepare(paths: Sequence[Path]) -> list[Prepared]:
    """Load and validate every profile before anything is written; all problems at once.

    A file named twice (directly or through a folder) and two files with the same system id
    are input errors: one import must not record two versions of one system.
    """
    from accord.errors import AccordError, Problem
    from accord.inventory import profile_files
    from accord.profile import load_profile
    from accord.profile.evidence import apply_evidence

    files = profile_files(paths)
    if not files:
        raise InputError(f"no profiles found in {', '.join(str(p) for p in paths)}")
    seen: dict[Path, Path] = {}
    for f in files:
        key = f.resolve()
        if key in seen:
            raise InputError(f"{f}: named twice in one import (duplicate of {seen[key]})")
        seen[key] = f
    out: list[Prepared] = []
    problems: list[Problem] = []
    ids: dict[str, Path] = {}
    for f in files:
        try:
            profile, warnings = apply_evidence(load_profile(f), f.parent)
        except AccordError as exc:
            problems += exc.problems or [Problem(str(exc))]
            continue
        if profile.id in ids:
            problems.append(
                Problem(f"{f}: system id {profile.id!r} is also in {ids[profile.id]} (duplicate)")
            )
            continue
        ids[profile.id] = f
        text = profile_json(profile)
        out.append(Prepared(f, profile, text, sha256_text(text), tuple(warnings)))
    if problems:
        raise InputError(f"{len(problems)} problem(s); nothing was imported", problems)
    return out


@contextlib.contextmanager
def open_registry(url: str | None, create: bool = True) -> Iterator[Registry]:
    """The registry at `url` (resolved as --db, ACCORD_DB, config, default), migrated."""
    resolved = resolve_url(url)
    u = db.parse_url(resolved)
    engine = db.make_engine(resolved, create)
    try:
        db.ensure_schema(engine, u)
        yield Registry(engine, u)
    finally:
        engine.dispose()


class _Writer:
    """Appends events inside a locked write transaction and moves the head at the end."""

    def __init__(self, session: Session, seq: int, head: str, actor: str) -> None:
        self.session = session
        self.seq = seq
        self.hash = head
        self.actor = actor

    @property
    def next_seq(self) -> int:
        return self.seq + 1

    def event(self, kind: str, subject: str, payload: dict[str, Any], at: str) -> int:
        text = canonical_json(payload)
        seq = self.seq + 1
        h = event_hash(
            self.hash, text, seq=seq, at=at, actor=self.actor, kind=kind, subject=subject
        )
        self.session.add(
            EventRow(
                seq=seq,
                at=at,
                actor=self.actor,
                kind=kind,
                subject=subject,
                payload=text,
                prev_hash=self.hash,
                hash=h,
            )
        )
        self.seq, self.hash = seq, h
        return seq


def version_payload(row: VersionRow) -> dict[str, Any]:
    """What a version.add event records (and what `log verify` expects the row to say)."""
    return {
        "system": row.system_id,
        "version": row.number,
        "sha256": row.sha256,
        "author": row.author,
        "created_at": row.created_at,
        "message": row.message,
    }


def evidence_payload(row: EvidenceRow) -> dict[str, Any]:
    """What an evidence.add event records."""
    return {
        "id": row.id,
        "system": row.system_id,
        "control": row.control,
        "covers": json.loads(row.covers_json),
        "kind": row.kind,
        "location": row.location,
        "sha256": row.sha256,
        "date": row.date,
        "valid_until": row.valid_until,
        "owner": row.owner,
        "note": row.note,
        "replaces": row.replaces,
        "added_by": row.added_by,
        "created_at": row.created_at,
    }


class Registry:
    """An open registry database; every method is one transaction."""

    def __init__(self, engine: Engine, u: URL) -> None:
        self.engine = engine
        self.url = u
        self.where = db.where(u)

    # -- transactions --------------------------------------------------------------------

    @contextlib.contextmanager
    def _read(self) -> Iterator[Session]:
        with db.errors(self.url), Session(self.engine, expire_on_commit=False) as s, s.begin():
            yield s

    @contextlib.contextmanager
    def _write(self, actor: str) -> Iterator[_Writer]:
        with (
            db.errors(self.url),
            Session(self.engine.execution_options(accord_write=True), expire_on_commit=False) as s,
            s.begin(),
        ):
            head = s.execute(select(HeadRow).where(HeadRow.id == 1).with_for_update()).scalar_one()
            writer = _Writer(s, head.seq, head.hash, actor)
            yield writer
            s.flush()
            s.execute(
                update(HeadRow).where(HeadRow.id == 1).values(seq=writer.seq, hash=writer.hash)
            )

    # -- systems and versions ------------------------------------------------------------

    def system_ids(self) -> list[str]:
        with self._read() as s:
            return list(s.scalars(select(SystemRow.id).order_by(SystemRow.id)))

    def require(self, system_id: str) -> None:
        """NotFoundError with close ids unless the system is in the registry."""
        import difflib

        ids = self.system_ids()
        if system_id in ids:
            return
        if not ids:
            raise NotFoundError(
                f"unknown system {system_id!r}: the registry at {self.where} has no systems "
                "(import profiles with `accord registry import PATH...`)"
            )
        close = difflib.get_close_matches(system_id, ids, n=3, cutoff=0.5)
        hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""
        raise NotFoundError(
            f"unknown system {system_id!r}{hint} (`accord registry list` shows all {len(ids)})"
        )

    def versions(self, system_id: str) -> list[Version]:
        self.require(system_id)
        with self._read() as s:
            rows = s.scalars(
                select(VersionRow)
                .where(VersionRow.system_id == system_id)
                .order_by(VersionRow.number)
            )
            return [_version(r) for r in rows]

    def version(self, system_id: str, number: int | None = None) -> Version:
        found = self.versions(system_id)
        if number is None:
            return found[-1]
        for v in found:
            if v.number == number:
                return v
        raise NotFoundError(
            f"{system_id} has no version {number}; it has versions 1..{found[-1].number}"
        )

    def list_systems(self) -> list[SystemSummary]:
        with self._read() as s:
            latest = dict(
                s.execute(
                    select(VersionRow.system_id, func.max(VersionRow.number)).group_by(
                        VersionRow.system_id
                    )
                ).all()
            )
            return [
                SystemSummary(r.id, r.name, latest.get(r.id, 0), r.owner, r.updated_at)
                for r in s.scalars(select(SystemRow).order_by(SystemRow.id))
            ]

    def load_systems(
        self, as_of_version: int | None = None, ids: list[str] | None = None
    ) -> list[System]:
        from accord.inventory.model import System

        for sid in ids or []:
            self.require(sid)
        wanted = set(ids) if ids else None
        with self._read() as s:
            owners = {r.id: r.owner for r in s.scalars(select(SystemRow))}
            rows = s.scalars(select(VersionRow).order_by(VersionRow.system_id, VersionRow.number))
            chosen: dict[str, VersionRow] = {}
            for r in rows:
                if wanted is not None and r.system_id not in wanted:
                    continue
                if as_of_version is None or r.number <= as_of_version:
                    chosen[r.system_id] = r
            evidence: dict[str, list[EvidenceRecord]] = {}
            for rec in self._evidence(s, None):
                evidence.setdefault(rec.system_id, []).append(rec)
        return [
            System(
                profile=_version(r).profile(),
                version=r.number,
                evidence=tuple(evidence.get(sid, ())),
                owner=owners.get(sid),
            )
            for sid, r in sorted(chosen.items())
        ]

    def import_prepared(
        self,
        prepared: Sequence[Prepared],
        author: str,
        message: str | None,
        owner: str | None = None,
        progress: Callable[[int], None] | None = None,
    ) -> list[Imported]:
        """Add a version for every new or changed profile, all in one transaction."""
        results: list[Imported] = []
        with self._write(author) as w:
            s = w.session
            latest = self._latest(s)
            systems = {r.id: r for r in s.scalars(select(SystemRow))}
            for i, p in enumerate(prepared, 1):
                sid = p.profile.id
                at = now()
                number, sha = latest.get(sid, (0, None))
                if sha == p.sha256:
                    results.append(Imported(sid, "unchanged", number, p.path))
                else:
                    row = systems.get(sid)
                    if row is None:
                        row = SystemRow(id=sid, name=p.profile.name, created_at=at, updated_at=at)
                        s.add(row)
                        systems[sid] = row
                    else:
                        row.name, row.updated_at = p.profile.name, at
                    v = VersionRow(
                        system_id=sid,
                        number=number + 1,
                        profile_json=p.canonical_json,
                        sha256=p.sha256,
                        author=author,
                        created_at=at,
                        message=message,
                        event_seq=w.next_seq,
                    )
                    s.add(v)
                    w.event("version.add", sid, version_payload(v), at)
                    results.append(
                        Imported(sid, "new" if number == 0 else "changed", number + 1, p.path)
                    )
                if owner is not None and systems.get(sid) is not None:
                    self._set_owner(w, systems[sid], owner, at)
                if progress is not None:
                    s.flush()
                    progress(i)
        return results

    @staticmethod
    def _latest(s: Session) -> dict[str, tuple[int, str]]:
        out: dict[str, tuple[int, str]] = {}
        for sid, n, sha in s.execute(
            select(VersionRow.system_id, VersionRow.number, VersionRow.sha256)
        ).all():
            if n > out.get(sid, (0, ""))[0]:
                out[sid] = (n, sha)
        return out

    @staticmethod
    def _set_owner(w: _Writer, row: SystemRow, owner: str, at: str) -> None:
        if row.owner == owner:
            return
        row.owner, row.updated_at = owner, at
        w.event("owner.set", row.id, {"system": row.id, "owner": owner}, at)

    def set_owner(self, system_id: str, owner: str, actor: str) -> bool:
        """Record a new owner; False if it already was the owner (nothing written)."""
        self.require(system_id)
        with self._write(actor) as w:
            row = w.session.get(SystemRow, system_id)
            assert row is not None
            before = row.owner
            self._set_owner(w, row, owner, now())
            return before != owner

    # -- evidence ------------------------------------------------------------------------

    def add_evidence(self, rec: EvidenceRecord, kind: str, replaces: int | None, actor: str) -> int:
        """Append an evidence record (and its event); its registry id."""
        self.require(rec.system_id)
        with self._write(actor) as w:
            s = w.session
            if replaces is not None:
                old = s.get(EvidenceRow, replaces)
                if old is None or old.system_id != rec.system_id:
                    raise NotFoundError(
                        f"--replaces {replaces}: no evidence record {replaces} for {rec.system_id}"
                    )
            at = now()
            row = EvidenceRow(
                system_id=rec.system_id,
                control=rec.control,
                covers_json=canonical_json(list(rec.covers)),
                kind=kind,
                location=rec.location,
                sha256=rec.sha256,
                date=rec.date.isoformat(),
                valid_until=rec.valid_until.isoformat() if rec.valid_until else None,
                owner=rec.owner,
                note=rec.note,
                replaces=replaces,
                added_by=actor,
                created_at=at,
                event_seq=w.next_seq,
            )
            s.add(row)
            s.flush()
            w.event("evidence.add", rec.system_id, evidence_payload(row), at)
            return row.id

    def evidence(
        self, system_id: str | None = None, include_replaced: bool = False
    ) -> list[EvidenceRecord]:
        if system_id is not None:
            self.require(system_id)
        with self._read() as s:
            return self._evidence(s, system_id, include_replaced)

    @staticmethod
    def _evidence(
        s: Session, system_id: str | None, include_replaced: bool = False
    ) -> list[EvidenceRecord]:
        from accord.inventory.model import EvidenceRecord

        q = select(EvidenceRow).order_by(EvidenceRow.id)
        if system_id is not None:
            q = q.where(EvidenceRow.system_id == system_id)
        rows = list(s.scalars(q))
        replaced = {
            r
            for r in s.scalars(
                select(EvidenceRow.replaces).where(EvidenceRow.replaces.is_not(None))
            )
        }
        return [
            EvidenceRecord(
                id=str(r.id),
                system_id=r.system_id,
                control=r.control,
                covers=json.loads(r.covers_json),
                location=r.location,
                sha256=r.sha256,
                date=dt.date.fromisoformat(r.date),
                valid_until=dt.date.fromisoformat(r.valid_until) if r.valid_until else None,
                owner=r.owner,
                note=r.note,
            )
            for r in rows
            if include_replaced or r.id not in replaced
        ]

    # -- the log -------------------------------------------------------------------------

    def verify_log(self) -> LogReport:
        """Recompute the chain and cross-check it with the data rows; every break found."""
        with self._read() as s:
            events = list(s.scalars(select(EventRow).order_by(EventRow.seq)))
            head = s.get(HeadRow, 1)
            versions = list(s.scalars(select(VersionRow)))
            evidence = list(s.scalars(select(EvidenceRow)))
            systems = list(s.scalars(select(SystemRow)))
        return check_log(events, head, versions, evidence, systems)


def check_log(
    events: list[EventRow],
    head: HeadRow | None,
    versions: list[VersionRow],
    evidence: list[EvidenceRow],
    systems: list[SystemRow],
) -> LogReport:
    """The verification itself, on rows already read (pure, so it is easy to test)."""
    breaks: list[Break] = []
    prev = GENESIS
    expected = 1
    for ev in events:
        if ev.seq != expected:
            breaks.append(
                Break(
                    expected,
                    f"event #{expected} is missing (the log jumps from #{expected - 1} to "
                    f"#{ev.seq}): an event was deleted",
                )
            )
            break
        if ev.prev_hash != prev:
            breaks.append(
                Break(
                    ev.seq,
                    f"event #{ev.seq} does not chain to event #{ev.seq - 1} (its prev_hash "
                    "differs): an event was edited, inserted or removed",
                )
            )
            break
        h = event_hash(
            ev.prev_hash,
            ev.payload,
            seq=ev.seq,
            at=ev.at,
            actor=ev.actor,
            kind=ev.kind,
            subject=ev.subject,
        )
        if h != ev.hash:
            breaks.append(
                Break(
                    ev.seq,
                    f"event #{ev.seq} ({ev.kind} {ev.subject}) was edited: its hash "
                    "does not match its content",
                )
            )
            break
        prev = ev.hash
        expected += 1
    n = len(events)
    last = events[-1].hash if events else GENESIS
    if not breaks and head is None:
        breaks.append(Break(n + 1, "the chain head row is missing"))
    elif not breaks and head is not None and (head.seq != n or head.hash != last):
        if head.seq > n:
            breaks.append(
                Break(
                    n + 1,
                    f"event #{n + 1} is missing: the head records {head.seq} events, "
                    f"the log has {n} (events were deleted at the end)",
                )
            )
        else:
            breaks.append(
                Break(
                    head.seq + 1 if head.seq < n else n,
                    f"the head records {head.seq} events ending in {head.hash[:12]}, the log "
                    f"has {n} ending in {last[:12]} (an event was added outside Accord)",
                )
            )
    by_seq = {ev.seq: ev for ev in events}
    claimed: set[int] = set()
    for v in versions:
        claimed.add(v.event_seq)
        label = f"version {v.system_id}@{v.number}"
        if sha256_text(v.profile_json) != v.sha256:
            breaks.append(
                Break(
                    v.event_seq,
                    f"{label}: its profile does not match its SHA-256 (the profile was edited)",
                )
            )
        breaks += _match(
            by_seq.get(v.event_seq),
            v.event_seq,
            "version.add",
            v.system_id,
            version_payload(v),
            label,
        )
    for e in evidence:
        claimed.add(e.event_seq)
        breaks += _match(
            by_seq.get(e.event_seq),
            e.event_seq,
            "evidence.add",
            e.system_id,
            evidence_payload(e),
            f"evidence {e.id} of {e.system_id}",
        )
    owners: dict[str, str | None] = {}
    for ev in events:
        if ev.kind in ("version.add", "evidence.add") and ev.seq not in claimed:
            breaks.append(
                Break(
                    ev.seq,
                    f"event #{ev.seq} records {ev.kind} for {ev.subject} "
                    "but its row is missing (a row was deleted)",
                )
            )
        if ev.kind == "owner.set":
            owners[ev.subject] = _loads(ev.payload).get("owner")
    with_versions = {v.system_id for v in versions}
    for sr in systems:
        if sr.id not in with_versions:
            breaks.append(Break(n + 1, f"system {sr.id} has no version (a row was inserted)"))
        if owners.get(sr.id) != sr.owner:
            breaks.append(
                Break(
                    n + 1,
                    f"system {sr.id}: owner {sr.owner!r} differs from the "
                    f"log's {owners.get(sr.id)!r} (a row was edited)",
                )
            )
    breaks.sort(key=lambda b: b.seq)
    return LogReport(events=n, head=last, breaks=breaks)


def _loads(text: str) -> dict[str, Any]:
    try:
        value = json.loads(text)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _match(
    ev: EventRow | None, seq: int, kind: str, subject: str, payload: dict[str, Any], label: str
) -> list[Break]:
    if ev is None:
        return [
            Break(seq, f"{label} has no event #{seq} (the row was inserted or its event deleted)")
        ]
    if ev.kind != kind or ev.subject != subject:
        return [
            Break(
                seq,
                f"{label} points at event #{seq}, which records {ev.kind} "
                f"{ev.subject} (a row was inserted or edited)",
            )
        ]
    if ev.payload != canonical_json(payload):
        return [
            Break(
                seq,
                f"{label} differs from what event #{seq} recorded (the row or the "
                "event was edited)",
            )
        ]
    return []


def _version(r: VersionRow) -> Version:
    return Version(
        system_id=r.system_id,
        number=r.number,
        sha256=r.sha256,
        canonical_json=r.profile_json,
        author=r.author,
        created_at=dt.datetime.fromisoformat(r.created_at),
        message=r.message,
    )
