"""The portfolio's deadline calendar, as iCalendar (RFC 5545) for any calendar application.

Two kinds of dated items, both after the assessment date:

- a duty starts to apply: a binding obligation or prohibition that applies from a later date
  (the finding's `applies_from`);
- a control must be renewed: a control in place whose validity the law limits (an LL144 bias
  audit counts for a year) stops counting after its `valid_until`.

Items are grouped into one all-day event per (date, system, instrument), with the duties in the
description. Each event's UID is derived from that triple, so re-exporting the calendar updates
the same events in a subscribed calendar instead of duplicating them; DTSTAMP is the assessment
date, so the same inputs give byte-identical files.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field

from accord.engine.result import Assessment

PRODID = "-//Accord//portfolio deadlines//EN"


@dataclass
class CalendarEvent:
    """Everything on one date for one system under one instrument."""

    date: dt.date
    system_id: str
    system_name: str
    instrument: str
    short_title: str
    jurisdiction: str
    starts: list[str] = field(default_factory=list)
    renewals: list[str] = field(default_factory=list)
    renew: list[str] = field(default_factory=list)
    """Distinct controls that stop counting after the date (the renewals name each duty)."""
    url: str | None = None

    @property
    def uid(self) -> str:
        key = f"{self.date.isoformat()}|{self.system_id}|{self.instrument}"
        return f"{hashlib.sha256(key.encode()).hexdigest()[:32]}@accord"

    @property
    def summary(self) -> str:
        parts = []
        if self.starts:
            n = len(self.starts)
            parts.append(f"{n} {'duty applies' if n == 1 else 'duties apply'}")
        if self.renew:
            parts.append(f"renew {', '.join(self.renew)}")
        return f"{self.system_name}: {self.short_title}: {', '.join(parts)}"

    @property
    def description(self) -> str:
        lines = [f"System: {self.system_name} ({self.system_id})"]
        lines.append(f"Instrument: {self.short_title} ({self.instrument}), {self.jurisdiction}")
        if self.starts:
            lines += ["", f"Duties that apply from {self.date}:"]
            lines += [f"- {s}" for s in self.starts]
        if self.renewals:
            lines += ["", f"Controls that stop counting after {self.date}:"]
            lines += [f"- {r}" for r in self.renewals]
        return "\n".join(lines)


def calendar_events(assessments: Sequence[Assessment]) -> list[CalendarEvent]:
    """Every dated duty start and control expiry after each assessment's date, grouped."""
    events: dict[tuple[dt.date, str, str], CalendarEvent] = {}

    def event(a: Assessment, inst_id: str, short: str, code: str, date: dt.date) -> CalendarEvent:
        key = (date, a.profile_id, inst_id)
        if key not in events:
            events[key] = CalendarEvent(
                date=date,
                system_id=a.profile_id,
                system_name=a.profile_name,
                instrument=inst_id,
                short_title=short,
                jurisdiction=code,
            )
        return events[key]

    for a in assessments:
        for inst in a.instruments:
            if inst.in_scope == "does_not_apply":
                continue
            for f in inst.prohibitions + inst.obligations:
                if not f.binding or f.outcome != "applies":
                    continue
                if f.status == "upcoming" and f.applies_from and f.applies_from > a.as_of:
                    ev = event(a, inst.id, inst.short_title, inst.jurisdiction, f.applies_from)
                    what = "prohibited: " if f.kind == "prohibition" else ""
                    ev.starts.append(f"{what}{f.title} [{f.rule_id}] ({f.citation})")
                    ev.url = ev.url or f.url
                if f.kind != "obligation" or f.status not in ("applicable", "upcoming"):
                    continue
                for c in f.control_checks:
                    if c.state == "in_place" and c.valid_until and c.valid_until >= a.as_of:
                        ev = event(a, inst.id, inst.short_title, inst.jurisdiction, c.valid_until)
                        if c.id not in ev.renew:
                            ev.renew.append(c.id)
                        ev.renewals.append(
                            f"{c.id} (done {c.date}, valid {c.valid_for}) for: {f.title} "
                            f"[{f.rule_id}]"
                        )
    return sorted(events.values(), key=lambda e: (e.date, e.system_id, e.instrument))


def to_ics(events: Sequence[CalendarEvent], as_of: dt.date) -> str:
    """The events as an iCalendar file (all-day events, CRLF line ends)."""
    from icalendar import Calendar, Event

    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", "Accord deadlines")
    stamp = dt.datetime.combine(as_of, dt.time(0, 0), tzinfo=dt.UTC)
    for e in events:
        ev = Event()
        ev.add("uid", e.uid)
        ev.add("dtstamp", stamp)
        ev.add("dtstart", e.date)
        ev.add("dtend", e.date + dt.timedelta(days=1))
        ev.add("summary", e.summary)
        ev.add("description", e.description)
        ev.add("categories", [e.jurisdiction, e.instrument])
        ev.add("transp", "TRANSPARENT")
        if e.url:
            ev.add("url", e.url)
        cal.add_component(ev)
    return cal.to_ical().decode("utf-8")
