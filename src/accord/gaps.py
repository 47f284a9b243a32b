"""Gaps: the duties that bind a system now, or soon, with no valid evidence that they are met.

An assessment already says which duties apply and whether a control the profile records is in
place on the date. A gap report adds what an inventory knows besides the profile: evidence
records kept for the system (a file or URL, its SHA-256, date, validity, owner, the control and
the rules it covers), and audit results written by `accord audit bias -o`, whose audit date is
read from the file. It then looks ahead: a duty that starts within the horizon (`--within 180d`)
is a gap today if nothing valid on its first day is at hand, because that is when the work has
to be finished, not started.

Validity of one piece of evidence for one duty, on the date it must hold (the assessment date
for a duty that applies now, the duty's first day for an upcoming one):
- it was performed on or before the assessment date (a future date proves nothing yet);
- its own `valid_until`, if any, is not before that date;
- where the law limits how long the control counts (an LL144 bias audit: one year), the date
  plus that period is not before that date either;
- if a SHA-256 was recorded and the file is still there, the file still has that hash (an
  edited evidence file is no evidence).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field

from accord.engine.result import Assessment, ControlCheck, Finding
from accord.errors import InputError
from accord.gcpause import paused_gc
from accord.inventory.model import EvidenceRecord, System
from accord.rules.ruleset import RuleSet

SCHEMA_VERSION = "1.0"
"""Version of the gap report's JSON shape; changes when a field is removed or changes meaning."""

CSV_COLUMNS = [
    "system",
    "owner",
    "jurisdiction",
    "instrument",
    "rule_id",
    "title",
    "status",
    "due",
    "applies_from",
    "controls",
    "reason",
    "expired_on",
    "changed_files",
    "source",
]
"""Columns of the CSV output, in order; list fields are joined with a space."""

_PERIOD = re.compile(r"^\s*(\d{1,5})\s*([dwmy]?)\s*$")


class Gap(BaseModel):
    """One duty of one system without valid evidence on the date it must hold."""

    system: str = Field(description="System id.")
    system_name: str
    source: str = Field(description="Where the system came from: its file, or id@version.")
    owner: str | None = Field(
        None, description="The system's owner, or the profile's organisation name."
    )
    instrument: str = Field(description="Instrument id, e.g. us-nyc-ll144.")
    instrument_title: str
    jurisdiction: str
    rule_id: str
    title: str = Field(description="The duty's title.")
    citation: str
    status: Literal["now", "upcoming"] = Field(
        description="now: the duty applies on the assessment date; upcoming: it starts "
        "within the horizon."
    )
    applies_from: dt.date | None = None
    due: dt.date = Field(
        description="upcoming: the day the duty starts; now: the assessment date, or the day "
        "the evidence stopped counting if it expired."
    )
    controls: list[str] = Field(
        default_factory=list,
        description="Controls from the catalogue that would each close the gap (empty: no "
        "control in the catalogue covers the duty).",
    )
    reason: str = Field(description="Why nothing counts, in words.")
    expired_on: dt.date | None = Field(
        None, description="First day the latest evidence no longer counted, if it expired."
    )
    changed_files: list[str] = Field(
        default_factory=list,
        description="Evidence files whose SHA-256 no longer matches the one recorded.",
    )

    @property
    def when(self) -> str:
        """The status as a person reads it: `now` or `due YYYY-MM-DD`."""
        return "now" if self.status == "now" else f"due {self.due}"


class GapReport(BaseModel):
    """Every gap of a set of systems on a date, sorted by due date."""

    schema_version: str = SCHEMA_VERSION
    accord_version: str
    as_of: dt.date
    within: str | None = Field(None, description="The horizon as given, e.g. 180d.")
    horizon_end: dt.date = Field(description="Upcoming duties that start by this day count.")
    jurisdictions: list[str] = Field(default_factory=list)
    systems: int = Field(description="How many systems were assessed.")
    systems_with_gaps: int
    gaps: list[Gap] = Field(default_factory=list)
    warnings: list[str] = Field(
        default_factory=list, description="Evidence that could not be checked, and why."
    )


def parse_horizon(value: str | None, option: str = "--within") -> str | None:
    """A horizon written <n>d, <n>w, <n>m or <n>y (a bare number is days), normalised; None
    stays None (no look-ahead)."""
    if value is None:
        return None
    m = _PERIOD.match(value)
    if not m:
        raise InputError(
            f"{option}: {value!r} is not a period; write a number and d, w, m or y, e.g. 180d"
        )
    n, unit = int(m.group(1)), m.group(2) or "d"
    if unit == "w":
        n, unit = n * 7, "d"
    return f"{n}{unit}"


def horizon_end(as_of: dt.date, within: str | None) -> dt.date:
    """The last day an upcoming duty may start and still count as a gap today."""
    from accord.rules.dated import add_period

    if within is None:
        return as_of
    try:
        return add_period(as_of, within)
    except (ValueError, OverflowError):
        raise InputError(f"--within: {within!r} reaches past the calendar") from None


def find_gaps(
    systems: Sequence[System],
    as_of: dt.date,
    *,
    within: str | None = None,
    ruleset: RuleSet | None = None,
    jurisdictions: Sequence[str] = (),
    assessments: Sequence[Assessment] | None = None,
    cache: bool = False,
) -> GapReport:
    """The gap report for `systems` on `as_of`, looking `within` ahead (e.g. "180d").

    `assessments` (one per system, same order) may be passed by a caller that already has them;
    otherwise they are made with `assess_many`, the shared multi-system entry point (lean
    results, in parallel for large batches; `cache`: reuse results of unchanged systems).
    """
    from accord import __version__
    from accord.engine.batch import assess_many
    from accord.rules.loader import load_rules

    within = parse_horizon(within)
    end = horizon_end(as_of, within)
    rs = ruleset or load_rules()
    if assessments is None:
        assessments = assess_many(
            [s.profile for s in systems],
            as_of,
            ruleset=rs,
            jurisdictions=jurisdictions,
            lean=True,
            cache=cache,
        )
    elif len(assessments) != len(systems):
        raise InputError(
            f"{len(assessments)} assessments given for {len(systems)} systems; pass one per system"
        )
    from accord.sorting import natural_key

    files = _Files()
    gaps: list[Gap] = []
    with paused_gc():
        for system, assessment in zip(systems, assessments, strict=True):
            gaps += _system_gaps(system, assessment, end, rs, files)
        gaps.sort(
            key=lambda g: (g.due, g.system, g.jurisdiction, g.instrument, natural_key(g.rule_id))
        )
    return GapReport(
        accord_version=__version__,
        as_of=as_of,
        within=within,
        horizon_end=end,
        jurisdictions=list(jurisdictions),
        systems=len(systems),
        systems_with_gaps=len({g.system for g in gaps}),
        gaps=gaps,
        warnings=files.warnings,
    )


def _system_gaps(
    system: System, a: Assessment, end: dt.date, rs: RuleSet, files: _Files
) -> list[Gap]:
    owner = system.owner or system.profile.organisation.name
    out = []
    for inst in a.instruments:
        for f in inst.obligations:
            if not (f.binding and f.outcome == "applies"):
                continue
            if f.status == "applicable":
                status: Literal["now", "upcoming"] = "now"
                must_hold = a.as_of
            elif f.status == "upcoming" and f.applies_from is not None and f.applies_from <= end:
                status, must_hold = "upcoming", f.applies_from
            else:
                continue
            verdict = _evidence_verdict(system, f, a.as_of, must_hold, rs, files)
            if verdict.covered:
                continue
            if status == "upcoming":
                due = must_hold
            elif verdict.expired_on is not None:
                due = max(verdict.expired_on, f.applies_from or verdict.expired_on)
            else:
                due = a.as_of
            out.append(
                Gap(
                    system=system.id,
                    system_name=system.profile.name,
                    source=system.label,
                    owner=owner,
                    instrument=inst.id,
                    instrument_title=inst.short_title,
                    jurisdiction=inst.jurisdiction,
                    rule_id=f.rule_id,
                    title=f.title,
                    citation=f.citation,
                    status=status,
                    applies_from=f.applies_from,
                    due=due,
                    controls=list(f.controls),
                    reason=verdict.reason(bool(f.controls)),
                    expired_on=verdict.expired_on,
                    changed_files=verdict.changed,
                )
            )
    return out


@dataclass
class _Verdict:
    """What the evidence for one duty adds up to."""

    covered: bool = False
    notes: list[str] = field(default_factory=list)
    expired_on: dt.date | None = None
    changed: list[str] = field(default_factory=list)

    def expire(self, on: dt.date) -> None:
        self.expired_on = on if self.expired_on is None else max(self.expired_on, on)

    def reason(self, has_controls: bool) -> str:
        if not has_controls:
            return "no evidence: no control in the catalogue covers this duty"
        notes = list(dict.fromkeys(self.notes))
        return "; ".join(notes) if notes else "no evidence"


def _evidence_verdict(
    system: System,
    f: Finding,
    as_of: dt.date,
    must_hold: dt.date,
    rs: RuleSet,
    files: _Files,
) -> _Verdict:
    v = _Verdict()
    for check in f.control_checks:
        _profile_control(check, as_of, must_hold, v)
        if v.covered:
            return v
    rule = rs.rules.get(f.rule_id)
    validity = rule.control_validity if rule is not None else {}
    seen: set[tuple[str, str]] = set()
    for rec in reversed(system.evidence):  # oldest first: a later record for the same file
        if (rec.control, rec.location) in seen:  # and control is a correction of it
            continue
        seen.add((rec.control, rec.location))
        if rec.control not in f.controls or (rec.covers and f.rule_id not in rec.covers):
            continue
        _record(rec, system, validity.get(rec.control), as_of, must_hold, files, v)
        if v.covered:
            return v
    return v


def _profile_control(check: ControlCheck, as_of: dt.date, must_hold: dt.date, v: _Verdict) -> None:
    """A control the profile records, as the engine judged it on the assessment date."""
    if check.state == "in_place":
        if check.valid_until is None or check.valid_until >= must_hold:
            v.covered = True
            return
        gone = check.valid_until + dt.timedelta(days=1)
        v.notes.append(
            f"{check.id} expires on {gone} (valid until {check.valid_until}), before the duty "
            "applies"
        )
        return
    if check.state == "expired" and check.valid_until is not None:
        gone = check.valid_until + dt.timedelta(days=1)
        v.expire(gone)
        v.notes.append(f"{check.id} expired on {gone} (valid until {check.valid_until})")
    elif check.state == "undated":
        v.notes.append(
            f"{check.id} has no date, and the law limits its validity to {check.valid_for}"
        )
    elif check.state == "not_yet":
        v.notes.append(f"{check.id} is dated {check.date}, after {as_of}")
    elif check.state in ("in_progress", "planned"):
        v.notes.append(f"{check.id} is {check.state.replace('_', ' ')}")
    elif check.state == "not_applicable":
        v.notes.append(f"{check.id} is marked not applicable")


def _record(
    rec: EvidenceRecord,
    system: System,
    period: str | None,
    as_of: dt.date,
    must_hold: dt.date,
    files: _Files,
    v: _Verdict,
) -> None:
    """An evidence record kept for the system: its file checked, its date and validity read."""
    from accord.rules.dated import add_period

    path = files.local(rec.location, system)
    date = rec.date
    if path is not None:
        if rec.sha256 and files.sha256(path) not in (None, rec.sha256.lower()):
            v.changed.append(rec.location)
            v.notes.append(f"evidence file changed: sha mismatch ({rec.location})")
            return
        audited = files.audit_date(path, rec.control)
        if audited is not None:
            date = audited
    if date > as_of:
        v.notes.append(f"{rec.control} evidence is dated {date}, after {as_of}")
        return
    ends = [d for d in (rec.valid_until, add_period(date, period) if period else None) if d]
    until = min(ends) if ends else None
    if until is None or until >= must_hold:
        v.covered = True
        return
    gone = until + dt.timedelta(days=1)
    if until < as_of:
        v.expire(gone)
        v.notes.append(f"{rec.control} evidence expired on {gone} (valid until {until})")
    else:
        v.notes.append(
            f"{rec.control} evidence expires on {gone} (valid until {until}), before the duty "
            "applies"
        )


class _Files:
    """Evidence files read once per run: their hash and, for audit results, the audit date."""

    def __init__(self) -> None:
        self._hash: dict[Path, str | None] = {}
        self._audit: dict[Path, dt.date | None] = {}
        self.warnings: list[str] = []

    def local(self, location: str, system: System) -> Path | None:
        """The local file a location names, if it exists; relative paths are relative to the
        system's profile folder (or the working directory for a registry system)."""
        if "://" in location:
            return None
        p = Path(location)
        if not p.is_absolute() and system.path is not None:
            p = system.path.parent / p
        try:
            return p if p.is_file() else None
        except OSError:
            return None

    def sha256(self, path: Path) -> str | None:
        import hashlib

        if path not in self._hash:
            digest = hashlib.sha256()
            try:
                with path.open("rb") as fh:
                    for block in iter(lambda: fh.read(1 << 20), b""):
                        digest.update(block)
                self._hash[path] = digest.hexdigest()
            except OSError as exc:
                self.warnings.append(f"{path}: cannot read evidence file: {exc.strerror or exc}")
                self._hash[path] = None
        return self._hash[path]

    def audit_date(self, path: Path, control: str) -> dt.date | None:
        """The audit date of an `accord audit bias -o` result; None for any other file."""
        from accord.profile.evidence import AUDIT_CONTROLS

        if path.suffix != ".json" or control not in AUDIT_CONTROLS:
            return None
        if path not in self._audit:
            from accord.audit.result import AuditResult
            from accord.errors import AccordError

            try:
                self._audit[path] = AuditResult.load(path).audit_date
            except AccordError:
                self._audit[path] = None  # another JSON document: the record's date stands
        return self._audit[path]


def csv_rows(report: GapReport) -> list[dict[str, str]]:
    """The report's rows as CSV cells (dates ISO, lists joined with a space, None empty)."""
    rows = []
    for g in report.gaps:
        data = g.model_dump(mode="json")
        row = {}
        for col in CSV_COLUMNS:
            value = data[col]
            if isinstance(value, list):
                value = " ".join(value)
            row[col] = _no_formula("" if value is None else str(value))
        rows.append(row)
    return rows


def _no_formula(cell: str) -> str:
    """A cell a spreadsheet would run as a formula (=, +, -, @ first) gets a leading quote:
    owner and system names come from users' files and the CSV is made to be opened."""
    return "'" + cell if cell[:1] in ("=", "+", "-", "@", "\t", "\r") else cell


def to_csv(report: GapReport) -> str:
    """The report as CSV (RFC 4180 quoting by the standard library), one row per gap."""
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(csv_rows(report))
    return buffer.getvalue()
