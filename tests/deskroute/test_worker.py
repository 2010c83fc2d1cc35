"""Background routing: a ticket is claimed by one worker, re-claimed only after its lease ran
out, and routed exactly once whatever happens to the workers."""

from __future__ import annotations

import pytest
from sqlmodel import Session, func, select

from deskroute.runtime import Workspace
from deskroute.service import submit_ticket
from deskroute.store.tables import Outcome, Ticket
from deskroute.worker import RoutingPool, RoutingWorker, claim_ticket, route_claimed


@pytest.fixture
def workspace(any_store_workspace: Workspace) -> Workspace:
    """Claims and leases are checked on each supported database."""
    return any_store_workspace


def _outcomes(ws: Workspace, ticket_id: str) -> int:
    with Session(ws.engine) as session:
        query = select(func.count()).select_from(Outcome).where(Outcome.ticket_id == ticket_id)
        return session.exec(query).one()


def _no_lease(ws: Workspace) -> Workspace:
    """The same store, seen by a worker for which every claim has lapsed."""
    settings = ws.settings.model_copy(update={"routing_lease_seconds": 1e-9})
    return Workspace(
        settings=settings,
        policies=ws.policies,
        engine=ws.engine,
        deps=ws.deps,
        graph=ws.graph,
        classifier_prompt=ws.classifier_prompt,
    )


def test_one_claim_wins_and_a_lapsed_claim_is_taken_over(workspace: Workspace) -> None:
    ticket = submit_ticket(workspace, {"body": "Export fails", "customer_id": "C-1002"}).ticket
    first = claim_ticket(workspace, ticket.id)
    assert first is not None and first.attempts == 1
    assert claim_ticket(workspace, ticket.id) is None  # held by the first worker
    second = claim_ticket(_no_lease(workspace), ticket.id)
    assert second is not None and second.attempts == 2  # the first worker "died"
    route_claimed(workspace, second)
    late = route_claimed(workspace, first)  # the slow first worker finishes after all
    assert late.ticket_id == ticket.id and _outcomes(workspace, ticket.id) == 1
    assert claim_ticket(_no_lease(workspace), ticket.id) is None  # routed: never again


def test_a_ticket_that_keeps_killing_workers_goes_to_triage(workspace: Workspace) -> None:
    ticket = submit_ticket(workspace, {"body": "Dashboards are slow", "customer_id": "C-1003"})
    stale = _no_lease(workspace)
    for _ in range(workspace.settings.max_routing_attempts + 1):
        claimed = claim_ticket(stale, ticket.ticket.id)
    assert claimed is not None
    outcome = route_claimed(workspace, claimed)
    assert outcome.escalation_reasons == ["internal_error"]
    assert "never finished" in outcome.escalation.reasons[0].detail  # type: ignore[union-attr]


def test_worker_routes_waiting_tickets_oldest_first(workspace: Workspace) -> None:
    ids = [
        submit_ticket(workspace, {"body": text, "customer_id": "C-1004"}).ticket.id
        for text in ("Please resend invoice INV-2026-0101", "How do I add a viewer?")
    ]
    worker = RoutingWorker(workspace)
    assert worker.route_one() and worker.route_one() and not worker.route_one()
    with Session(workspace.engine) as session:
        rows = [session.get(Ticket, i) for i in ids]
        assert all(r is not None and r.status in ("routed", "escalated") for r in rows)
    assert [_outcomes(workspace, i) for i in ids] == [1, 1]


def test_pool_routes_a_ticket_once_and_serves_again_after_close(workspace: Workspace) -> None:
    first, second = (
        submit_ticket(workspace, {"body": text, "customer_id": "C-1004"}).ticket.id
        for text in ("Please resend invoice INV-2026-0101", "How do I add a viewer?")
    )
    pool = RoutingPool(workspace)
    outcome = pool.route(first).result(timeout=60)
    assert outcome is not None and outcome.ticket_id == first
    assert pool.route(first).result(timeout=60) is None  # routed: nobody claims it again
    pool.close()  # one server's lifespan ended; the app may be served on
    again = pool.route(second).result(timeout=60)
    assert again is not None and again.ticket_id == second
    pool.close()
    assert [_outcomes(workspace, i) for i in (first, second)] == [1, 1]
