"""The one write path for outbox events and their deliveries: a decision's event is added in
the decision's own transaction, so it is delivered if and only if the decision stands; a
delivery is claimed with a lease by a conditional UPDATE, so two dispatchers never send it at
once, and settled only under the lease that claimed it."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import or_, update
from sqlmodel import Session, col, select

from deskroute.models.ownership import EventKind
from deskroute.store.tables import OutboxDelivery, OutboxEvent

DeliveryState = Literal["pending", "delivered", "dead"]


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


def _unheld(now: datetime) -> Any:
    """No lease, or an expired one (its dispatcher died or gave up)."""
    return or_(col(OutboxDelivery.locked_until).is_(None), col(OutboxDelivery.locked_until) <= now)


def unfanned_events(session: Session, *, limit: int) -> list[OutboxEvent]:
    """Events whose deliveries do not exist yet, oldest first."""
    return list(
        session.exec(
            select(OutboxEvent)
            .where(col(OutboxEvent.fanned_out).is_(False))
            .order_by(col(OutboxEvent.id))
            .limit(limit)
        )
    )


def fan_out(session: Session, *, event_id: int, destinations: list[str], at: datetime) -> bool:
    """Mark the event fanned out and add one pending delivery per destination; False when
    another dispatcher did it first (the conditional UPDATE is the claim)."""
    claimed = session.exec(
        update(OutboxEvent)
        .where(col(OutboxEvent.id) == event_id, col(OutboxEvent.fanned_out).is_(False))
        .values(fanned_out=True)
    )
    if claimed.rowcount != 1:
        return False
    for name in destinations:
        session.add(
            OutboxDelivery(
                event_id=event_id,
                destination=name,
                state="pending",
                next_attempt_at=at,
                created_at=at,
            )
        )
    return True


def due_deliveries(
    session: Session, *, now: datetime, limit: int
) -> list[tuple[OutboxDelivery, OutboxEvent]]:
    """Pending deliveries whose time has come and that nobody holds, oldest due first."""
    rows = session.exec(
        select(OutboxDelivery, OutboxEvent)
        .join(OutboxEvent, col(OutboxEvent.id) == col(OutboxDelivery.event_id))
        .where(
            col(OutboxDelivery.state) == "pending",
            col(OutboxDelivery.next_attempt_at) <= now,
            _unheld(now),
        )
        .order_by(col(OutboxDelivery.next_attempt_at), col(OutboxDelivery.id))
        .limit(limit)
    )
    return [(delivery, event) for delivery, event in rows]


def claim_delivery(session: Session, *, delivery_id: int, now: datetime, until: datetime) -> bool:
    """Hold a due delivery until `until` (the lease, also the claim's token); False when it is
    no longer pending and due, or another dispatcher holds it."""
    result = session.exec(
        update(OutboxDelivery)
        .where(
            col(OutboxDelivery.id) == delivery_id,
            col(OutboxDelivery.state) == "pending",
            col(OutboxDelivery.next_attempt_at) <= now,
            _unheld(now),
        )
        .values(locked_until=until)
    )
    return result.rowcount == 1


def settle_attempt(
    session: Session,
    *,
    delivery_id: int,
    lease: datetime,
    state: DeliveryState,
    status: int | None,
    error: str | None,
    next_attempt_at: datetime | None,
    at: datetime,
) -> bool:
    """Record one attempt under the lease that claimed it: delivered, pending again (at
    `next_attempt_at`) or dead. False when the lease was lost (another dispatcher took over)."""
    values: dict[str, Any] = {
        "state": state,
        "attempts": OutboxDelivery.attempts + 1,
        "locked_until": None,
        "last_status": status,
        "last_error": error,
    }
    if state == "delivered":
        values["delivered_at"] = at
    if next_attempt_at is not None:
        values["next_attempt_at"] = next_attempt_at
    result = session.exec(
        update(OutboxDelivery)
        .where(col(OutboxDelivery.id) == delivery_id, col(OutboxDelivery.locked_until) == lease)
        .values(**values)
    )
    return result.rowcount == 1


def redrive(session: Session, *, delivery_ids: list[int] | None, at: datetime) -> list[int]:
    """Put dead deliveries (the given ones, or all when None) back to pending with no attempts
    counted, due now; returns the ids re-driven."""
    rows = select(OutboxDelivery.id).where(col(OutboxDelivery.state) == "dead")
    if delivery_ids is not None:
        rows = rows.where(col(OutboxDelivery.id).in_(delivery_ids))
    ids = [i for i in session.exec(rows) if i is not None]
    if ids:
        session.exec(
            update(OutboxDelivery)
            .where(col(OutboxDelivery.id).in_(ids), col(OutboxDelivery.state) == "dead")
            .values(
                state="pending",
                attempts=0,
                next_attempt_at=at,
                locked_until=None,
                created_at=at,
            )
        )
    return sorted(ids)


def list_deliveries(
    session: Session, *, state: DeliveryState | None, limit: int
) -> list[tuple[OutboxDelivery, OutboxEvent]]:
    """Deliveries newest first, with their events."""
    rows = select(OutboxDelivery, OutboxEvent).join(
        OutboxEvent, col(OutboxEvent.id) == col(OutboxDelivery.event_id)
    )
    if state is not None:
        rows = rows.where(col(OutboxDelivery.state) == state)
    return [
        (delivery, event)
        for delivery, event in session.exec(
            rows.order_by(col(OutboxDelivery.id).desc()).limit(limit)
        )
    ]


def deliveries_by_id(session: Session, *, ids: list[int]) -> dict[int, OutboxDelivery]:
    rows = session.exec(select(OutboxDelivery).where(col(OutboxDelivery.id).in_(ids)))
    return {d.id: d for d in rows if d.id is not None}
