"""The simulated support team and the tickets' attributes: who works when, on what, in which
languages, and how long each kind of ticket takes. Everything is drawn from a seeded
`random.Random`, so a seed gives the same day.

The team (20 agents by default, times UTC, the company Europe-based) is staffed to the
arrival curve, as a workforce plan would (about 85 % busy at the mean handling time): early
06:00-14:30 (5 agents), day 08:00-16:30 (6), mid 09:30-18:00 (4), late 12:30-21:00 (3), and
follow-the-sun agents in Asia and the Americas covering the night one at a time, on
part-time shifts (20:00-01:00 and 01:00-06:00): the night's few tickets keep one person busy,
not two, and a desk still has somebody on every hour. Skills are the demo taxonomy's categories
(policies/taxonomy.yaml) in six profiles; every agent speaks English, German speakers sit on
every European shift, French and Spanish (policies/intake.yaml) have two and three speakers.
Capacities (open tickets at once) run 3-8 with seniority. Three agents go offline mid-day;
two of them come back.

Tickets: category, language and customer tier drawn from the stated distributions; handling
times (an agent's working minutes on one ticket, with DeskRoute's routing and draft in hand)
are lognormal per category with the stated means and sigma 0.6.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from deskroute.models.ownership import AgentStatus

CATEGORY_SHARES = {
    "technical_issue": 0.24,
    "general": 0.22,
    "account_access": 0.14,
    "billing": 0.14,
    "sales": 0.07,
    "refunds_cancellations": 0.06,
    "feature_request": 0.06,
    "security": 0.03,
    "data_privacy": 0.02,
    "outage": 0.02,
}
"""Categories of the day's ordinary tickets (the outage burst comes on top)."""

LANGUAGE_SHARES = {"en": 0.62, "de": 0.25, "fr": 0.07, "es": 0.06}
TIER_SHARES = {"standard": 0.60, "business": 0.28, "enterprise": 0.12}

HANDLING_MEAN_MIN = {
    "general": 2.5,
    "account_access": 2.5,
    "billing": 3.5,
    "refunds_cancellations": 4.0,
    "technical_issue": 5.0,
    "outage": 1.5,
    "security": 6.0,
    "data_privacy": 5.0,
    "feature_request": 2.0,
    "sales": 3.0,
}
"""Mean working minutes per ticket; an outage ticket gets the incident's prepared answer."""
HANDLING_SIGMA = 0.6

SKILLS = {
    "support": ["general", "account_access", "feature_request", "billing"],
    "finance": ["billing", "refunds_cancellations", "sales", "general"],
    "tech": ["technical_issue", "outage", "general", "account_access"],
    "trust": ["security", "data_privacy", "account_access", "technical_issue", "outage"],
    "sales": ["sales", "feature_request", "billing", "general"],
    "all": list(CATEGORY_SHARES),
}

SHIFTS = {
    "early": (time(6, 0), time(14, 30), "Europe/Berlin"),
    "day": (time(8, 0), time(16, 30), "Europe/Berlin"),
    "mid": (time(9, 30), time(18, 0), "Europe/Berlin"),
    "late": (time(12, 30), time(21, 0), "Europe/Berlin"),
    "sun-asia": (time(20, 0), time(1, 0), "Asia/Singapore"),
    "sun-americas": (time(1, 0), time(6, 0), "America/Sao_Paulo"),
}
"""Start and end (UTC) and where the agents sit: their working hours are stored in their own
time zone, as a team would enter them."""

TEAM: list[tuple[str, str, list[str], int, bool]] = [
    # shift, skill profile, languages, capacity, leads the queues of their skills
    ("early", "support", ["en", "de"], 6, True),
    ("early", "tech", ["en", "de"], 5, True),
    ("early", "tech", ["en", "fr"], 4, False),
    ("early", "finance", ["en", "de"], 6, True),
    ("late", "support", ["en"], 8, False),
    ("early", "trust", ["en"], 4, True),
    ("day", "support", ["en", "de"], 7, True),
    ("mid", "tech", ["en"], 5, False),
    ("day", "tech", ["en", "de"], 6, True),
    ("day", "finance", ["en", "es"], 5, True),
    ("day", "sales", ["en", "de"], 4, True),
    ("day", "support", ["en", "fr"], 6, False),
    ("day", "trust", ["en", "de"], 3, True),
    ("mid", "tech", ["en"], 7, False),
    ("mid", "support", ["en", "de"], 6, False),
    ("mid", "finance", ["en"], 5, False),
    ("late", "all", ["en", "de"], 6, True),
    ("late", "all", ["en", "es"], 5, True),
    ("sun-asia", "all", ["en"], 5, True),
    ("sun-americas", "all", ["en", "es"], 5, True),
]
"""Twenty agents; for other team sizes the list repeats (or is cut) in this order. A lead gets
the SLA breaches of their queues (policies/sla.yaml `escalate_breach_to_lead`)."""

OFFLINE = [
    # agent index, offline at, back at (None: gone for the day)
    (1, time(10, 30), time(12, 0)),
    (11, time(11, 15), None),
    (8, time(13, 0), time(14, 10)),
]
"""Mid-day absences: a sick call, a meeting that ran over, a network failure."""


@dataclass(frozen=True)
class AgentSpec:
    name: str
    shift: str
    skills: list[str]
    languages: list[str]
    tiers: list[str]
    capacity: int
    start: time
    end: time
    timezone: str
    lead: bool
    absences: list[tuple[time, time | None]] = field(default_factory=list)


def team(size: int) -> list[AgentSpec]:
    """The team: `size` agents from `TEAM` in order (repeated past twenty)."""
    agents = []
    for i in range(size):
        shift, profile, languages, capacity, lead = TEAM[i % len(TEAM)]
        start, end, timezone = SHIFTS[shift]
        agents.append(
            AgentSpec(
                name=f"agent-{i + 1:02d}",
                shift=shift,
                skills=SKILLS[profile],
                languages=languages,
                tiers=["standard", "business", "enterprise"],
                capacity=capacity,
                start=start,
                end=end,
                timezone=timezone,
                lead=lead,
                absences=[(off, back) for a, off, back in OFFLINE if a == i],
            )
        )
    return agents


def status_changes(agent: AgentSpec, day: datetime) -> list[tuple[datetime, AgentStatus]]:
    """(when, status) over the day `day` (its midnight) and the night after: shift start and
    end, and absences inside the shift. A night shift that ends after midnight also covers
    the start of the day."""
    start = day + timedelta(hours=agent.start.hour, minutes=agent.start.minute)
    end = day + timedelta(hours=agent.end.hour, minutes=agent.end.minute)
    changes: list[tuple[datetime, AgentStatus]] = []
    if end <= start:  # overnight: the shift that began the evening before ends this morning
        changes += [(day, "online"), (end, "offline")]
        end += timedelta(days=1)
    changes += [(start, "online"), (end, "offline")]
    for off, back in agent.absences:
        changes.append((day + timedelta(hours=off.hour, minutes=off.minute), "offline"))
        if back is not None:
            changes.append((day + timedelta(hours=back.hour, minutes=back.minute), "online"))
    return sorted(changes)


def local_hours(agent: AgentSpec, day: datetime) -> str:
    """The shift as working hours in the agent's time zone on `day` (every day of the week),
    e.g. `mon-sun 08:00-16:30` for the early shift in Berlin in April (UTC+2)."""
    zone = ZoneInfo(agent.timezone)
    start = datetime.combine(day.date(), agent.start, tzinfo=UTC).astimezone(zone)
    end = datetime.combine(day.date(), agent.end, tzinfo=UTC).astimezone(zone)
    return f"mon-sun {start:%H:%M}-{end:%H:%M}"


def draw(shares: dict[str, float], rng: random.Random) -> str:
    return rng.choices(list(shares), weights=list(shares.values()))[0]


def handling_minutes(category: str, rng: random.Random) -> float:
    """Lognormal with the category's mean: mu = ln(mean) - sigma^2 / 2."""
    mu = math.log(HANDLING_MEAN_MIN[category]) - HANDLING_SIGMA**2 / 2
    return rng.lognormvariate(mu, HANDLING_SIGMA)
