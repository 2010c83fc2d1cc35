"""A ticket's SLA clocks as they stand (`deskroute sla show`)."""

from __future__ import annotations

from sqlmodel import Session

from deskroute.errors import NotFoundError
from deskroute.models.ownership import SlaInfo
from deskroute.runtime import Workspace
from deskroute.sla.clocks import info_of
from deskroute.store import sla as sla_store
from deskroute.store.tables import Ticket


def ticket_sla(ws: Workspace, ticket_id: str) -> SlaInfo | None:
    """The ticket's clocks; None while it is routed, or when it repeats an open ticket."""
    with Session(ws.engine) as session:
        clock = sla_store.clocks_of(session, ticket_ids=[ticket_id]).get(ticket_id)
        if clock is None and session.get(Ticket, ticket_id) is None:
            raise NotFoundError(f"no ticket {ticket_id!r}")
    return info_of(clock) if clock is not None else None
