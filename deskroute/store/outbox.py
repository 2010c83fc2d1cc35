"""The one write path for outbox events: a decision's event is added in the decision's own
transaction, so it is delivered if and only if the decision stands."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlmodel import Session

from deskroute.models.ownership import EventKind
from deskroute.store.tables import OutboxEvent


def add_event(
    session: Session,
    *,
    kind: EventKind,
    ticket_id: str | None,
    payload: dict[str, Any],
    at: datetime,
) -> OutboxEvent:
    """Queue an event inside the caller's transaction; its key is the idempotency key every
    delivery of it carries."""
    event = OutboxEvent(
        key=f"evt_{uuid.uuid4().hex}",
        kind=kind,
        ticket_id=ticket_id,
        payload=payload,
        created_at=at,
    )
    session.add(event)
    return event
