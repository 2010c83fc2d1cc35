"""A store with agents and waiting tickets, and an assigner on a fixed clock."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from assign_worker import NOW
from helpers import view

from deskroute.assignment.agents import add_agent
from deskroute.assignment.service import Assigner
from deskroute.models.agents import AgentIn
from deskroute.policies import Policies
from deskroute.store.assignments import open_assignment
from deskroute.store.db import make_engine, transaction
from deskroute.store.tickets import insert_ticket

_numbers = itertools.count()


@pytest.fixture
def desk(tmp_path: Path, policies: Policies) -> Iterator[Assigner]:
    desk = Assigner(
        engine=make_engine(f"sqlite:///{tmp_path / 'store.db'}"),
        policies=policies,
        clock=lambda: NOW,
    )
    yield desk
    desk.engine.dispose()


def new_ticket(
    desk: Assigner,
    *,
    category: str = "billing",
    queue: str = "finance",
    language: str = "en",
    tier: str | None = "business",
    priority: str = "P3",
    vip: bool = False,
    at: Any = NOW,
) -> str:
    """A stored ticket waiting in its queue's pool, as routing leaves it."""
    ticket = view(desk.policies, body=f"ticket number {next(_numbers)}", customer_id="C-1001")
    with transaction(desk.engine) as session:
        insert_ticket(session, view=ticket, raw_body=ticket.body, meta={})
        open_assignment(
            session,
            ticket_id=ticket.id,
            queue=queue,
            category=category,
            language=language,
            tier=tier,
            priority=priority,
            vip=vip,
            reason="new",
            at=at,
        )
    return ticket.id


def new_agent(desk: Assigner, name: str, **fields: Any) -> None:
    values: dict[str, Any] = {"skills": ["finance"], "languages": ["en"], "capacity": 2}
    add_agent(desk, AgentIn(name=name, **{**values, **fields}), now=NOW)


@pytest.fixture
def ticket(desk: Assigner) -> Callable[..., str]:
    return lambda **fields: new_ticket(desk, **fields)


@pytest.fixture
def agent(desk: Assigner) -> Callable[..., None]:
    return lambda name, **fields: new_agent(desk, name, **fields)
