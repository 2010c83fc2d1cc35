"""The audit's figures, computed from incidents; small pure functions a test can check by hand."""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Callable, Sequence
from datetime import datetime

from deskroute.audit.incidents import Incident
from deskroute.audit.report import Breakdown, Chain, Handoff, Load, Person, Times

NONE = "(none)"
"""The key of incidents with no priority or group."""


def percentile(values: Sequence[float], percent: int) -> float | None:
    """Nearest rank: the least value that `percent`% of the values are at or below."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[-(-percent * len(ordered) // 100) - 1]


def share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _since_opened(incident: Incident, at: datetime | None) -> float | None:
    """Seconds from opening to `at`; an event logged before the opening time counts as 0."""
    return None if at is None else max((at - incident.opened_at).total_seconds(), 0.0)


def to_assignment(incident: Incident) -> float | None:
    return _since_opened(incident, incident.assigned_at)


def to_resolution(incident: Incident) -> float | None:
    return _since_opened(incident, incident.resolved_at)


def times(incidents: Sequence[Incident], duration: Callable[[Incident], float | None]) -> Times:
    values = [d for i in incidents if (d := duration(i)) is not None]
    return Times(count=len(values), p50_s=percentile(values, 50), p90_s=percentile(values, 90))


def sla_met(incidents: Sequence[Incident]) -> tuple[int, int]:
    """(made their SLA, have an SLA verdict)."""
    known = [i.made_sla for i in incidents if i.made_sla is not None]
    return sum(known), len(known)


def breakdown(
    incidents: Sequence[Incident],
    key: Callable[[Incident], str | None],
    *,
    assignment: bool,
    resolution: bool,
) -> list[Breakdown]:
    """The figures per value of `key`, busiest first."""
    groups: dict[str, list[Incident]] = {}
    for incident in incidents:
        groups.setdefault(key(incident) or NONE, []).append(incident)
    rows = []
    for name, members in sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        met, known = sla_met(members)
        rows.append(
            Breakdown(
                key=name,
                incidents=len(members),
                reassigned_share=round(sum(i.reassignments > 0 for i in members) / len(members), 4),
                sla_met_share=share(met, known),
                time_to_assignment=times(members, to_assignment) if assignment else None,
                time_to_resolution=times(members, to_resolution) if resolution else None,
            )
        )
    return rows


def handoffs(incidents: Sequence[Incident], top: int) -> list[Handoff]:
    """The most frequent moves from one group straight to another."""
    counts = Counter(pair for i in incidents for pair in zip(i.groups, i.groups[1:], strict=False))
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:top]
    return [Handoff(from_group=a, to_group=b, count=n) for (a, b), n in ranked]


def chains(incidents: Sequence[Incident], top: int) -> list[Chain]:
    """The most frequent paths through two groups or more."""
    counts = Counter(i.groups for i in incidents if len(i.groups) > 1)
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:top]
    return [Chain(groups=list(path), count=n) for path, n in ranked]


def load(incidents: Sequence[Incident], top: int) -> Load | None:
    """How incidents spread over the people they were last assigned to."""
    counts = Counter(i.assignee for i in incidents if i.assignee is not None)
    if not counts:
        return None
    assigned = sum(counts.values())
    per_person = list(counts.values())
    mean = statistics.fmean(per_person)
    busiest = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:top]
    return Load(
        assignees=len(counts),
        incidents=assigned,
        unassigned=len(incidents) - assigned,
        min=min(per_person),
        median=statistics.median(per_person),
        max=max(per_person),
        mean=round(mean, 3),
        cv=round(statistics.pstdev(per_person) / mean, 3),
        top=[Person(assignee=a, incidents=n, share=round(n / assigned, 4)) for a, n in busiest],
        top_share=round(sum(n for _, n in busiest) / assigned, 4),
    )
