"""The one write path for a ticket's later messages (e-mail replies), and thread look-ups."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import insert
from sqlmodel import Session, col, select

from deskroute.store.tables import Ticket, TicketMessage


def thread_ticket_id(session: Session, *, source: str | None, message_ids: list[str]) -> str | None:
    """The ticket a thread belongs to: one whose first message, or a later one, has one of
    these Message-IDs (from the same source)."""
    if not message_ids:
        return None
    started = session.exec(
        select(Ticket.id)
        .where(Ticket.source == source, col(Ticket.external_id).in_(message_ids))
        .order_by(col(Ticket.id))
        .limit(1)
    ).first()
    if started is not None:
        return started
    return session.exec(
        select(TicketMessage.ticket_id)
        .where(TicketMessage.source == source, col(TicketMessage.message_id).in_(message_ids))
        .limit(1)
    ).first()


def find_message(session: Session, *, source: str | None, message_id: str) -> TicketMessage | None:
    source_is = (
        col(TicketMessage.source) == source if source else col(TicketMessage.source).is_(None)
    )
    return session.exec(
        select(TicketMessage).where(source_is, TicketMessage.message_id == message_id)
    ).first()


def add_message(
    session: Session,
    *,
    ticket_id: str,
    source: str | None,
    message_id: str | None,
    sender: str | None,
    subject: str,
    body: str,
    received_at: datetime,
    meta: dict[str, Any],
) -> int:
    """Append a message to a ticket's thread; (source, message_id) is unique."""
    return int(
        session.execute(
            insert(TicketMessage)
            .values(
                ticket_id=ticket_id,
                source=source,
                message_id=message_id,
                sender=sender,
                subject=subject,
                body=body,
                received_at=received_at,
                meta=meta,
            )
            .returning(col(TicketMessage.id))
        ).scalar_one()
    )


def list_messages(session: Session, *, ticket_id: str) -> list[TicketMessage]:
    query = (
        select(TicketMessage)
        .where(TicketMessage.ticket_id == ticket_id)
        .order_by(col(TicketMessage.id))
    )
    return list(session.exec(query))
