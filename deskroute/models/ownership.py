"""Who owns a ticket after routing and how its SLA clocks stand: the `assignment` and `sla`
keys of an outcome record, read from their tables whenever the record is read (they change
after the record is written)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel

AgentStatus = Literal["online", "away", "offline"]
WaitingReason = Literal["no_agent_online", "all_at_capacity", "no_language_match", "no_skill_match"]
SlaState = Literal["running", "paused", "at_risk", "breached", "met"]


class AssignmentInfo(BaseModel):
    """The agent who owns the ticket and why, or why it still waits in its queue."""

    state: Literal["waiting", "assigned", "started", "closed"]
    agent: str | None = None
    reason: str
    """Why this agent (e.g. `best_match`, `agent_offline`, `sla_breach`), or the waiting reason."""
    at: datetime
    """When it was assigned, or since when it waits."""
    waiting: WaitingReason | None = None
    relaxed: list[str] = []


class SlaInfo(BaseModel):
    """The ticket's SLA clocks: due times (None once met or while paused) and where they stand."""

    first_response_due: datetime | None
    resolution_due: datetime | None
    state: SlaState
    calendar: str
    first_response_at: datetime | None = None
    resolved_at: datetime | None = None
    paused_since: datetime | None = None
    """Since when the clocks stand still while the ticket waits on the customer."""


EventKind = Literal[
    "ticket.routed",
    "ticket.escalated",
    "ticket.resolved",
    "ticket.assigned",
    "ticket.reassigned",
    "ticket.waiting",
    "ticket.returned",
    "sla.at_risk",
    "sla.breached",
    "alert.raised",
]
"""Decisions the helpdesk learns of through the outbox, and alerts on routing figures
(`alert.raised`, whose payload is the alert: `deskroute.models.alerts.AlertOut`)."""
