"""Fold an export's events into incidents: each one as first opened and as last logged.

Figures are counted on an incident's last event, as ServiceNow's own counters are (its
`reassignment_count`, `reopen_count` and `made_sla` hold the incident's state so far); its
group, person and priority are the last ones logged (an event that clears them does not). Events
are taken in time order when the export has an event time, else in file order; ties keep file
order. The groups an incident passed through are those its logged events show: an export that
logs only some updates shows fewer hand-offs than the helpdesk's own count."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from deskroute.audit.events import Event, read_events
from deskroute.audit.mapping import ResolvedMapping
from deskroute.audit.source import open_export
from deskroute.errors import BadInputError


@dataclass(frozen=True, slots=True)
class Incident:
    id: str
    opened_at: datetime
    opened_priority: str | None
    """The priority on its first event (its last one is `priority`)."""
    priority: str | None
    """The last priority it was given."""
    group: str | None
    """The last assignment group it was with."""
    groups: tuple[str, ...]
    """The groups it passed through, in order, repeats in a row merged."""
    assignee: str | None
    """The last person it was assigned to."""
    assigned_at: datetime | None
    """The time of its first event with an assignee (None: never assigned, or no event times)."""
    resolved_at: datetime | None
    reassignments: int
    reopens: int | None
    made_sla: bool | None


@dataclass(frozen=True)
class History:
    source: str
    events: int
    incidents: list[Incident]
    measured: frozenset[str]
    """The fields the export has a column for."""


def _path(events: list[Event]) -> tuple[str, ...]:
    groups: list[str] = []
    for e in events:
        if e.group is not None and (not groups or groups[-1] != e.group):
            groups.append(e.group)
    return tuple(groups)


def _last_known(values: Iterable[str | None]) -> str | None:
    return next((v for v in reversed(list(values)) if v is not None), None)


def fold(events: list[Event]) -> Incident:
    """One incident from its events, in file order."""
    if events[0].updated_at is not None:
        events = sorted(events, key=lambda e: e.updated_at or e.opened_at)
    first, last = events[0], events[-1]
    groups = _path(events)
    assigned = next((e for e in events if e.assignee is not None), None)
    counted = last.reassignment_count
    seen = max(len(groups) - 1, 0)
    return Incident(
        id=last.id,
        opened_at=first.opened_at,
        opened_priority=first.priority,
        priority=_last_known(e.priority for e in events),
        group=groups[-1] if groups else None,
        groups=groups,
        assignee=_last_known(e.assignee for e in events),
        assigned_at=assigned.updated_at if assigned else None,
        resolved_at=last.resolved_at,
        reassignments=seen if counted is None else counted,
        reopens=last.reopen_count,
        made_sla=last.made_sla,
    )


def _group(events: Iterable[Event]) -> tuple[int, dict[str, list[Event]]]:
    by_id: dict[str, list[Event]] = {}
    count = 0
    for event in events:
        by_id.setdefault(event.id, []).append(event)
        count += 1
    return count, by_id


def read_history(path: Path, resolved: ResolvedMapping) -> History:
    """Every incident of the export at `path` (CSV, or a zip archive holding one)."""
    with open_export(path) as (source, text):
        measured, events = read_events(text, resolved, source)
        count, by_id = _group(events)
    if not by_id:
        raise BadInputError("no events: the file has a header and nothing else", field=source)
    return History(
        source=source,
        events=count,
        incidents=[fold(events) for events in by_id.values()],
        measured=measured,
    )
