"""The audit's report: today's flow, the "before" that later reports compare against.

Shares are of the incidents that have the value (all of them in a complete export); times
are in seconds. A figure is None when the export has no column for it."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel


class Times(BaseModel):
    """Durations over the incidents that have one (nearest-rank percentiles)."""

    count: int
    p50_s: float | None
    p90_s: float | None


class Breakdown(BaseModel):
    """The figures for the incidents of one priority or one group (as last logged)."""

    key: str
    incidents: int
    reassigned_share: float
    sla_met_share: float | None
    time_to_assignment: Times | None
    time_to_resolution: Times | None


class Handoff(BaseModel):
    """Incidents passed from one group straight to another."""

    from_group: str
    to_group: str
    count: int


class Chain(BaseModel):
    """Incidents that went through exactly these groups, in this order."""

    groups: list[str]
    count: int


class Person(BaseModel):
    assignee: str
    incidents: int
    share: float


class Load(BaseModel):
    """Incidents per person, counted on the person each incident was last assigned to."""

    assignees: int
    incidents: int
    unassigned: int
    """Incidents never assigned to a person (left out of the figures above)."""
    min: int
    median: float
    max: int
    mean: float
    cv: float
    """Standard deviation over mean: 0 is a perfectly even spread."""
    top: list[Person]
    top_share: float
    """The share of the assigned incidents that the `top` people hold."""


class AuditReport(BaseModel):
    source: str
    events: int
    incidents: int
    first_opened: datetime
    last_opened: datetime
    not_measured: list[str]
    """Fields the export has no column for: their figures are None."""
    reassigned: int
    reassigned_share: float
    """Incidents reassigned at least once."""
    reassignments_mean: float
    sla_met: int | None
    sla_met_share: float | None
    reopened: int | None
    reopen_share: float | None
    never_assigned: int | None
    unresolved: int | None
    time_to_assignment_p50_s: float | None
    time_to_assignment_p90_s: float | None
    time_to_resolution_p50_s: float | None
    time_to_resolution_p90_s: float | None
    by_priority: list[Breakdown]
    by_group: list[Breakdown]
    """Every group, busiest first."""
    handoffs: list[Handoff]
    chains: list[Chain]
    load: Load | None
