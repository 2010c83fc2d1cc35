"""The answer to a submit: wake the router, or wait for the outcome; `202` or `200`."""

from __future__ import annotations

import time

from fastapi import Request, Response

from deskroute.api.schemas import TicketAccepted
from deskroute.models.outcome import OutcomeRecord
from deskroute.models.ticket import TicketStatus
from deskroute.runtime import Workspace
from deskroute.service import Attached, Submitted, find_outcome, ticket_status
from deskroute.worker import RoutingWorker, route_now

POLL_S = 0.05


def wait_for_outcome(ws: Workspace, ticket_id: str, seconds: float) -> OutcomeRecord | None:
    """Route the ticket here if no worker has it yet; otherwise watch for its outcome."""
    deadline = time.monotonic() + seconds
    outcome = route_now(ws, ticket_id)
    while outcome is None:
        outcome = find_outcome(ws, ticket_id)
        if outcome is not None or time.monotonic() >= deadline:
            break
        time.sleep(POLL_S)
    return outcome


def accept(
    request: Request, response: Response, ws: Workspace, done: Submitted | Attached, wait: float
) -> TicketAccepted:
    ticket_id = done.ticket.id
    attached = isinstance(done, Attached)
    new_ticket = done.created and not attached
    outcome = wait_for_outcome(ws, ticket_id, wait) if wait > 0 and not attached else None
    worker: RoutingWorker | None = request.app.state.worker
    if new_ticket and outcome is None and worker is not None:
        worker.wake()
    status: TicketStatus
    if outcome is not None:
        status = "escalated" if outcome.escalated else "routed"
    elif new_ticket:
        status = "received"
    else:
        status = ticket_status(ws, ticket_id)
    response.status_code = 202 if new_ticket and outcome is None else 200
    return TicketAccepted(
        ticket_id=ticket_id,
        status=status,
        status_url=f"{str(request.base_url).rstrip('/')}/v1/tickets/{ticket_id}",
        created=new_ticket,
        attached=attached,
        outcome=outcome,
    )
