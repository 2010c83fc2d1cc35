"""The day's arrivals, shaped like a real weekday of the ServiceNow incident log.

The log (`../shared/datasets/servicenow-incidents/`, UCI "Incident management process enriched
event log", 2016) holds one row per update of an incident; the first event of each incident gives
its `opened_at` (minute resolution) and its priority when opened. The day simulated is the
median ordinary weekday: the Monday-to-Friday date whose incident count is closest to the
median of all weekdays (ties: the earlier date). With the log as shipped that is Thursday
2016-04-14, 371 incidents (the median weekday has 371): neither the Monday peaks (up to 607)
nor the half-days at the log's ends (43-207).

Scaling to N arrivals keeps the curve: each hour gets N x (its share of the day's incidents)
arrivals (largest remainders), and each arrival copies a random incident of that hour (its
minute and its priority) plus a uniform second within the minute. Priorities map
1 - Critical -> P1, 2 - High -> P2, 3 - Moderate -> P3, 4 - Low -> P4. The log's times have no
zone; they are taken as UTC.
"""

from __future__ import annotations

import random
import statistics
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from bench._data import SHARED
from deskroute.audit.incidents import Incident as LoggedIncident
from deskroute.audit.incidents import read_history
from deskroute.audit.mapping import resolve_mapping
from deskroute.policies.base import Priority

LOG = SHARED / "datasets" / "servicenow-incidents" / "incident_event_log.csv.zip"
PRIORITIES: dict[str, Priority] = {
    "1 - Critical": "P1",
    "2 - High": "P2",
    "3 - Moderate": "P3",
    "4 - Low": "P4",
}


@dataclass(frozen=True)
class Incident:
    opened_at: datetime
    priority: Priority


@dataclass(frozen=True)
class Day:
    """The chosen weekday: its incidents, and why it was chosen."""

    date: date
    incidents: list[Incident]
    weekday_median: float
    weekdays: int


def _priority(incident: LoggedIncident) -> Priority:
    priority = PRIORITIES.get(incident.opened_priority or "")
    if priority is None:
        sys.exit(f"{incident.id}: unknown priority {incident.opened_priority!r} in {LOG}")
    return priority


def read_incidents(path: Path = LOG) -> list[Incident]:
    """Each incident as first logged (read by `deskroute audit`'s reader, with the ServiceNow
    preset); exits with a clear message if the log is absent."""
    if not path.is_file():
        sys.exit(
            f"skipped: {path} is absent (the shared datasets must sit beside the checkout as "
            "../shared)"
        )
    history = read_history(path, resolve_mapping(preset="servicenow"))
    return [
        Incident(opened_at=i.opened_at.replace(tzinfo=UTC), priority=_priority(i))
        for i in history.incidents
    ]


def median_weekday(incidents: list[Incident]) -> Day:
    """The Monday-to-Friday date whose count is closest to the median weekday's."""
    by_day: dict[date, list[Incident]] = defaultdict(list)
    for incident in incidents:
        by_day[incident.opened_at.date()].append(incident)
    weekdays = {d: len(v) for d, v in by_day.items() if d.weekday() < 5}
    median = statistics.median(weekdays.values())
    chosen = min(weekdays, key=lambda d: (abs(weekdays[d] - median), d))
    return Day(date=chosen, incidents=by_day[chosen], weekday_median=median, weekdays=len(weekdays))


def _hour_counts(day: Day, total: int) -> dict[int, int]:
    """`total` spread over the hours in proportion to the day's incidents (largest remainder)."""
    per_hour = Counter(i.opened_at.hour for i in day.incidents)
    exact = {h: total * n / len(day.incidents) for h, n in per_hour.items()}
    counts = {h: int(x) for h, x in exact.items()}
    short = total - sum(counts.values())
    for h in sorted(exact, key=lambda h: (counts[h] - exact[h], h))[:short]:
        counts[h] += 1
    return counts


def scaled_arrivals(day: Day, total: int, rng: random.Random) -> list[Incident]:
    """`total` arrivals over the day, in time order, with the day's hourly curve and mix."""
    by_hour: dict[int, list[Incident]] = defaultdict(list)
    for incident in day.incidents:
        by_hour[incident.opened_at.hour].append(incident)
    arrivals = []
    for hour, count in sorted(_hour_counts(day, total).items()):
        pool = sorted(by_hour[hour], key=lambda i: (i.opened_at, i.priority))
        for _ in range(count):
            model = rng.choice(pool)
            at = model.opened_at + timedelta(seconds=rng.uniform(0, 60))
            arrivals.append(Incident(opened_at=at, priority=model.priority))
    return sorted(arrivals, key=lambda i: i.opened_at)
