"""Business-time arithmetic: weekends, after hours, holidays and the days the clocks change."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from deskroute.sla.calendar import AlwaysOpen, BusinessHours

BERLIN = ZoneInfo("Europe/Berlin")
OFFICE = BusinessHours(
    name="office-hours",
    zone=BERLIN,
    days=frozenset(range(5)),
    start=time(9),
    end=time(17),
    holidays=frozenset({date(2026, 12, 25)}),
)


def berlin(*args: int) -> datetime:
    return datetime(*args, tzinfo=BERLIN)


def test_within_the_day() -> None:
    assert OFFICE.add(berlin(2026, 3, 2, 10), timedelta(hours=2)) == berlin(2026, 3, 2, 12)


def test_after_hours_rolls_over_the_night() -> None:
    # Monday 16:00 + 2 working hours: one today, one from 09:00 on Tuesday
    assert OFFICE.add(berlin(2026, 3, 2, 16), timedelta(hours=2)) == berlin(2026, 3, 3, 10)
    # arriving at night, the clock starts at the next opening
    assert OFFICE.add(berlin(2026, 3, 2, 23, 30), timedelta(hours=1)) == berlin(2026, 3, 3, 10)


def test_weekend_is_skipped() -> None:
    # Friday 16:30 + 1h: half an hour on Friday, half on Monday
    assert OFFICE.add(berlin(2026, 3, 6, 16, 30), timedelta(hours=1)) == berlin(2026, 3, 9, 9, 30)
    assert OFFICE.add(berlin(2026, 3, 7, 12), timedelta(hours=8)) == berlin(2026, 3, 9, 17)


def test_holidays_are_days_off() -> None:
    # Thursday 24 Dec 16:00 + 2h: 1h on the 24th, Friday 25th is a holiday, 1h on Monday
    assert OFFICE.add(berlin(2026, 12, 24, 16), timedelta(hours=2)) == berlin(2026, 12, 28, 10)


def test_a_working_day_is_eight_hours_across_a_change_of_clocks() -> None:
    # Clocks go forward on Sunday 29 March 2026 (UTC+1 -> UTC+2): Friday 17:00 CET is 16:00
    # UTC, Monday 09:00 CEST is 07:00 UTC; the weekend counts nothing
    friday, monday = berlin(2026, 3, 27, 13), berlin(2026, 3, 30, 13)
    assert OFFICE.between(friday, monday) == timedelta(hours=8)
    assert OFFICE.add(friday, timedelta(hours=8)) == monday
    assert OFFICE.add(friday, timedelta(hours=8)).astimezone(UTC).hour == 11


def test_round_the_clock_counts_real_hours_over_a_change() -> None:
    # The night the clocks go back (25 October 2026) is 25 hours long from midnight to midnight
    calendar = AlwaysOpen()
    assert calendar.between(berlin(2026, 10, 25, 0), berlin(2026, 10, 26, 0)) == timedelta(hours=25)
    assert calendar.add(berlin(2026, 10, 25, 0), timedelta(hours=24)) == berlin(2026, 10, 25, 23)


def test_between_counts_only_working_time() -> None:
    assert OFFICE.between(berlin(2026, 3, 2, 8), berlin(2026, 3, 2, 18)) == timedelta(hours=8)
    assert OFFICE.between(berlin(2026, 3, 6, 16), berlin(2026, 3, 9, 10)) == timedelta(hours=2)
    assert OFFICE.between(berlin(2026, 3, 9, 10), berlin(2026, 3, 6, 16)) == timedelta(0)


def test_add_and_between_agree() -> None:
    start = berlin(2026, 3, 26, 15, 17)
    for hours in (0.5, 3, 8, 11, 40):
        span = timedelta(hours=hours)
        assert OFFICE.between(start, OFFICE.add(start, span)) == span
