"""The schema of `policies/sla.yaml`: response and resolution targets by tier and priority,
the hours each tier's clocks run in, and what happens when a clock is at risk or breached."""

from __future__ import annotations

import re
from datetime import date, time, timedelta
from typing import Annotated, Literal

from pydantic import BeforeValidator, Field, model_validator

from deskroute.models.context import Tier
from deskroute.policies.base import DayName, Priority, Strict, TimeZoneName

ALWAYS: Literal["24x7"] = "24x7"
"""The calendar name for clocks that run round the clock."""

_DURATION = re.compile(r"^(?:(?P<d>\d+)d)?\s*(?:(?P<h>\d+)h)?\s*(?:(?P<m>\d+)m)?$")
SlaTier = Tier | Literal["unknown"]
TIERS: tuple[SlaTier, ...] = ("enterprise", "business", "standard", "unknown")
PRIORITIES: tuple[Priority, ...] = ("P1", "P2", "P3", "P4")


def _duration(value: object) -> str:
    if not isinstance(value, str) or not value.strip() or not _DURATION.match(value.strip()):
        raise ValueError(f"{value!r} is not a duration: write it like 30m, 4h, 1h30m or 2d")
    if parse_duration(value) <= timedelta(0):
        raise ValueError("a target must be longer than zero")
    return value.strip()


def parse_duration(text: str) -> timedelta:
    """`1h30m` -> 90 minutes; a day is 24 hours."""
    match = _DURATION.match(text.strip())
    if match is None:
        raise ValueError(f"{text!r} is not a duration")
    parts = {k: int(v) for k, v in match.groupdict().items() if v}
    return timedelta(days=parts.get("d", 0), hours=parts.get("h", 0), minutes=parts.get("m", 0))


Duration = Annotated[str, BeforeValidator(_duration)]
"""A target such as `30m`, `4h`, `1h30m` or `2d`."""


def _clock_time(value: object) -> time:
    """`"09:00"`. YAML reads an unquoted 17:00 as the number 1020: ask for quotes."""
    if isinstance(value, int):
        raise ValueError('write times in quotes, e.g. "17:00" (YAML reads 17:00 as a number)')
    if not isinstance(value, str) or not re.fullmatch(r"\d{2}:\d{2}", value):
        raise ValueError(f'{value!r} is not a time of day: write it like "09:00"')
    hours, minutes = int(value[:2]), int(value[3:])
    if hours == 24 and minutes == 0:
        return time.max
    if hours > 23 or minutes > 59:
        raise ValueError(f"{value!r} is not a time of day")
    return time(hours, minutes)


ClockTime = Annotated[time, BeforeValidator(_clock_time)]


class BusinessHoursPolicy(Strict):
    """Working days and hours in one time zone; holidays are days off."""

    timezone: TimeZoneName
    days: list[DayName] = Field(min_length=1)
    start: ClockTime
    end: ClockTime
    holidays: list[date] = Field(default_factory=list)

    @model_validator(mode="after")
    def _ordered(self) -> BusinessHoursPolicy:
        if self.end <= self.start:
            raise ValueError("end must be later than start on the same day")
        return self


class Target(Strict):
    first_response: Duration
    resolution: Duration

    @model_validator(mode="after")
    def _ordered(self) -> Target:
        if parse_duration(self.resolution) < parse_duration(self.first_response):
            raise ValueError("resolution cannot be sooner than first_response")
        return self


class TierPolicy(Strict):
    calendar: str
    """`24x7`, or the name of one of `calendars`."""
    targets: dict[Priority, Target]


class Reactions(Strict):
    raise_priority: bool = True
    """At risk: the ticket's priority goes up one step (P3 -> P2; P1 stays)."""
    offer_to_another_agent: bool = True
    """At risk: the ticket is offered to another free agent."""
    escalate_breach_to_lead: bool = True
    """Breached: the ticket is escalated to its queue's lead (reason `sla_breach`)."""


class SlaPolicy(Strict):
    at_risk: float = Field(default=0.75, gt=0, lt=1)
    calendars: dict[str, BusinessHoursPolicy] = Field(default_factory=dict)
    tiers: dict[SlaTier, TierPolicy]
    reactions: Reactions = Field(default_factory=Reactions)

    def tier(self, tier: str | None) -> TierPolicy:
        """The policy for a customer tier; a sender the CRM does not know is `unknown`."""
        return self.tiers[tier if tier in self.tiers else "unknown"]


def sla_problem(policy: SlaPolicy) -> tuple[str, str] | None:
    """The first thing the file's parts disagree on, as (key, message): a tier missing, a
    calendar that is not defined, a priority without targets, days on business hours."""
    if ALWAYS in policy.calendars:
        return f"calendars.{ALWAYS}", f"{ALWAYS!r} is built in; give yours another name"
    for tier in TIERS:
        tier_policy = policy.tiers.get(tier)
        if tier_policy is None:
            return "tiers", f"needs an entry for tier {tier!r}"
        if tier_policy.calendar != ALWAYS and tier_policy.calendar not in policy.calendars:
            known = ", ".join([ALWAYS, *policy.calendars])
            return (
                f"tiers.{tier}.calendar",
                f"unknown calendar {tier_policy.calendar!r}; known: {known}",
            )
        if missing := [p for p in PRIORITIES if p not in tier_policy.targets]:
            return f"tiers.{tier}.targets", f"lacks {', '.join(missing)}"
        if tier_policy.calendar == ALWAYS:
            continue
        for priority, target in tier_policy.targets.items():
            for name in ("first_response", "resolution"):
                if "d" in getattr(target, name):
                    return (
                        f"tiers.{tier}.targets.{priority}.{name}",
                        "on business hours write hours (8h), not days: a working day is not "
                        "24 hours",
                    )
    return None
