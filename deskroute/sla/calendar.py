"""Business-time arithmetic: when a span of working time ends, and how much working time lies
between two instants. Pure; instants are aware datetimes, answers are in UTC.

Each working day's window is placed in the calendar's time zone and converted to UTC before
any arithmetic, so a day on which the clocks change is as long as its working hours say.
(Subtracting two aware datetimes that share a zone object ignores the offset change.)
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

from deskroute.policies.base import DAYS
from deskroute.policies.sla import ALWAYS, BusinessHoursPolicy, SlaPolicy

_HORIZON_DAYS = 3660
"""How far ahead a working window is looked for: a calendar with none in ten years is broken."""


class Calendar(Protocol):
    @property
    def name(self) -> str: ...

    def add(self, start: datetime, span: timedelta) -> datetime:
        """The instant at which `span` of working time, counted from `start`, is used up."""
        ...

    def between(self, start: datetime, end: datetime) -> timedelta:
        """The working time from `start` to `end` (zero when `end` is not later)."""
        ...


@dataclass(frozen=True)
class AlwaysOpen:
    """Round the clock: working time is elapsed time."""

    name: str = ALWAYS

    def add(self, start: datetime, span: timedelta) -> datetime:
        return start.astimezone(UTC) + span

    def between(self, start: datetime, end: datetime) -> timedelta:
        return max(end.astimezone(UTC) - start.astimezone(UTC), timedelta(0))


@dataclass(frozen=True)
class BusinessHours:
    """Working days from `start` to `end` local time in `zone`, holidays off."""

    name: str
    zone: ZoneInfo
    days: frozenset[int]
    """Weekdays, Monday = 0."""
    start: time
    end: time
    holidays: frozenset[date] = frozenset()

    @classmethod
    def of(cls, name: str, policy: BusinessHoursPolicy) -> BusinessHours:
        return cls(
            name=name,
            zone=ZoneInfo(policy.timezone),
            days=frozenset(DAYS[d] for d in policy.days),
            start=policy.start,
            end=policy.end,
            holidays=frozenset(policy.holidays),
        )

    def _windows(self, since: datetime) -> Iterator[tuple[datetime, datetime]]:
        """Working windows in UTC, from the local day of `since` on."""
        day = since.astimezone(self.zone).date()
        for _ in range(_HORIZON_DAYS):
            if day.weekday() in self.days and day not in self.holidays:
                opens = datetime.combine(day, self.start, tzinfo=self.zone).astimezone(UTC)
                if self.end == time.max:
                    closes = datetime.combine(day + timedelta(days=1), time(), tzinfo=self.zone)
                else:
                    closes = datetime.combine(day, self.end, tzinfo=self.zone)
                yield opens, closes.astimezone(UTC)
            day += timedelta(days=1)
        raise ValueError(f"calendar {self.name!r} has no working hours in ten years")

    def add(self, start: datetime, span: timedelta) -> datetime:
        start = start.astimezone(UTC)
        if span <= timedelta(0):
            return start
        left = span
        for opens, closes in self._windows(start):
            begin = max(opens, start)
            if begin >= closes:
                continue
            if left <= closes - begin:
                return begin + left
            left -= closes - begin
        raise AssertionError("unreachable: _windows raises when it runs out")

    def between(self, start: datetime, end: datetime) -> timedelta:
        start, end = start.astimezone(UTC), end.astimezone(UTC)
        total = timedelta(0)
        if end <= start:
            return total
        for opens, closes in self._windows(start):
            if opens >= end:
                break
            total += max(min(closes, end) - max(opens, start), timedelta(0))
        return total


def calendar_named(policy: SlaPolicy, name: str) -> Calendar:
    """The calendar by name; `24x7` is built in. A `KeyError` for a name the policy lacks."""
    if name == ALWAYS:
        return AlwaysOpen()
    return BusinessHours.of(name, policy.calendars[name])
