"""The sender's open tickets that a new ticket may repeat (one indexed query)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, col, or_, select

from deskroute.models.ticket import TicketView
from deskroute.store.tables import Ticket

ROUTED = ("routed", "escalated")
MAX_CANDIDATES = 20
"""The newest open tickets compared; a customer with more open tickets in the window is rare."""
TEXT_CHARS = 4000
"""Enough text to recognise a repeat, bounded so that long threads stay cheap."""


@dataclass(frozen=True)
class Candidate:
    id: str
    channel: str
    subject: str
    body: str
    raw_body: str
    created_at: datetime


def open_tickets_of_sender(
    session: Session, *, ticket: TicketView, since: datetime
) -> list[Candidate]:
    """Routed tickets of the same customer (id or e-mail) created in the window before this
    one, newest first. Only routed tickets count: their owner is known, so a repeat can join it.
    """
    who = []
    if ticket.customer_id:
        who.append(Ticket.customer_id == ticket.customer_id)
    if ticket.customer_email:
        who.append(Ticket.customer_email == ticket.customer_email)
    if not who:
        return []
    query = (
        select(
            Ticket.id,
            Ticket.channel,
            Ticket.subject,
            func.substr(Ticket.body, 1, TEXT_CHARS),
            func.substr(Ticket.raw_body, 1, TEXT_CHARS),
            Ticket.created_at,
        )
        .where(
            or_(*who),
            Ticket.id != ticket.id,
            col(Ticket.status).in_(ROUTED),
            col(Ticket.created_at) >= since,
            col(Ticket.created_at) <= ticket.created_at,
        )
        .order_by(col(Ticket.created_at).desc())
        .limit(MAX_CANDIDATES)
    )
    return [Candidate(*row) for row in session.exec(query)]


def raw_body_of(session: Session, *, ticket_id: str) -> str | None:
    """The ticket's text as received (quotes included: a forward's evidence is in them)."""
    return session.exec(
        select(func.substr(Ticket.raw_body, 1, TEXT_CHARS)).where(Ticket.id == ticket_id)
    ).first()
