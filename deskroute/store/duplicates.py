"""The sender's open tickets that a new ticket may repeat (one indexed query)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, func
from sqlmodel import Session, col, or_, select

from deskroute.models.ticket import TicketView
from deskroute.store.senders import sender_tickets
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


_OPEN_OF_SENDER = sender_tickets(  # built once: this runs for every ticket
    [
        Ticket.id,
        Ticket.channel,
        Ticket.subject,
        func.substr(Ticket.body, 1, TEXT_CHARS).label("body"),
        func.substr(Ticket.raw_body, 1, TEXT_CHARS).label("raw_body"),
        Ticket.created_at,
    ],
    [
        col(Ticket.id) != bindparam("exclude"),
        or_(col(Ticket.status) == ROUTED[0], col(Ticket.status) == ROUTED[1]),
        col(Ticket.created_at) >= bindparam("since"),
        col(Ticket.created_at) <= bindparam("until"),
    ],
)


def open_tickets_of_sender(
    session: Session, *, ticket: TicketView, since: datetime
) -> list[Candidate]:
    """Routed tickets of the same customer (id or e-mail) created in the window before this
    one, newest first. Only routed tickets count: their owner is known, so a repeat can join it.
    """
    if not (ticket.customer_id or ticket.customer_email):
        return []
    rows = session.connection().execute(
        _OPEN_OF_SENDER,
        {
            "customer": ticket.customer_id,
            "email": ticket.customer_email,
            "exclude": ticket.id,
            "since": since,
            "until": ticket.created_at,
            "limit": MAX_CANDIDATES,
        },
    )
    return [Candidate(*row) for row in rows]


def raw_body_of(session: Session, *, ticket_id: str) -> str | None:
    """The ticket's text as received (quotes included: a forward's evidence is in them)."""
    return session.exec(
        select(func.substr(Ticket.raw_body, 1, TEXT_CHARS)).where(Ticket.id == ticket_id)
    ).first()
