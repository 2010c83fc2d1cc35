"""An alert as the CLI, the API, the dashboard and the outbox show it."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel


class AlertOut(BaseModel):
    """One incident a rule of `policies/alerts.yaml` found."""

    id: int
    rule: str
    key: str
    """The category the rule found it in, or `all`."""
    kind: Literal["volume", "rate", "level"]
    signal: str
    """tickets, escalated, reassigned, corrected, llm_failed, dead_letters, waiting_per_agent."""
    title: str
    summary: str
    """One sentence with the figures, e.g. `42 outage tickets in the last 30 min; 3.1 expected`."""
    observed: float
    expected: float | None
    p_value: float | None
    raised_at: datetime
    last_seen_at: datetime
    """The last check at which its condition still held."""
    details: dict[str, Any]
