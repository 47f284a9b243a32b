"""Evidence before it is stored and after: hashing files, reading Accord's own outputs, and
re-hashing later to see whether a file changed or went missing.

An `accord audit bias -o` result is recognised by its `kind`: its audit date becomes the
evidence date and its LL144 validity (audit date + 1 year) the `valid_until`, unless given.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import Path

from accord.errors import InputError
from accord.inventory.model import EvidenceRecord

AUDIT_KIND = "accord.audit.bias"
AUDIT_CONTROL = "bias-audit"


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


@dataclass(frozen=True)
class NewEvidence:
    record: EvidenceRecord
    kind: str  # file or url
    recognised: str | None = None  # e.g. "bias audit result of 2026-03-15"


def prepare_evidence(
    system_id: str,
    control: str | None,
    covers: list[str],
    file: Path | None,
    url: str | None,
    date: dt.date | None,
    valid_until: dt.date | None,
    owner: str | None,
    note: str | None,
    today: dt.date,
) -> NewEvidence:
    """A checked record: known control and rules, a hashed file or a well-formed URL, dates
    in order. Nothing here touches the database."""
    from accord import vocabulary
    from accord.choices import check_names, choose
    from accord.files import regular_file

    if (file is None) == (url is None):
        raise InputError("give exactly one of --file PATH or --url URL")
    recognised = None
    sha = None
    if file is not None:
        path = regular_file(file, "evidence file")
        try:
            sha = sha256_file(path)
        except OSError as exc:
            raise InputError(f"{path}: cannot read evidence file: {exc.strerror}") from None
        location = str(path.resolve())
        audit = _audit_result(path)
        if audit is not None:
            if control is not None and control != AUDIT_CONTROL:
                raise InputError(
                    f"{path}: a bias audit result evidences {AUDIT_CONTROL}, not {control}"
                )
            control = AUDIT_CONTROL
            date = date or audit.audit_date
            if valid_until is None and audit.ll144 is not None:
                valid_until = audit.ll144.public_summary.valid_until
            recognised = f"bias audit result of {audit.audit_date}"
    else:
        from urllib.parse import urlsplit

        assert url is not None
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise InputError(f"--url: {url!r} is not an http(s) URL, e.g. https://example.com/a")
        location = url
    if control is None:
        raise InputError("--control is required (the control this evidences, e.g. bias-audit)")
    choose(control, vocabulary.controls(), "control", "accord vocab controls")
    if covers:
        from accord.rules.loader import load_rules

        check_names(covers, load_rules().rules, "rule id", "accord rules list")
    date = date or today
    if valid_until is not None and valid_until < date:
        raise InputError(f"--valid-until {valid_until} is before the evidence date {date}")
    record = EvidenceRecord(
        system_id=system_id,
        control=control,
        covers=sorted(set(covers)),
        location=location,
        sha256=sha,
        date=date,
        valid_until=valid_until,
        owner=owner,
        note=note,
    )
    return NewEvidence(record, "file" if file is not None else "url", recognised)


def _audit_result(path: Path):  # type: ignore[no-untyped-def]
    """The audit result if the file is one (by its `kind`), else None; a file that says it is
    one but does not validate is an input error, not silently a plain file."""
    if path.suffix.lower() != ".json":
        return None
    with path.open("rb") as fh:
        head = fh.read(65536)
    if AUDIT_KIND.encode() not in head:
        return None
    from accord.audit.result import AuditResult
    from accord.errors import AccordError

    try:
        return AuditResult.load(path)
    except AccordError as exc:
        raise InputError(f"{path}: looks like an audit result but is not valid: {exc}") from None


@dataclass(frozen=True)
class FileCheck:
    record: EvidenceRecord
    status: str  # ok, changed, missing, url (not checked)


def verify_files(records: list[EvidenceRecord]) -> list[FileCheck]:
    """Re-hash every file evidence: ok, changed (different SHA-256) or missing."""
    out = []
    for rec in records:
        if rec.sha256 is None or "://" in rec.location:
            out.append(FileCheck(rec, "url"))
            continue
        path = Path(rec.location)
        if not path.is_file():
            out.append(FileCheck(rec, "missing"))
            continue
        try:
            same = sha256_file(path) == rec.sha256
        except OSError:
            out.append(FileCheck(rec, "missing"))
            continue
        out.append(FileCheck(rec, "ok" if same else "changed"))
    return out
