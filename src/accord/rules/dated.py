"""Values that change with the law: keyed by the date each version of the law took effect.

Like OpenFisca parameters: `{2024-08-01: 2026-08-02, 2026-07-27: 2027-12-02}` reads "under the
text in force from 2024-08-01 the value is 2026-08-02; under the text in force from 2026-07-27
it is 2027-12-02". A plain value means the same under every version. `null` under a version
means the provision does not exist in that version (repealed, or not yet added).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Dated(Generic[T]):
    """A value per law version, sorted by the version's start date."""

    versions: tuple[tuple[dt.date | None, T | None], ...]

    @classmethod
    def constant(cls, value: T | None) -> Dated[T]:
        return cls(((None, value),))

    def at(self, when: dt.date) -> tuple[dt.date | None, T | None, bool]:
        """(version start, value, found) for the version in force on `when`.

        `found` is False when no version had taken effect yet on `when`.
        """
        chosen: tuple[dt.date | None, T | None] | None = None
        for start, value in self.versions:
            if start is None or start <= when:
                chosen = (start, value)
        if chosen is None:
            return None, None, False
        return chosen[0], chosen[1], True

    def is_dated(self) -> bool:
        return any(start is not None for start, _ in self.versions)

    def to_data(self) -> Any:
        if not self.is_dated():
            return _plain(self.versions[0][1])
        return {start.isoformat(): _plain(v) for start, v in self.versions if start}


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


def parse_dated(data: Any, parse_value: Any) -> Dated[Any]:
    """Parse a plain value or a {date: value} mapping; `parse_value` checks each value."""
    if isinstance(data, dict):
        if not data:
            raise ValueError("a dated value needs at least one {date: value} version, got {}")
        versions = []
        for key, value in data.items():
            start = key if isinstance(key, dt.date) else _to_date(key)
            versions.append((start, None if value is None else parse_value(value)))
        versions.sort(key=lambda kv: kv[0])
        return Dated(tuple(versions))
    return Dated.constant(None if data is None else parse_value(data))


def _to_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise ValueError(f"expected a date as YYYY-MM-DD, got {value!r}") from None


to_date = _to_date


def add_period(start: dt.date, period: str) -> dt.date:
    """`start` plus a period written <n>y, <n>m or <n>d. Months and years keep the day of the
    month where it exists (31 Jan + 1m = 28 or 29 Feb; 29 Feb + 1y = 28 Feb)."""
    import calendar

    n, unit = int(period[:-1]), period[-1]
    if unit == "d":
        return start + dt.timedelta(days=n)
    months = start.month - 1 + (n * 12 if unit == "y" else n)
    year, month = start.year + months // 12, months % 12 + 1
    return dt.date(year, month, min(start.day, calendar.monthrange(year, month)[1]))
