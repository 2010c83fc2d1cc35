"""What `deskroute outbox list|retry` shows and does: deliveries with their state, and the
re-drive of dead ones."""

from __future__ import annotations

import logging
from datetime import datetime

from pydantic import BaseModel
from sqlalchemy import Engine
from sqlmodel import Session

from deskroute.errors import BadInputError, NotFoundError
from deskroute.store import outbox as store
from deskroute.store.db import transaction
from deskroute.store.outbox import DeliveryState

log = logging.getLogger(__name__)


class DeliveryRow(BaseModel):
    id: int
    event: str
    """The event's key: the Idempotency-Key its receivers saw."""
    kind: str
    ticket_id: str | None
    destination: str
    state: str
    attempts: int
    last_status: int | None
    last_error: str | None
    next_attempt_at: datetime | None
    """When it is tried next (pending only)."""
    delivered_at: datetime | None


def list_deliveries(
    engine: Engine, *, state: DeliveryState | None, limit: int
) -> list[DeliveryRow]:
    """Deliveries newest first, optionally of one state."""
    if not 1 <= limit <= 1000:
        raise BadInputError("must be from 1 to 1000", field="--limit")
    with Session(engine) as session:
        rows = store.list_deliveries(session, state=state, limit=limit)
    return [
        DeliveryRow(
            id=delivery.id or 0,
            event=event.key,
            kind=event.kind,
            ticket_id=event.ticket_id,
            destination=delivery.destination,
            state=delivery.state,
            attempts=delivery.attempts,
            last_status=delivery.last_status,
            last_error=delivery.last_error,
            next_attempt_at=delivery.next_attempt_at if delivery.state == "pending" else None,
            delivered_at=delivery.delivered_at,
        )
        for delivery, event in rows
    ]


def retry_deliveries(engine: Engine, *, ids: list[int] | None, now: datetime) -> list[int]:
    """Re-drive dead deliveries (these ids, or every dead one when None): pending again, due
    now, attempts counted from zero. An unknown id, or one that is not dead, is refused."""
    with transaction(engine) as session:
        if ids is not None:
            if not ids:
                raise BadInputError("name delivery ids, or use --all-dead", field="ID")
            found = store.deliveries_by_id(session, ids=ids)
            for delivery_id in ids:
                delivery = found.get(delivery_id)
                if delivery is None:
                    raise NotFoundError(f"no delivery {delivery_id}")
                if delivery.state != "dead":
                    raise BadInputError(
                        f"delivery {delivery_id} is {delivery.state}, not dead", field="ID"
                    )
        redriven = store.redrive(session, delivery_ids=ids, at=now)
    if redriven:
        log.info("outbox: re-driven deliveries %s", ", ".join(map(str, redriven)))
    return redriven
