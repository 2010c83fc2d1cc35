"""Customer context and urgency signals gathered by enrichment."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

Tier = Literal["standard", "business", "enterprise"]
Urgency = Literal["low", "normal", "high", "critical"]
RaisedUrgency = Literal["normal", "high", "critical"]
"""The levels a signal score can lift a ticket to (`urgency_scores` in signals.yaml)."""
Sentiment = Literal["negative", "neutral", "positive"]


class RecentTicket(BaseModel):
    id: str
    subject: str
    status: str
    category: str | None
    created_at: datetime


SenderMatch = Literal["contact", "domain"]
"""How a sender was matched to a customer: as its contact (by customer id or the contact's
e-mail), or as a colleague writing from the contact's e-mail domain."""


class CustomerContext(BaseModel):
    """What the store knows about the sender; `known=False` for unknown senders.

    A colleague (`match="domain"`) gets the customer's account, tier and plan, but not its
    contact's name or address: `contact_name` is None and `email` is the sender's own."""

    known: bool
    match: SenderMatch | None = None
    customer_id: str | None = None
    name: str | None = None
    contact_name: str | None = None
    email: str | None = None
    tier: Tier | None = None
    plan: str | None = None
    account_value: int | None = None
    status: str | None = None
    language: str | None = None
    timezone: str | None = None
    subscription_status: str | None = None
    open_tickets: int = 0
    recent_tickets: list[RecentTicket] = Field(default_factory=list)


class SignalHit(BaseModel):
    signal: str
    evidence: str


class Signals(BaseModel):
    """Urgency and sentiment read from the text and the contact history."""

    urgency: Urgency
    score: int
    sentiment: Sentiment
    hits: list[SignalHit] = Field(default_factory=list)
