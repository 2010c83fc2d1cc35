"""Tickets with SLA clocks, made the way routing makes them: the ticket, then its outcome
saved under the SLA policy (without running the graph, so the clocks' start is ours)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import pytest
from helpers import view
from sqlalchemy import update

from deskroute.models.outcome import ClassifierInfo, OutcomeRecord
from deskroute.runtime import Workspace
from deskroute.store.db import transaction
from deskroute.store.outcomes import save_outcome
from deskroute.store.tables import Ticket
from deskroute.store.tickets import insert_ticket


def routed_ticket(
    ws: Workspace,
    *,
    received: datetime,
    customer_id: str | None = "C-1001",
    priority: str = "P2",
    duplicate_of: str | None = None,
) -> str:
    """A ticket received at `received` and routed to finance; its id."""
    ticket = view(ws.policies, body="I was charged twice this month", customer_id=customer_id)
    record = OutcomeRecord(
        ticket_id=ticket.id,
        category="billing",
        confidence=0.9,
        secondary_intents=[],
        classifier=ClassifierInfo(source="local", model_version="m"),
        prompt_version=None,
        path=["record"],
        specialist="billing",
        queue="finance",
        priority=priority,  # type: ignore[arg-type]
        escalated=False,
        escalation_reasons=[],
        response="hi",
        actions=[],
        timings_ms={},
        created_at=received,
        customer_id=customer_id,
        duplicate_of=duplicate_of,
    )
    with transaction(ws.engine) as session:
        insert_ticket(session, view=ticket, raw_body="", meta={})
        session.connection().execute(  # the moment it arrived, as the test wants it
            update(Ticket)
            .where(Ticket.id == ticket.id)  # type: ignore[arg-type]
            .values(received_at=received, created_at=received)
        )
        save_outcome(session, record=record, sla=ws.policies.sla, assignment=ws.policies.assignment)
    return ticket.id


@pytest.fixture
def make_ticket(workspace: Workspace) -> Callable[..., str]:
    """`routed_ticket` in the test's workspace."""
    return lambda **kw: routed_ticket(workspace, **kw)


@pytest.fixture
def route_into() -> Callable[..., str]:
    """`routed_ticket` for a workspace of the test's choosing."""
    return routed_ticket
