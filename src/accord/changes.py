"""When the law moves: the rulebooks' changelogs, stale reviews, and which systems a change
touches.

A change is dated data in a rulebook (`changes:` in instrument.yaml). To know whether it alters a
system's result, the system is assessed on the day before the change and on its day, and the
rules the change names (or the whole instrument) are compared: outcome, status and dates.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from pydantic import BaseModel, Field

from accord.profile.model import Profile
from accord.rules.loader import Rulebook
from accord.rules.model import ACTIVE_STATUSES, Instrument, Rule
from accord.rules.ruleset import RuleSet


class ChangeEntry(BaseModel):
    instrument: str
    jurisdiction: str
    short_title: str
    date: dt.date
    kind: str
    title: str
    rules: list[str]
    url: str | None = None
    confidence: str


class RuleDelta(BaseModel):
    """How one rule's result for one system differs across a change."""

    rule_id: str
    title: str
    before: str = Field(description="Outcome and status the day before, e.g. 'applies/upcoming'.")
    after: str = Field(description="Outcome and status on the day of the change.")


class Impact(BaseModel):
    profile_id: str
    profile_name: str
    change: ChangeEntry
    deltas: list[RuleDelta]


class StaleInstrument(BaseModel):
    instrument: str
    short_title: str
    jurisdiction: str
    last_reviewed: dt.date
    days: int


STATUS_CHANGE = {
    "enacted": ("enacted", "enacted; duties are not yet in force"),
    "in_force": ("in-force", "enters into force"),
    "partly_in_force": ("in-force", "partly enters into force"),
    "repealed": ("repealed", "repealed"),
    "revoked": ("repealed", "revoked"),
    "expired": ("repealed", "expires"),
    "stayed": ("stayed", "stayed: its duties are suspended"),
    "pending": ("enacted", "pending"),
    "not_enacted": ("repealed", "not enacted"),
}


def changes(
    ruleset: RuleSet,
    since: dt.date,
    until: dt.date | None = None,
    instruments: Sequence[str] = (),
) -> list[ChangeEntry]:
    """Every change dated on or after `since` (and on or before `until`), oldest first: those a
    rulebook records in `changes:` (court rulings, guidance, stays), and those its dated data
    already says (status changes, amendments taking effect, duties starting to apply)."""
    out = []
    for book in ruleset.books:
        inst = book.instrument
        if instruments and inst.id not in instruments:
            continue
        for entry in [*recorded(book), *derived(book, ruleset)]:
            if entry.date < since or (until is not None and entry.date > until):
                continue
            out.append(entry)
    return sorted(out, key=lambda c: (c.date, c.instrument, c.kind, c.title))


def _entry(book: Rulebook, **fields: object) -> ChangeEntry:
    inst = book.instrument
    return ChangeEntry(
        instrument=inst.id,
        jurisdiction=inst.jurisdiction,
        short_title=inst.short_title,
        **fields,  # type: ignore[arg-type]
    )


def recorded(book: Rulebook) -> list[ChangeEntry]:
    return [
        _entry(
            book,
            date=ch.date,
            kind=ch.kind,
            title=ch.title,
            rules=ch.rules,
            url=ch.url,
            confidence=ch.confidence,
        )
        for ch in book.instrument.changes
    ]


def derived(book: Rulebook, ruleset: RuleSet) -> list[ChangeEntry]:
    """Changes the rulebook's dated data implies, so the changelog never disagrees with it."""
    inst = book.instrument
    out = []
    for start, status in inst.status.versions:
        if start is None or status not in STATUS_CHANGE:
            continue
        kind, words = STATUS_CHANGE[status]
        out.append(
            _entry(
                book,
                date=start,
                kind=kind,
                title=f"{inst.short_title} {words}",
                rules=[],
                url=None,
                confidence=inst.confidence,
            )
        )
    for a in inst.amendments:
        touched = [r.id for r in book.rules if a.in_force in _version_dates(r, inst)]
        out.append(
            _entry(
                book,
                date=a.in_force,
                kind="amended",
                title=f"{a.title} takes effect",
                rules=touched,
                url=a.url,
                confidence=a.confidence,
            )
        )
    starts: dict[dt.date, list[str]] = {}
    first = min((d for d, _ in inst.status.versions if d is not None), default=None)
    for r in book.rules:
        if r.kind not in ("obligation", "prohibition"):
            continue
        for day in _application_dates(r, inst):
            if (first is None or day > first) and inst.status.at(day)[1] in ACTIVE_STATUSES:
                starts.setdefault(day, []).append(r.id)
    for day, rids in starts.items():
        n = len(rids)
        out.append(
            _entry(
                book,
                date=day,
                kind="applies",
                title=f"{n} {'duty or ban starts' if n == 1 else 'duties or bans start'} to apply",
                rules=sorted(rids),
                url=None,
                confidence=inst.confidence,
            )
        )
    return out


def _version_dates(rule: Rule, inst: Instrument) -> set[dt.date]:
    """The law-version dates at which a rule's dates or exceptions change."""
    out: set[dt.date] = set()
    for value in [rule.applies_from, *[r.applies_from for r in rule.applies_from_by]]:
        dated = inst.dates.get(value) if isinstance(value, str) else value
        if dated is not None:
            out |= {d for d, _ in dated.versions if d is not None}
    for u in rule.unless:
        if u.in_versions is not None:
            out |= {d for d, _ in u.in_versions.versions if d is not None}
    return out


def _application_dates(rule: Rule, inst: Instrument) -> set[dt.date]:
    """The dates from which the rule applies, each under the law version in force on that date
    (a date an amendment moved before it came is not one: nothing started then)."""
    out: set[dt.date] = set()
    for value in [rule.applies_from, *[r.applies_from for r in rule.applies_from_by]]:
        dated = inst.dates.get(value) if isinstance(value, str) else value
        if dated is None:
            continue
        for _, day in dated.versions:
            if isinstance(day, dt.date) and dated.at(day)[1] == day:
                out.add(day)
    return out


def stale(ruleset: RuleSet, days: int, as_of: dt.date) -> list[StaleInstrument]:
    """Instruments whose last review is more than `days` days before `as_of`, oldest first."""
    out = [
        StaleInstrument(
            instrument=b.instrument.id,
            short_title=b.instrument.short_title,
            jurisdiction=b.instrument.jurisdiction,
            last_reviewed=b.instrument.last_reviewed,
            days=(as_of - b.instrument.last_reviewed).days,
        )
        for b in ruleset.books
        if (as_of - b.instrument.last_reviewed).days > days
    ]
    return sorted(out, key=lambda s: (s.last_reviewed, s.instrument))


def impacts(
    profiles: Sequence[Profile], ruleset: RuleSet, entries: Sequence[ChangeEntry]
) -> list[Impact]:
    """For each system and change, the rules whose result differs between the day before the
    change and its day. Changes that alter nothing for a system are left out."""
    from accord.engine import assess

    out = []
    cache: dict[tuple[str, dt.date], dict[str, tuple[str, str, str]]] = {}

    def results(profile: Profile, day: dt.date) -> dict[str, tuple[str, str, str]]:
        key = (profile.id, day)
        if key not in cache:
            a = assess(profile, day, ruleset=ruleset, explain=False)
            cache[key] = {f.rule_id: (f.title, f.outcome, f.status) for f in a.findings()}
        return cache[key]

    for profile in profiles:
        shown: dict[tuple[str, dt.date], set[str]] = {}  # a rule is reported once per day
        ordered = sorted(entries, key=lambda e: (not e.rules, e.date))  # specific entries first
        for entry in ordered:
            seen = shown.setdefault((entry.instrument, entry.date), set())
            before = results(profile, entry.date - dt.timedelta(days=1))
            after = results(profile, entry.date)
            names = entry.rules or ruleset.by_instrument.get(entry.instrument, [])
            deltas = []
            for rid in names:
                b, a = before.get(rid), after.get(rid)
                if b is None or a is None or b[1:] == a[1:]:
                    continue
                if b[1] == a[1] == "does_not_apply" or rid in seen:
                    continue  # it concerns the system neither before nor after, or is shown
                deltas.append(
                    RuleDelta(
                        rule_id=rid, title=a[0], before=f"{b[1]}/{b[2]}", after=f"{a[1]}/{a[2]}"
                    )
                )
            seen |= {d.rule_id for d in deltas}
            if deltas:
                out.append(
                    Impact(
                        profile_id=profile.id,
                        profile_name=profile.name,
                        change=entry,
                        deltas=deltas,
                    )
                )
    return sorted(out, key=lambda i: (i.profile_id, i.change.date, i.change.instrument))
