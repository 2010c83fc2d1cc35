"""The review queue and an escalation as the CLI, the API and the review page show them."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from deskroute.models.outcome import OutcomeRecord
from deskroute.models.times import UtcDatetime
from deskroute.review.learning import ScoredItem


class EscalationSummary(BaseModel):
    """One ticket in the review queue."""

    ticket_id: str
    state: str
    queue: str
    category: str | None
    priority: str
    reasons: list[str]
    primary_reason: str
    escalated_at: UtcDatetime
    waiting_minutes: int
    subject: str = Field(description="The ticket's subject, or the start of its body.")
    customer_id: str | None
    opened_by: str | None = Field(description="Who has it open (a soft lock), if anyone.")
    opened_until: UtcDatetime | None
    resolved_by: str | None = None
    resolved_at: UtcDatetime | None = None
    resolution: str | None = None
    learning: ScoredItem | None = Field(
        default=None, description="Its place in the learning order, and why (order=learning)."
    )


class EscalationPage(BaseModel):
    """A page of the queue, sorted by priority, then oldest first (or in the learning order),
    with counts per reason and per queue over every escalation in the same state."""

    items: list[EscalationSummary]
    count: int = Field(description="Escalations matching the filters, on all pages.")
    limit: int
    offset: int
    by_reason: dict[str, int]
    by_queue: dict[str, int]
    next_url: str | None = None


class MessageView(BaseModel):
    sender: str | None
    subject: str
    body: str
    received_at: UtcDatetime


class EscalationDetail(BaseModel):
    """Everything a reviewer needs: the queue entry, the ticket and its thread, the outcome
    awaiting review (its escalation package: customer, classification, rule hits, path,
    proposed actions, draft, reasons) and every earlier outcome of the ticket."""

    summary: EscalationSummary
    body: str
    channel: str
    customer_email: str | None
    messages: list[MessageView]
    outcome: OutcomeRecord
    history: list[OutcomeRecord] = Field(description="Every outcome of the ticket, oldest first.")
    awaiting_since: datetime | None = None
