"""Agents at the boundaries: what a caller sends to add or change one, and what it reads back."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from deskroute.models.context import Tier
from deskroute.models.ownership import AgentStatus

AgentName = Annotated[
    str, StringConstraints(strip_whitespace=True, pattern=r"^[A-Za-z0-9][A-Za-z0-9._@ -]{0,63}$")
]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]


class AgentIn(BaseModel):
    """A new agent. `skills`: categories or queues; `hours`: e.g. `mon-fri 09:00-17:00` in
    `timezone` (empty: any time); `lead_of`: queues whose SLA breaches go to them."""

    model_config = ConfigDict(extra="forbid")

    name: AgentName
    skills: list[Name] = Field(min_length=1)
    languages: list[Name] = Field(min_length=1)
    tiers: list[Tier] = Field(default_factory=lambda: ["standard", "business", "enterprise"])  # type: ignore[arg-type]
    capacity: int = Field(ge=1, le=1000)
    status: AgentStatus = "online"
    timezone: Name = "UTC"
    hours: str = Field(default="", max_length=100)
    lead_of: list[Name] = Field(default_factory=list)
    email: str | None = Field(default=None, max_length=200)


class AgentChange(BaseModel):
    """Fields to change on an agent; those left out (or null) stay as they are."""

    model_config = ConfigDict(extra="forbid")

    skills: list[Name] | None = Field(default=None, min_length=1)
    languages: list[Name] | None = Field(default=None, min_length=1)
    tiers: list[Tier] | None = None
    capacity: int | None = Field(default=None, ge=1, le=1000)
    status: AgentStatus | None = None
    timezone: Name | None = None
    hours: str | None = Field(default=None, max_length=100)
    lead_of: list[Name] | None = None
    email: str | None = Field(default=None, max_length=200)


class AgentView(BaseModel):
    """An agent as listed: profile, where they stand now, and their open tickets."""

    name: str
    status: AgentStatus
    skills: list[str]
    languages: list[str]
    tiers: list[str]
    capacity: int
    open_tickets: int
    load: int
    """Open tickets weighted by priority (policies/assignment.yaml `load_weights`)."""
    timezone: str
    hours: str
    working_now: bool
    lead_of: list[str]
    email: str | None
    last_assigned_at: datetime | None
    status_changed_at: datetime
