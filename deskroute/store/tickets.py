"""The one write path for tickets: insert on intake, one status transition when routed."""

from __future__ import annotations

from typing import Any

from sqlalchemy import insert, update
from sqlmodel import Session, select

from deskroute.models.ticket import TicketView
from deskroute.store.tables import Ticket
from deskroute.store.types import utcnow

OPEN_STATUSES = ("received",)


def insert_ticket(
    session: Session, *, view: TicketView, raw_body: str, meta: dict[str, Any]
) -> None:
    session.execute(
        insert(Ticket).values(
            id=view.id,
            external_id=view.external_id,
            source=view.source,
            channel=view.channel.value,
            subject=view.subject,
            body=view.body,
            raw_body=raw_body,
            customer_id=view.customer_id,
            customer_email=view.customer_email,
            language=view.language,
            language_source=view.language_source,
            status="received",
            created_at=view.created_at,
            received_at=utcnow(),
            meta=meta,
        )
    )


def find_by_external_id(session: Session, *, source: str | None, external_id: str) -> Ticket | None:
    query = select(Ticket).where(Ticket.external_id == external_id)
    query = query.where(Ticket.source == source) if source else query.where(Ticket.source.is_(None))  # type: ignore[union-attr]
    return session.exec(query).first()


def close_routing(session: Session, *, ticket_id: str, status: str, category: str | None) -> bool:
    """Move a received ticket to routed/escalated; False if another run already did."""
    result = session.exec(  # type: ignore[call-overload]
        update(Ticket)
        .where(Ticket.id == ticket_id, Ticket.status.in_(OPEN_STATUSES))  # type: ignore[attr-defined]
        .values(status=status, category=category)
    )
    return bool(result.rowcount)


def view_of(row: Ticket) -> TicketView:
    """The workflow's view of a stored ticket (used when re-routing a pending one)."""
    return TicketView(
        id=row.id,
        channel=row.channel,  # type: ignore[arg-type]
        subject=row.subject,
        body=row.body,
        customer_id=row.customer_id,
        customer_email=row.customer_email,
        language=row.language,
        language_source=row.language_source,  # type: ignore[arg-type]
        external_id=row.external_id,
        source=row.source,
        created_at=row.created_at,
    )
