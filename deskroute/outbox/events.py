"""The payload of routing and review decisions (`ticket.routed`, `ticket.escalated`,
`ticket.resolved`), compact enough for a webhook and complete enough to act on.

Payload keys (schema 1): `schema`, `ticket_id`, `external_id` and `source` (the helpdesk's own
id, when the ticket came with one), `state`, `category`, `confidence`, `queue`, `priority`,
`escalated`, `reasons` and `reason_details`, `specialist`, `language`, `customer` (`id`,
`tier`, `name`), `sentiment`, `urgency`, `response` (the reply sent, in full), `draft_reply`
(the reviewer's draft on an escalation), `actions` (tool, status, args, reason),
`duplicate_of`, `review` (the last decision: reviewer, action, reason, decided_at) and
`created_at`. Events of other kinds carry their own payloads; rules and Slack messages read
the keys above where an event has them.
"""

from __future__ import annotations

from typing import Any

from deskroute.models.outcome import OutcomeRecord
from deskroute.models.ownership import EventKind

PAYLOAD_SCHEMA = 1


def decision_kind(record: OutcomeRecord) -> EventKind:
    """A reviewed outcome that is settled is `ticket.resolved`; one that is (again) waiting
    for a person is `ticket.escalated`; anything else `ticket.routed`."""
    if record.review is not None and record.state == "resolved":
        return "ticket.resolved"
    return "ticket.escalated" if record.state == "awaiting_review" else "ticket.routed"


def decision_payload(
    record: OutcomeRecord,
    *,
    tier: str | None,
    external_id: str | None,
    source: str | None,
) -> dict[str, Any]:
    """The event payload of an outcome record (JSON-ready)."""
    package = record.escalation
    customer = package.customer if package is not None else None
    signals = record.signals
    last = record.review.last if record.review is not None and record.review.decisions else None
    return {
        "schema": PAYLOAD_SCHEMA,
        "ticket_id": record.ticket_id,
        "external_id": external_id,
        "source": source,
        "state": record.state,
        "category": record.category,
        "confidence": record.confidence,
        "queue": record.queue,
        "priority": record.priority,
        "escalated": record.escalated,
        "reasons": list(record.escalation_reasons),
        "reason_details": [r.model_dump(mode="json") for r in package.reasons]
        if package is not None
        else [],
        "specialist": record.specialist,
        "language": record.language,
        "customer": {
            "id": record.customer_id,
            "tier": tier or (customer.tier if customer is not None else None),
            "name": customer.name if customer is not None else None,
        },
        "sentiment": signals.sentiment if signals is not None else None,
        "urgency": signals.urgency if signals is not None else None,
        "response": record.response,
        "draft_reply": package.draft_reply if package is not None else None,
        "actions": [
            a.model_dump(mode="json", include={"tool", "status", "args", "reason"})
            for a in record.actions
            if a.kind == "write" or a.status != "executed"
        ],
        "duplicate_of": record.duplicate_of,
        "review": {
            "reviewer": last.reviewer,
            "action": last.action,
            "reason": last.reason,
            "decided_at": last.decided_at.isoformat(),
        }
        if last is not None
        else None,
        "created_at": record.created_at.isoformat(),
    }
