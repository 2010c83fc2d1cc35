"""Every call the simulation makes into DeskRoute, in one place: the real store write paths and
services, each given the simulated time.

A ticket enters as the routing graph would leave it: stored by `submit_ticket` (its arrival as
`created_at`), then its outcome written by `save_outcome` in one transaction, routed to its
category's queue with its priority. The graph itself is not run: it takes ~28 ms a ticket
(`deskroute bench`: 35 tickets/s), and it would choose the category and priority from the
text, where the day's mix must come from the ServiceNow log and the stated distributions.
"""

from __future__ import annotations

import random
import sys
import uuid
from collections import defaultdict
from contextlib import ExitStack
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path

from sqlalchemy import Integer, case, cast, create_engine, make_url, text
from sqlmodel import Session, col, func, select

from bench._workday.stream import SimTicket
from bench._workday.world import AgentSpec, local_hours
from deskroute.assignment import agents
from deskroute.assignment import service as assignment
from deskroute.errors import ConfigError
from deskroute.models.agents import AgentIn
from deskroute.models.outcome import ClassifierInfo, OutcomeRecord
from deskroute.models.ownership import AgentStatus
from deskroute.models.ticket_events import TicketEventIn, TicketEventKind
from deskroute.outbox.deliver import Dispatcher, deliver_due
from deskroute.policies import load_policies
from deskroute.policies.base import Priority
from deskroute.policies.loader import read_yaml, validate_file
from deskroute.policies.sla import SlaPolicy, sla_problem
from deskroute.runtime import Workspace, open_workspace
from deskroute.service import Submitted, submit_ticket
from deskroute.settings import Settings
from deskroute.sla.events import record_event
from deskroute.sla.sweep import sweep as sla_sweep
from deskroute.store.db import transaction
from deskroute.store.outcomes import save_outcome
from deskroute.store.tables import (
    Agent,
    Assignment,
    Customer,
    OutboxDelivery,
    OutboxEvent,
    SlaClock,
)

SOURCE = "workday"
ESCALATED = "sla_breach"
"""The assignment reason of a breach escalated to the queue's lead."""
WEBHOOK_SECRET = "workday-bench-secret"
ASSIGN_LIMIT = 100
"""Waiting tickets one assigner looks at per pass (the service's default)."""


@dataclass(frozen=True)
class Overload:
    agent: str
    open: int
    """Tickets assigned or started."""
    capacity: int
    vip: int
    """Open VIP tickets: the policy lets one of them exceed the capacity."""
    escalated: int
    """Open tickets an SLA breach escalated to this lead, capacity or not."""


@dataclass
class Snapshot:
    """The store at one step of the day."""

    at: datetime
    waiting: int
    """In the pool, waiting for an agent."""
    assigned: int
    """Assigned, not started (no first response yet)."""
    started: int
    held: dict[str, int]
    """Open tickets (assigned or started) per agent holding any."""
    over_capacity: list[Overload]
    """Every agent holding more open tickets than their capacity."""


def read_sla(path: Path) -> SlaPolicy:
    """An SLA policy file, checked as `policies/sla.yaml` is (errors name the file and key)."""
    policy = validate_file(path, SlaPolicy, read_yaml(path))
    if problem := sla_problem(policy):
        raise ConfigError(problem[1], file=str(path), key=problem[0])
    return policy


def open_desk(
    folder: Path,
    *,
    database_url: str | None,
    strategy: str,
    clock: SimClock,
    sla: SlaPolicy | None = None,
) -> Workspace:
    """A workspace on a fresh store (SQLite in `folder`, or the given URL) holding the demo
    CRM, with the assignment policy's strategy set to `strategy`, the SLA policy `sla` (None:
    the shipped one) and the simulated clock."""
    settings = Settings(
        home=folder,
        database_url=database_url or f"sqlite:///{folder / 'workday.db'}",
        seed_demo=True,
        model_path=Settings().resolved_model_path,
    )
    ws = open_workspace(settings)
    ws.policies = ws.policies.model_copy(
        update={
            "assignment": ws.policies.assignment.model_copy(update={"strategy": strategy}),
            "sla": sla or ws.policies.sla,
        }
    )
    ws.deps = replace(ws.deps, clock=clock)
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
    """Store the ticket and its outcome, then hand it to an agent as routing does (the
    workspace's clock must stand at the ticket's arrival); the ticket's id in the store."""
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
        priority=ticket.priority,
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
        save_outcome(session, record=record, sla=ws.policies.sla, assignment=ws.policies.assignment)
    assignment.hand_to_agent(ws, record)  # as `route_ticket` does after the graph
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
                func.sum(case((col(Assignment.reason) == ESCALATED, 1), else_=0)),
            )
            .where(col(Assignment.state).in_(["assigned", "started"]))
            .group_by(col(Assignment.agent_id))
        ).all()
        over, held_by = [], {}
        if held:
            capacity = {
                agent_id: (name, cap)
                for agent_id, name, cap in session.exec(
                    select(Agent.id, Agent.name, Agent.capacity)
                )
            }
            for agent_id, count, vip, escalated in held:
                name, cap = capacity[agent_id]
                held_by[name] = count
                if count > cap:
                    over.append(Overload(name, count, cap, vip, escalated))
    return Snapshot(
        at=now,
        waiting=states.get("waiting", 0),
        assigned=states.get("assigned", 0),
        started=states.get("started", 0),
        held=held_by,
        over_capacity=over,
    )


def assigned_queues(ws: Workspace) -> dict[str, list[tuple[str, datetime]]]:
    """Each agent's assigned, not yet started tickets (id, when assigned): the most urgent
    first, then the earliest assigned."""
    queues: dict[str, list[tuple[str, datetime]]] = defaultdict(list)
    with Session(ws.engine) as session:
        rows = session.exec(
            select(Agent.name, Assignment.ticket_id, Assignment.assigned_at)
            .join(Agent, col(Agent.id) == Assignment.agent_id)
            .where(Assignment.state == "assigned")
            .order_by(
                col(Assignment.priority), col(Assignment.assigned_at), col(Assignment.ticket_id)
            )
        ).all()
    for name, ticket_id, assigned_at in rows:
        if assigned_at is not None:
            queues[name].append((ticket_id, assigned_at))
    return queues


def high_priority() -> dict[str, Priority]:
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


@dataclass
class Outbox:
    """Delivery to the helpdesk's webhook only (Slack stays off), with one dispatcher for the
    day (its pacing and seeded jitter outlive a pass)."""

    url: str
    seed: int
    dispatcher: Dispatcher = field(init=False)
    environ: dict[str, str] = field(init=False)

    def __post_init__(self) -> None:
        self.dispatcher = Dispatcher(rng=random.Random(self.seed))
        self.environ = {
            "DESKROUTE_HELPDESK_WEBHOOK_URL": self.url,
            "DESKROUTE_HELPDESK_WEBHOOK_SECRET": WEBHOOK_SECRET,
        }

    def close(self) -> None:
        self.dispatcher.close()


@dataclass
class SimClock:
    """The workspace's clock during the day: whatever the simulation says it is."""

    now: datetime

    def __call__(self) -> datetime:
        return self.now


def add_team(ws: Workspace, team: list[AgentSpec], *, now: datetime) -> None:
    """Replace the demo organisation's agents with the simulated team, all offline: the day's
    shifts bring them online."""
    for view in agents.list_agents(ws):
        agents.remove_agent(ws, view.name, now=now)
    queues = {n: c.queue for n, c in ws.policies.taxonomy.categories.items()}
    for spec in team:
        agents.add_agent(
            ws,
            AgentIn(
                name=spec.name,
                skills=spec.skills,
                languages=spec.languages,
                tiers=spec.tiers,  # type: ignore[arg-type]
                capacity=spec.capacity,
                status="offline",
                timezone=spec.timezone,
                hours=local_hours(spec, now),
                lead_of=sorted({queues[c] for c in spec.skills}) if spec.lead else [],
            ),
            now=now,
        )


def set_status(ws: Workspace, name: str, status: AgentStatus, *, now: datetime) -> None:
    assignment.set_agent_status(ws, name, status, now=now)


def assign_round(ws: Workspace, *, now: datetime) -> None:
    """One assigner's turn: a pass over the waiting tickets."""
    assignment.assign_waiting(ws, now=now, limit=ASSIGN_LIMIT)


def ticket_event(ws: Workspace, ticket_id: str, kind: TicketEventKind, *, at: datetime) -> None:
    """The helpdesk reports a first response or a resolution: the SLA clocks stop, and the
    owner's place frees on resolution."""
    record_event(ws, ticket_id, TicketEventIn(kind=kind, at=at))


def sweep(ws: Workspace, *, now: datetime) -> None:
    sla_sweep(ws, now=now)


def deliver(ws: Workspace, outbox: Outbox, *, now: datetime) -> None:
    deliver_due(ws, now=now, dispatcher=outbox.dispatcher, environ=outbox.environ)


def undelivered(ws: Workspace) -> int:
    """Events not yet fanned out, and deliveries not yet delivered (nor given up)."""
    with Session(ws.engine) as session:
        events = session.exec(
            select(func.count()).where(col(OutboxEvent.fanned_out).is_(False))
        ).one()
        pending = session.exec(select(func.count()).where(OutboxDelivery.state == "pending")).one()
    return int(events) + int(pending)


def vip_allowance(ws: Workspace) -> int:
    return ws.policies.assignment.vip_may_exceed_capacity_by
