"""What rules and Slack messages need to know about an event's ticket: from the event's
payload, completed from the ticket's latest outcome when the payload lacks it (events that
assignment and SLA clocks write carry less than routing decisions)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel
from sqlmodel import Session

from deskroute.store.outcomes import latest_outcome
from deskroute.store.tables import Customer, OutboxEvent


class Facts(BaseModel):
    category: str | None = None
    queue: str | None = None
    priority: str | None = None
    reasons: list[str] = []
    tier: str | None = None
    customer_id: str | None = None
    customer_name: str | None = None
    sentiment: str | None = None
    escalated: bool | None = None


def _from_payload(payload: dict[str, Any]) -> Facts:
    raw = payload.get("customer")
    customer: dict[str, Any] = raw if isinstance(raw, dict) else {}
    return Facts(
        category=payload.get("category"),
        queue=payload.get("queue"),
        priority=payload.get("priority"),
        reasons=list(payload.get("reasons") or []),
        tier=customer.get("tier") or payload.get("tier"),
        customer_id=customer.get("id") or payload.get("customer_id"),
        customer_name=customer.get("name"),
        sentiment=payload.get("sentiment"),
        escalated=payload.get("escalated"),
    )


def facts_of(session: Session, event: OutboxEvent) -> Facts:
    facts = _from_payload(event.payload)
    if facts.category is None and event.ticket_id is not None:
        record = latest_outcome(session, ticket_id=event.ticket_id)
        if record is not None:
            facts = facts.model_copy(
                update={
                    "category": record.category,
                    "queue": facts.queue or record.queue,
                    "priority": facts.priority or record.priority,
                    "reasons": facts.reasons or list(record.escalation_reasons),
                    "customer_id": facts.customer_id or record.customer_id,
                    "sentiment": facts.sentiment
                    or (record.signals.sentiment if record.signals else None),
                    "escalated": record.escalated if facts.escalated is None else facts.escalated,
                }
            )
    if facts.customer_id is not None and (facts.tier is None or facts.customer_name is None):
        customer = session.get(Customer, facts.customer_id)
        if customer is not None:
            facts = facts.model_copy(
                update={
                    "tier": facts.tier or customer.tier,
                    "customer_name": facts.customer_name or customer.name,
                }
            )
    return facts
