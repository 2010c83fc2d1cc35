"""A ticket's SLA clocks, pure: due times from the start, the targets and the calendar; due
times after a pause; where the clocks stand.

Each clock keeps two instants: when it is at risk (the `at_risk` share of its working time
used) and when it is due. The sweep compares them with the time; only starting a clock and
resuming it do calendar arithmetic.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal, Protocol

from deskroute.models.ownership import SlaInfo, SlaState
from deskroute.policies.base import Priority
from deskroute.policies.sla import PRIORITIES, SlaPolicy, parse_duration
from deskroute.sla.calendar import Calendar, calendar_named

ClockName = Literal["first_response", "resolution"]
Mark = Literal["at_risk", "breached"]


@dataclass(frozen=True)
class DueTimes:
    first_response_risk_at: datetime | None
    first_response_due: datetime | None
    resolution_risk_at: datetime | None
    resolution_due: datetime | None


DUE_FIELDS = (
    "first_response_risk_at",
    "first_response_due",
    "resolution_risk_at",
    "resolution_due",
)


@dataclass(frozen=True)
class Plan:
    """What a new clock runs on: its calendar and due times."""

    calendar: str
    due: DueTimes


def plan(policy: SlaPolicy, *, tier: str | None, priority: Priority, start: datetime) -> Plan:
    """The calendar and due times of a ticket's clocks started at `start`."""
    tier_policy = policy.tier(tier)
    calendar = calendar_named(policy, tier_policy.calendar)
    target = tier_policy.targets[priority]
    return Plan(
        calendar=calendar.name,
        due=due_times(
            calendar,
            start=start,
            first_response=parse_duration(target.first_response),
            resolution=parse_duration(target.resolution),
            at_risk=policy.at_risk,
        ),
    )


def due_times(
    calendar: Calendar,
    *,
    start: datetime,
    first_response: timedelta,
    resolution: timedelta,
    at_risk: float,
) -> DueTimes:
    return DueTimes(
        first_response_risk_at=calendar.add(start, first_response * at_risk),
        first_response_due=calendar.add(start, first_response),
        resolution_risk_at=calendar.add(start, resolution * at_risk),
        resolution_due=calendar.add(start, resolution),
    )


def moved(
    calendar: Calendar, instant: datetime | None, *, stopped: datetime, resumed: datetime
) -> datetime | None:
    """An at-risk or due instant after the clock stood still from `stopped` to `resumed`: the
    working time that was left at the stop is counted again from the resumption. An instant
    already passed when the clock stopped stays where it is."""
    if instant is None or instant <= stopped:
        return instant
    return calendar.add(resumed, calendar.between(stopped, instant))


def moved_due(
    calendar: Calendar, clock: ClockRow, *, stopped: datetime, resumed: datetime
) -> DueTimes:
    """All four instants of a clock that stood still from `stopped` to `resumed`."""
    return DueTimes(
        **{
            name: moved(calendar, getattr(clock, name), stopped=stopped, resumed=resumed)
            for name in DUE_FIELDS
        }
    )


def raised(priority: str) -> Priority:
    """One step more urgent: P3 -> P2; P1 stays P1."""
    index = PRIORITIES.index(priority)
    return PRIORITIES[max(index - 1, 0)]


class ClockRow(Protocol):
    """What the state of a clock is read from (a `sla_clocks` row)."""

    open: bool
    calendar: str
    first_response_risk_at: datetime | None
    first_response_due: datetime | None
    resolution_risk_at: datetime | None
    resolution_due: datetime | None
    first_response_at: datetime | None
    resolved_at: datetime | None
    paused_since: datetime | None
    first_response_warned_at: datetime | None
    first_response_breached_at: datetime | None
    resolution_warned_at: datetime | None
    resolution_breached_at: datetime | None


def _late(done: datetime | None, due: datetime | None) -> bool:
    return done is not None and due is not None and done > due


def state_of(clock: ClockRow) -> SlaState:
    """Where the clocks stand, as far as the sweep has marked them: breached (either clock, at
    any time), met (resolved in time), paused, at risk (a clock still running was warned), or
    running. A clock answered late counts as breached even before a sweep saw it."""
    if (
        clock.first_response_breached_at is not None
        or clock.resolution_breached_at is not None
        or _late(clock.first_response_at, clock.first_response_due)
        or _late(clock.resolved_at, clock.resolution_due)
    ):
        return "breached"
    if not clock.open:
        return "met"
    if clock.paused_since is not None:
        return "paused"
    if (clock.first_response_at is None and clock.first_response_warned_at is not None) or (
        clock.resolution_warned_at is not None
    ):
        return "at_risk"
    return "running"


def info_of(clock: ClockRow) -> SlaInfo:
    """The outcome record's `sla`: due times only for clocks still running."""
    running = clock.open and clock.paused_since is None
    return SlaInfo(
        paused_since=clock.paused_since,
        first_response_due=clock.first_response_due
        if running and clock.first_response_at is None
        else None,
        resolution_due=clock.resolution_due if running else None,
        state=state_of(clock),
        calendar=clock.calendar,
        first_response_at=clock.first_response_at,
        resolved_at=clock.resolved_at,
    )
