"""Background routing: every stored ticket is routed exactly once, even across crashes.

Workers (threads or processes, on one machine or several) claim a ticket with a conditional
status change (received -> routing) and route it. A claim whose lease ran out, because its
worker died, is claimed again. The outcome write closes routing conditionally too, so a slow
worker that lost its claim cannot add a second outcome.
"""

from __future__ import annotations

import logging
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session

from deskroute.errors import ConflictError, DeskRouteError
from deskroute.models.outcome import OutcomeRecord
from deskroute.models.ticket import TicketView
from deskroute.runtime import Workspace
from deskroute.service import record_failure, route_ticket
from deskroute.store import tickets as ticket_store
from deskroute.store.db import transaction
from deskroute.store.tables import Ticket
from deskroute.store.types import utcnow

log = logging.getLogger(__name__)

CLAIM_BATCH = 8
POOL_THREADS = 4
"""Tickets one process routes at once for waiting requests; more wait in line, unclaimed,
where any routing worker may take them."""


class RoutingAbandoned(DeskRouteError):
    """Routing started too often without finishing (each time its worker died)."""


@dataclass(frozen=True)
class Claimed:
    ticket: TicketView
    attempts: int
    """How often the ticket has been claimed, this claim included."""


def _lease(ws: Workspace) -> timedelta:
    return timedelta(seconds=ws.settings.routing_lease_seconds)


def claim_ticket(ws: Workspace, ticket_id: str) -> Claimed | None:
    """Claim this ticket for routing, or None if it is routed or another worker holds it."""
    with transaction(ws.engine) as session:
        if not ticket_store.claim(session, ticket_id=ticket_id, now=utcnow(), lease=_lease(ws)):
            return None
        row = session.get(Ticket, ticket_id)
        if row is None:  # the claim updated it in this very transaction
            raise LookupError(f"claimed ticket {ticket_id} vanished")
        return Claimed(ticket=ticket_store.view_of(row), attempts=row.attempts)


def claim_next(ws: Workspace) -> Claimed | None:
    """Claim the oldest ticket that waits for routing, if any."""
    with Session(ws.engine) as session:
        ids = ticket_store.claimable_ids(session, now=utcnow(), lease=_lease(ws), limit=CLAIM_BATCH)
    for ticket_id in ids:
        if (claimed := claim_ticket(ws, ticket_id)) is not None:
            return claimed
    return None


def route_claimed(ws: Workspace, claimed: Claimed) -> OutcomeRecord:
    """Route a claimed ticket; one that keeps killing its workers goes to triage unrouted."""
    if claimed.attempts > ws.settings.max_routing_attempts:
        problem = RoutingAbandoned(
            f"routing was started {claimed.attempts - 1} times and never finished"
        )
        return record_failure(ws, claimed.ticket, problem)
    return route_ticket(ws, claimed.ticket)


def route_now(ws: Workspace, ticket_id: str) -> OutcomeRecord | None:
    """Route this ticket in the caller's thread if no worker has it; None if one has."""
    claimed = claim_ticket(ws, ticket_id)
    return route_claimed(ws, claimed) if claimed is not None else None


class RoutingPool:
    """Threads that route the tickets a request waits for (`?wait=`), so that the request can
    answer at its deadline however long routing takes while the run goes on to store the
    outcome. A ticket is claimed first, as by any worker, so it is routed exactly once."""

    def __init__(self, ws: Workspace, threads: int = POOL_THREADS) -> None:
        self.ws = ws
        self.threads = threads
        self._lock = threading.Lock()
        self._pool: ThreadPoolExecutor | None = None

    def route(self, ticket_id: str) -> Future[OutcomeRecord | None]:
        """The outcome, or None when another worker holds the ticket or routed it."""
        with self._lock:
            if self._pool is None:  # threads start on first use
                self._pool = ThreadPoolExecutor(self.threads, thread_name_prefix="deskroute-wait")
            return self._pool.submit(self._route, ticket_id)

    def _route(self, ticket_id: str) -> OutcomeRecord | None:
        try:
            return route_now(self.ws, ticket_id)
        except Exception:
            # The request may have answered already: say it here, then to a waiting one.
            log.exception("routing ticket %s failed; retried when its claim lapses", ticket_id)
            raise

    def close(self) -> None:
        """Runs under way finish; tickets still queued here stay `received` for the workers.
        A later `route` starts fresh threads (an app may outlive one server's lifespan)."""
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)


class RoutingWorker:
    """A loop that routes waiting tickets until stopped; `wake()` shortens the wait after a
    submit in the same process, other processes' tickets are found by polling."""

    def __init__(self, ws: Workspace) -> None:
        self.ws = ws
        self._wake = threading.Event()

    def wake(self) -> None:
        self._wake.set()

    def run(self, stop: threading.Event) -> None:
        poll = self.ws.settings.routing_poll_seconds
        while not stop.is_set():
            if not self.route_one():
                self._wake.wait(poll)
                self._wake.clear()

    def route_one(self) -> bool:
        """Route one waiting ticket; False if there was none (or the store is unreachable)."""
        try:
            claimed = claim_next(self.ws)
        except SQLAlchemyError:
            log.exception("cannot claim tickets; retrying after the poll interval")
            return False
        if claimed is None:
            return False
        try:
            route_claimed(self.ws, claimed)
        except ConflictError:
            log.info("ticket %s was routed by another worker", claimed.ticket.id)
        except Exception:  # noqa: BLE001 - the claim lapses and another attempt routes it
            log.exception(
                "routing ticket %s failed; it is retried when its claim lapses", claimed.ticket.id
            )
        return True
