"""The day's ticket stream: the ServiceNow-shaped arrivals plus an outage burst, each ticket
given a category, language, tier and handling time from `world`.

The outage burst: `BURST_SIZE` tickets of category `outage` arriving uniformly over
`BURST_MINUTES` minutes from `BURST_AT` (UTC), each at the priority policies/routing.yaml gives
its tier for `high` urgency (the outage category's base urgency).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from bench._workday import world
from bench._workday.servicenow import Day, scaled_arrivals
from deskroute.policies.base import Priority

BURST_SIZE = 150
BURST_MINUTES = 20
BURST_AT = time(14, 0)


@dataclass(frozen=True)
class SimTicket:
    key: str
    """The ticket's external id in the store."""
    arrival: datetime
    category: str
    language: str
    tier: str
    priority: Priority
    handling_s: float
    burst: bool = False


def _attributes(rng: random.Random, category: str | None = None) -> tuple[str, str, str, float]:
    cat = category or world.draw(world.CATEGORY_SHARES, rng)
    language = world.draw(world.LANGUAGE_SHARES, rng)
    tier = world.draw(world.TIER_SHARES, rng)
    return cat, language, tier, world.handling_minutes(cat, rng) * 60


def day_stream(
    day: Day,
    *,
    tickets: int,
    burst: int,
    high_priority: dict[str, Priority],
    seed: int,
) -> list[SimTicket]:
    """`tickets` ordinary arrivals and a burst of `burst` outage tickets, in time order.
    `high_priority` is routing.yaml's priority per tier at `high` urgency."""
    rng = random.Random(seed)
    stream = []
    for n, incident in enumerate(scaled_arrivals(day, tickets, rng)):
        category, language, tier, handling = _attributes(rng)
        stream.append(
            SimTicket(
                key=f"day-{n:05d}",
                arrival=incident.opened_at,
                category=category,
                language=language,
                tier=tier,
                priority=incident.priority,
                handling_s=handling,
            )
        )
    midnight = datetime.combine(day.date, time(0), tzinfo=stream[0].arrival.tzinfo)
    start = midnight + timedelta(hours=BURST_AT.hour, minutes=BURST_AT.minute)
    for n in range(burst):
        _category, language, tier, handling = _attributes(rng, "outage")
        stream.append(
            SimTicket(
                key=f"outage-{n:04d}",
                arrival=start + timedelta(seconds=rng.uniform(0, BURST_MINUTES * 60)),
                category="outage",
                language=language,
                tier=tier,
                priority=high_priority[tier],
                handling_s=handling,
                burst=True,
            )
        )
    return sorted(stream, key=lambda t: t.arrival)
