"""Finding an open ticket that a new one repeats."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, or_, select

from deskroute.models.ticket import TicketView
from deskroute.store.tables import Ticket

ROUTED = ("routed", "escalated")


def find_exact_duplicate(session: Session, *, ticket: TicketView, since: datetime) -> str | None:
    """The oldest routed, open ticket of the same sender with the same normalised text.

    Only routed tickets count: their owner is known, so the repeat can join it."""
    who = []
    if ticket.customer_id:
        who.append(Ticket.customer_id == ticket.customer_id)
    if ticket.customer_email:
        who.append(Ticket.customer_email == ticket.customer_email)
    if not who:
        return None
    query = (
        select(Ticket.id)
        .where(
            or_(*who),
            Ticket.id != ticket.id,
            col(Ticket.status).in_(ROUTED),
            Ticket.subject == ticket.subject,
            Ticket.body == ticket.body,
            col(Ticket.created_at) >= since,
            col(Ticket.created_at) <= ticket.created_at,
        )
        .order_by(col(Ticket.created_at))
        .limit(1)
    )
    return session.exec(query).first()
