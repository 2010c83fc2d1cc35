"""Every call the simulation makes into DeskRoute, in one place: the real store write paths and
services, each given the simulated time.

A ticket enters as the routing graph would leave it: stored by `submit_ticket` (its arrival as
`created_at`), then its outcome written by `save_outcome` in one transaction, routed to its
category's queue with its priority. The graph itself is not run: it takes ~28 ms a ticket
(`deskroute bench`: 35 tickets/s), and it would choose the category and priority from the
text, where the day's mix must come from the ServiceNow log and the stated distributions.
"""

from __future__ import annotations

import os
import sys
import uuid
from collections import defaultdict
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import Integer, cast, create_engine, make_url, text
from sqlmodel import Session, col, func, select

from bench._workday.stream import SimTicket
from bench._workday.world import AgentSpec
from deskroute.models.outcome import ClassifierInfo, OutcomeRecord
from deskroute.policies import load_policies
from deskroute.runtime import Workspace, open_workspace
from deskroute.service import Submitted, submit_ticket
from deskroute.settings import Settings
from deskroute.store.db import transaction
from deskroute.store.outcomes import save_outcome
from deskroute.store.tables import Agent, Assignment, Customer, SlaClock

SOURCE = "workday"
__all__ = ["Workspace"]


@dataclass
class Snapshot:
    """The store at one step of the day."""

    at: datetime
    waiting: int
    """In the pool, waiting for an agent."""
    assigned: int
    """Assigned, not started (no first response yet)."""
    started: int
    over_capacity: list[tuple[str, int, int, bool]]
    """(agent, open tickets, capacity, holds a VIP ticket) for every agent over capacity."""


def open_desk(folder: Path, *, database_url: str | None, strategy: str) -> Workspace:
    """A workspace on a fresh store (SQLite in `folder`, or the given URL) holding the demo
    CRM, with the assignment policy's strategy set to `strategy`."""
    settings = Settings(
        home=folder,
        database_url=database_url or f"sqlite:///{folder / 'workday.db'}",
        seed_demo=True,
        model_path=Settings().resolved_model_path,
    )
    ws = open_workspace(settings)
    ws.policies = ws.policies.model_copy(
        update={"assignment": ws.policies.assignment.model_copy(update={"strategy": strategy})}
    )
    return ws


def customers_by_tier(ws: Workspace) -> dict[str, list[str]]:
    """The demo CRM's customers by tier: each ticket comes from one of its tier."""
    found: dict[str, list[str]] = defaultdict(list)
    with Session(ws.engine) as session:
        for customer_id, tier in session.exec(
            select(Customer.id, Customer.tier).order_by(col(Customer.id))
        ):
            found[tier].append(customer_id)
    return found


def _text(ws: Workspace, ticket: SimTicket) -> str:
    examples = ws.policies.examples[ticket.category]
    return examples[int(ticket.key.rsplit("-", 1)[1]) % len(examples)]


def intake(ws: Workspace, ticket: SimTicket, *, customer_id: str) -> str:
    """Store the ticket and its outcome; the ticket's id in the store."""
    submitted = submit_ticket(
        ws,
        {
            "body": _text(ws, ticket),
            "customer_id": customer_id,
            "language": ticket.language,
            "external_id": ticket.key,
            "source": SOURCE,
            "created_at": ticket.arrival,
            "channel": "email",
        },
    )
    if not isinstance(submitted, Submitted) or not submitted.created:
        raise RuntimeError(f"ticket {ticket.key} was not stored as a new ticket")
    category = ws.policies.taxonomy.categories[ticket.category]
    record = OutcomeRecord(
        ticket_id=submitted.ticket.id,
        category=ticket.category,
        confidence=0.95,
        secondary_intents=[],
        classifier=ClassifierInfo(
            source="local", model_version="workday", category=ticket.category
        ),
        prompt_version=None,
        path=["intake", "classify", "enrich", "gate", "record"],
        specialist=category.specialist,
        queue=category.queue,
        priority=ticket.priority,  # type: ignore[arg-type]
        escalated=False,
        escalation_reasons=[],
        response=None,
        actions=[],
        timings_ms={},
        created_at=ticket.arrival,
        language=ticket.language,
        customer_id=customer_id,
        notes=["simulated by bench/workday.py"],
    )
    with transaction(ws.engine) as session:
        save_outcome(session, record=record)
    return submitted.ticket.id


def snapshot(ws: Workspace, *, now: datetime) -> Snapshot:
    """Tickets per assignment state, and every agent over capacity, as the store holds them."""
    with Session(ws.engine) as session:
        states = dict(
            session.exec(select(Assignment.state, func.count()).group_by(Assignment.state)).all()
        )
        held = session.exec(
            select(
                Assignment.agent_id,
                func.count(),
                func.sum(cast(col(Assignment.vip), Integer)),
            )
            .where(col(Assignment.state).in_(["assigned", "started"]))
            .group_by(col(Assignment.agent_id))
        ).all()
        agents = {a.id: a for a in session.exec(select(Agent))}
    over = [
        (agents[agent_id].name, count, agents[agent_id].capacity, bool(vip))
        for agent_id, count, vip in held
        if agent_id is not None and count > agents[agent_id].capacity
    ]
    return Snapshot(
        at=now,
        waiting=states.get("waiting", 0),
        assigned=states.get("assigned", 0),
        started=states.get("started", 0),
        over_capacity=over,
    )


def assigned_queues(ws: Workspace) -> dict[str, list[str]]:
    """Each agent's assigned, not yet started tickets: the most urgent first, then the
    earliest assigned."""
    queues: dict[str, list[str]] = defaultdict(list)
    with Session(ws.engine) as session:
        rows = session.exec(
            select(Agent.name, Assignment.ticket_id)
            .join(Agent, col(Agent.id) == Assignment.agent_id)
            .where(Assignment.state == "assigned")
            .order_by(
                col(Assignment.priority), col(Assignment.assigned_at), col(Assignment.ticket_id)
            )
        ).all()
    for name, ticket_id in rows:
        queues[name].append(ticket_id)
    return queues


def high_priority() -> dict[str, str]:
    """routing.yaml's priority per customer tier at `high` urgency (an outage's)."""
    routing = load_policies(Settings().policies_dir).routing
    return {tier: levels["high"] for tier, levels in routing.priority.items()}


def fresh_database(url: str | None, stack: ExitStack, *, name: str) -> str | None:
    """None for SQLite (a file in the run's folder); for PostgreSQL, a fresh schema of the
    given database as the URL's search path, dropped when `stack` closes."""
    if url is None:
        return None
    base = make_url(url)
    if not base.drivername.startswith("postgresql"):
        sys.exit(f"--database-url: only PostgreSQL URLs are supported, not {base.drivername}")
    schema = f"workday_{name}_{uuid.uuid4().hex[:8]}"
    admin = create_engine(base)
    with admin.begin() as connection:
        connection.execute(text(f"CREATE SCHEMA {schema}"))

    def drop() -> None:
        with admin.begin() as connection:
            connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()

    stack.callback(drop)
    return base.update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(
        hide_password=False
    )


def breach_times(ws: Workspace) -> list[datetime]:
    """When each first-response breach was stamped."""
    with Session(ws.engine) as session:
        return [
            at for at in session.exec(select(SlaClock.first_response_breached_at)) if at is not None
        ]


def set_webhook(url: str | None) -> None:
    """Point the helpdesk destination at the receiver (None: off)."""
    if url is None:
        os.environ.pop("DESKROUTE_HELPDESK_WEBHOOK_URL", None)
    else:
        os.environ["DESKROUTE_HELPDESK_WEBHOOK_URL"] = url


def add_team(ws: Workspace, team: list[AgentSpec], *, now: datetime) -> None:
    raise NotImplementedError("waits for deskroute.assignment")


def set_status(ws: Workspace, name: str, status: str, *, now: datetime) -> None:
    raise NotImplementedError("waits for deskroute.assignment")


def assign_round(ws: Workspace, *, now: datetime) -> None:
    raise NotImplementedError("waits for deskroute.assignment")


def ticket_event(ws: Workspace, ticket_id: str, kind: str, *, at: datetime) -> None:
    raise NotImplementedError("waits for deskroute.assignment and deskroute.sla")


def sweep(ws: Workspace, *, now: datetime) -> None:
    raise NotImplementedError("waits for deskroute.sla")


def deliver(ws: Workspace, *, now: datetime) -> None:
    raise NotImplementedError("waits for deskroute.outbox")


def undelivered(ws: Workspace) -> int:
    raise NotImplementedError("waits for deskroute.outbox")
