"""The answer to a submit: wake the router, or wait for the outcome; `202` or `200`.

A request never routes in its own thread: with `?wait=` it hands the ticket to the app's
routing pool and answers by its deadline, whether or not routing has finished by then.
"""

from __future__ import annotations

import time

from fastapi import Request, Response

from deskroute.api.schemas import TicketAccepted
from deskroute.models.outcome import OutcomeRecord
from deskroute.models.ticket import TicketStatus
from deskroute.runtime import Workspace
from deskroute.service import Attached, Submitted, find_outcome, ticket_status
from deskroute.worker import RoutingPool, RoutingWorker

POLL_S = 0.05


def wait_for_outcome(
    ws: Workspace, pool: RoutingPool, ticket_id: str, seconds: float
) -> OutcomeRecord | None:
    """The outcome if routing ends within `seconds`, else None (routing goes on). The pool
    routes the ticket unless another worker holds it; then the store is watched."""
    deadline = time.monotonic() + seconds
    try:
        outcome = pool.route(ticket_id).result(timeout=seconds)
    except TimeoutError:
        return None
    while outcome is None:
        outcome = find_outcome(ws, ticket_id)
        left = deadline - time.monotonic()
        if outcome is not None or left <= 0:
            break
        time.sleep(min(POLL_S, left))
    return outcome


def accept(
    request: Request, response: Response, ws: Workspace, done: Submitted | Attached, wait: float
) -> TicketAccepted:
    ticket_id = done.ticket.id
    attached = isinstance(done, Attached)
    new_ticket = done.created and not attached
    waits = wait > 0 and not attached
    pool: RoutingPool = request.app.state.routing_pool
    outcome = wait_for_outcome(ws, pool, ticket_id, wait) if waits else None
    worker: RoutingWorker | None = request.app.state.worker
    if new_ticket and outcome is None and worker is not None:
        worker.wake()
    status: TicketStatus
    if outcome is not None:
        status = "escalated" if outcome.escalated else "routed"
    elif new_ticket and not waits:
        status = "received"  # just stored: no read needed
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
