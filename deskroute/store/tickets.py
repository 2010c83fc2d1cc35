"""The one write path for tickets: insert on intake, a claim by one routing worker, one
status transition when routed, and the notes reviewers add later."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, bindparam, insert, literal, or_, update
from sqlmodel import Session, col, select

from deskroute.models.ticket import (
    NOTES_KEY,
    OPEN_STATUSES,
    Channel,
    FinalStatus,
    OpenStatus,
    TicketStatus,
    TicketView,
)
from deskroute.store.tables import Ticket
from deskroute.store.types import utcnow

RECEIVED: OpenStatus = "received"
ROUTING: OpenStatus = "routing"

_INSERT = insert(Ticket)  # built once: intake is the hot path


def insert_ticket(
    session: Session,
    *,
    view: TicketView,
    raw_body: str,
    meta: dict[str, Any],
    idempotency_key: str | None = None,
    received_at: datetime | None = None,
) -> None:
    """`received_at`: the workspace's clock (default: now), where SLA clocks start."""
    # Core statements on the session's connection: the ORM's bulk paths cost 3x per write.
    session.connection().execute(
        _INSERT,
        {
            "id": view.id,
            "external_id": view.external_id,
            "source": view.source,
            "channel": view.channel.value,
            "subject": view.subject,
            "body": view.body,
            "raw_body": raw_body,
            "customer_id": view.customer_id,
            "customer_email": view.customer_email,
            "language": view.language,
            "language_source": view.language_source,
            "status": RECEIVED,
            "created_at": view.created_at,
            "received_at": received_at or utcnow(),
            "meta": meta,
            "idempotency_key": idempotency_key,
            "claimed_at": None,
            "attempts": 0,
        },
    )


def find_by_external_id(session: Session, *, source: str | None, external_id: str) -> Ticket | None:
    query = select(Ticket).where(Ticket.external_id == external_id)
    source_is = col(Ticket.source) == source if source else col(Ticket.source).is_(None)
    query = query.where(source_is)
    return session.exec(query).first()


def find_by_idempotency_key(session: Session, *, key: str) -> Ticket | None:
    return session.exec(select(Ticket).where(Ticket.idempotency_key == key)).first()


def _claimable(now: datetime, lease: timedelta) -> Any:
    """Received, or claimed by a worker whose lease ran out (it died or hung)."""
    return or_(
        col(Ticket.status) == RECEIVED,
        and_(col(Ticket.status) == ROUTING, col(Ticket.claimed_at) < now - lease),
    )


def claimable_ids(session: Session, *, now: datetime, lease: timedelta, limit: int) -> list[str]:
    """Oldest tickets waiting for a routing worker (ids are time-ordered)."""
    query = select(Ticket.id).where(_claimable(now, lease)).order_by(col(Ticket.id)).limit(limit)
    return list(session.exec(query))


def claim(session: Session, *, ticket_id: str, now: datetime, lease: timedelta) -> bool:
    """Take the ticket for routing; False if another worker holds or finished it."""
    result = session.exec(
        update(Ticket)
        .where(col(Ticket.id) == ticket_id, _claimable(now, lease))
        .values(status=ROUTING, claimed_at=now, attempts=Ticket.attempts + 1)
    )
    return bool(result.rowcount)


_CLOSE = (
    update(Ticket)
    .where(
        col(Ticket.id) == bindparam("ticket"),
        # One bound value per status: a plain IN list is an "expanding" parameter, rendered
        # anew on every execution.
        col(Ticket.status).in_([literal(status) for status in OPEN_STATUSES]),
    )
    .values(status=bindparam("new_status"), category=bindparam("new_category"))
)


def close_routing(
    session: Session,
    *,
    ticket_id: str,
    status: FinalStatus,
    category: str | None,
) -> bool:
    """Move a received or claimed ticket to routed/escalated; False if a run already did."""
    result = session.connection().execute(
        _CLOSE, {"ticket": ticket_id, "new_status": status, "new_category": category}
    )
    return bool(result.rowcount)


def set_reviewed(
    session: Session, *, ticket_id: str, status: TicketStatus, category: str | None
) -> None:
    """The status a review leaves an escalated ticket in (escalated again, or resolved)."""
    session.connection().execute(
        update(Ticket).where(col(Ticket.id) == ticket_id).values(status=status, category=category)
    )


def status_of(session: Session, *, ticket_id: str) -> TicketStatus | None:
    row = session.get(Ticket, ticket_id)
    return row.status if row is not None else None


def view_of(row: Ticket) -> TicketView:
    """The workflow's view of a stored ticket (used when re-routing a pending one)."""
    return TicketView(
        id=row.id,
        channel=Channel(row.channel),
        subject=row.subject,
        body=row.body,
        customer_id=row.customer_id,
        customer_email=row.customer_email,
        language=row.language,
        language_source=row.language_source,
        external_id=row.external_id,
        source=row.source,
        created_at=row.created_at,
        notes=notes_of(row.meta),
    )


def add_note(session: Session, *, ticket_id: str, note: str) -> None:
    """Append to the ticket's notes (the `notes` of `GET /v1/tickets/{id}`)."""
    row = session.get(Ticket, ticket_id)
    if row is None:
        raise ValueError(f"no ticket {ticket_id!r}")
    row.meta = {**row.meta, NOTES_KEY: [*notes_of(row.meta), note]}
    session.add(row)


def notes_of(meta: dict[str, Any]) -> list[str]:
    """Intake's notes on a stored ticket or message (kept in its metadata)."""
    return [str(note) for note in meta.get(NOTES_KEY, [])]
