"""Assignment: the ticket goes to the best available agent, or waits in its queue with the
reason, and is offered again when someone frees up or comes online. The CLI, the API, the
assigner loop and the SLA sweep call these.

Every change runs in one transaction that first locks the ticket's row, then the rows of the
agents who could take it, and counts their open tickets under that lock: two assigners in two
processes can never both fill an agent's last place.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session

from deskroute.assignment import rules
from deskroute.errors import BadInputError, NotFoundError, did_you_mean
from deskroute.models.outcome import OutcomeRecord
from deskroute.models.ownership import AgentStatus, AssignmentInfo
from deskroute.policies import Policies
from deskroute.store import agents as agent_store
from deskroute.store import assignments as store
from deskroute.store.db import transaction
from deskroute.store.outcomes import needs_agent
from deskroute.store.tables import Agent, Assignment
from deskroute.store.types import utcnow

if TYPE_CHECKING:
    from deskroute.runtime import Workspace

log = logging.getLogger(__name__)

PRIORITIES = ("P1", "P2", "P3", "P4")


@dataclass(frozen=True)
class Assigner:
    """What assignment needs of a workspace: the store, the policies and the clock (the CLI's
    agent commands and other processes build one without loading the routing model)."""

    engine: Engine
    policies: Policies
    clock: Callable[[], datetime] = utcnow


def assigner(ws: Workspace | Assigner) -> Assigner:
    if isinstance(ws, Assigner):
        return ws
    return Assigner(engine=ws.engine, policies=ws.policies, clock=ws.deps.clock)


def assign(
    ws: Workspace | Assigner, ticket_id: str, *, now: datetime | None = None
) -> AssignmentInfo:
    """Offer a waiting ticket to the best available agent now; where it stands afterwards."""
    desk = assigner(ws)
    now = now or desk.clock()
    with transaction(desk.engine) as session:
        row = _locked(session, ticket_id)
        if row.state == "waiting":
            _place(session, desk, row, now=now)
        return _info(session, row)


def hand_to_agent(ws: Workspace | Assigner, record: OutcomeRecord) -> OutcomeRecord:
    """Right after routing or a review: a ticket that entered its queue's pool goes to an agent
    at once, and the record shows who (or why it waits). A store error here leaves the ticket
    waiting for the assigner loop, and the routing stands."""
    desk = assigner(ws)
    if needs_agent(record, desk.policies.assignment) is None:
        return record
    try:
        info = assign(desk, record.ticket_id)
    except SQLAlchemyError:
        log.exception("ticket %s waits for the assigner loop", record.ticket_id)
        return record
    return record.model_copy(update={"assignment": info})


def assign_waiting(
    ws: Workspace | Assigner, *, now: datetime | None = None, limit: int = 100
) -> int:
    """One pass over the waiting tickets, most urgent and longest waiting first; how many got
    an agent. Tickets nobody could take, for the same reason as before, are skipped without a
    write (checked on a snapshot; the locked transaction decides)."""
    desk = assigner(ws)
    now = now or desk.clock()
    policy = desk.policies.assignment
    with Session(desk.engine) as session:
        rows = store.waiting(session, limit=limit)
        roster = _roster(session, desk) if rows else []
    assigned = 0
    for row in rows:
        choice = rules.choose(roster, _need(row, desk), policy, now, frozenset(row.relaxed))
        unchanged = choice.waiting == row.reason and choice.drop == frozenset(row.relaxed)
        if choice.agent is None and unchanged:
            continue
        if assign(desk, row.ticket_id, now=now).state != "waiting":
            assigned += 1
            with Session(desk.engine) as session:
                roster = _roster(session, desk)
    return assigned


def reassign(
    ws: Workspace | Assigner, ticket_id: str, *, reason: str, now: datetime | None = None
) -> AssignmentInfo:
    """Offer the ticket to another available agent than its owner (an SLA at risk:
    `sla_at_risk`); when nobody else can take it, it stays where it is (logged `kept`)."""
    desk = assigner(ws)
    now = now or desk.clock()
    with transaction(desk.engine) as session:
        row = _locked(session, ticket_id)
        if row.state == "waiting":
            _place(session, desk, row, now=now)
        elif row.state == "closed":
            store.keep(session, row=row, reason=f"{reason}: ticket closed", at=now)
        else:
            agent, _choice = _offer(session, desk, row, now=now, exclude=row.agent_id)
            if agent is None:
                store.keep(session, row=row, reason=f"{reason}: nobody else available", at=now)
            else:
                store.give(session, row=row, agent=agent, reason=reason, at=now)
        return _info(session, row)


def escalate_to_lead(
    ws: Workspace | Assigner,
    ticket_id: str,
    *,
    reason: str = "sla_breach",
    now: datetime | None = None,
) -> AssignmentInfo:
    """Give the ticket to an online lead of its queue (`lead_of`), capacity or not: it is an
    escalation. Without an online lead it stays where it is (logged `kept`)."""
    desk = assigner(ws)
    now = now or desk.clock()
    with transaction(desk.engine) as session:
        row = _locked(session, ticket_id)
        leads = [a.id for a in agent_store.list_agents(session) if row.queue in a.lead_of]
        locked = agent_store.lock_agents(session, ids=[i for i in leads if i is not None])
        online = [a for a in locked if a.status == "online" and a.removed_at is None]
        if row.state == "closed":
            store.keep(session, row=row, reason=f"{reason}: ticket closed", at=now)
        elif not online:
            store.keep(session, row=row, reason=f"{reason}: no online lead of {row.queue}", at=now)
        elif any(a.id == row.agent_id for a in online):
            store.keep(session, row=row, reason=f"{reason}: already with the lead", at=now)
        else:
            lead = min(online, key=lambda a: (a.last_assigned_at is not None, a.last_assigned_at))
            store.give(session, row=row, agent=lead, reason=reason, at=now)
        return _info(session, row)


def in_pool(ws: Workspace | Assigner, ticket_id: str) -> bool:
    """Whether a team's pool holds the ticket, waiting or with an agent (not one awaiting
    review, a duplicate, or a closed one)."""
    with Session(assigner(ws).engine) as session:
        row = session.get(Assignment, ticket_id)
    return row is not None and row.state != "closed"


def raise_priority(
    ws: Workspace | Assigner, ticket_id: str, *, priority: str, now: datetime | None = None
) -> None:
    """Raise the ticket's priority (a lower one is ignored): it weighs more in its agent's
    load, and a waiting ticket moves up the queue."""
    if priority not in PRIORITIES:
        raise BadInputError(f"unknown priority {priority!r}; use P1 to P4", field="priority")
    desk = assigner(ws)
    now = now or desk.clock()
    with transaction(desk.engine) as session:
        store.set_priority(session, row=_locked(session, ticket_id), priority=priority, at=now)


def set_agent_status(
    ws: Workspace | Assigner, name: str, status: AgentStatus, *, now: datetime | None = None
) -> Agent:
    """Change an agent's status. Going offline returns their unstarted tickets to the pool
    (logged `returned`, reason `agent_offline`) and offers them to others at once; coming
    online offers them the waiting tickets. Away keeps their tickets but takes no new ones."""
    if status not in ("online", "away", "offline"):
        raise BadInputError(
            f"unknown status {status!r}; use online, away or offline", field="status"
        )
    desk = assigner(ws)
    now = now or desk.clock()
    with transaction(desk.engine) as session:
        agent = locked_agent(session, name)
        agent_store.update_agent(session, agent=agent, changes={"status": status}, now=now)
        returned = (
            return_tickets(
                session, agent=agent, states=("assigned",), reason="agent_offline", at=now
            )
            if status == "offline"
            else []
        )
    for ticket_id in returned:
        assign(desk, ticket_id, now=now)
    if status == "online":
        assign_waiting(desk, now=now)
    return agent


def locked_agent(session: Session, name: str) -> Agent:
    agent = agent_store.find_agent(session, name=name, lock=True)
    if agent is None:
        known = [a.name for a in agent_store.list_agents(session)]
        raise NotFoundError(f"no agent {name!r}{did_you_mean(name, known)}")
    return agent


def return_tickets(
    session: Session, *, agent: Agent, states: tuple[str, ...], reason: str, at: datetime
) -> list[str]:
    """Return the (locked) agent's tickets in these states to the pool; their ids."""
    if agent.id is None:
        return []
    rows = store.owned_by(session, agent_id=agent.id, states=states)
    for row in rows:
        store.give_back(session, row=row, reason=reason, at=at)
    return [row.ticket_id for row in rows]


def _locked(session: Session, ticket_id: str) -> Assignment:
    row = store.lock_ticket(session, ticket_id=ticket_id)
    if row is None:
        raise NotFoundError(
            f"ticket {ticket_id!r} is not in any team's pool (unknown, awaiting review, "
            "or a duplicate of an open ticket)"
        )
    return row


def _place(session: Session, desk: Assigner, row: Assignment, *, now: datetime) -> None:
    """Give the (locked, waiting) ticket to the best agent, or note why it waits."""
    agent, choice = _offer(session, desk, row, now=now)
    if agent is not None:
        strategy = desk.policies.assignment.strategy
        store.give(
            session, row=row, agent=agent, reason=strategy, at=now, relaxed=sorted(choice.drop)
        )
    else:
        store.wait(
            session,
            row=row,
            reason=choice.waiting or "all_at_capacity",
            at=now,
            relaxed=sorted(choice.drop),
        )


def _offer(
    session: Session, desk: Assigner, row: Assignment, *, now: datetime, exclude: int | None = None
) -> tuple[Agent | None, rules.Choice]:
    """The agent who should take the ticket, chosen on their rows locked and their open
    tickets counted under the lock; None with the waiting reason when nobody can."""
    policy = desk.policies.assignment
    need = _need(row, desk)
    drop = frozenset(row.relaxed)
    roster = [a for a in _roster(session, desk) if a.id != exclude]
    choice = rules.choose(roster, need, policy, now, drop)
    if choice.agent is None:
        return None, choice
    candidates = [a.id for a in rules.rank(roster, need, policy, now, choice.drop)]
    locked = {a.id: a for a in agent_store.lock_agents(session, ids=candidates)}
    counts = agent_store.open_tickets(session, ids=candidates)
    fresh = [_load(a, counts, desk) for a in locked.values() if a.removed_at is None]
    ranked = rules.rank(fresh, need, policy, now, choice.drop)
    if not ranked:  # taken, or gone offline, since the roster was read
        reason = rules.waiting_reason(fresh, need, policy, now, choice.drop)
        return None, rules.Choice(None, reason, choice.drop)
    return locked[ranked[0].id], choice


def _roster(session: Session, desk: Assigner) -> list[rules.AgentLoad]:
    counts = agent_store.open_tickets(session)
    return [_load(a, counts, desk) for a in agent_store.list_agents(session) if a.id is not None]


def _load(agent: Agent, counts: dict[int, dict[str, int]], desk: Assigner) -> rules.AgentLoad:
    mine = counts.get(agent.id or -1, {})
    policy = desk.policies.assignment
    return rules.AgentLoad(
        id=agent.id or -1,
        name=agent.name,
        status=agent.status,
        skills=frozenset(agent.skills),
        languages=frozenset(agent.languages),
        tiers=frozenset(agent.tiers),
        capacity=agent.capacity,
        timezone=agent.timezone,
        hours=agent.hours,
        open_tickets=sum(mine.values()),
        load=sum(policy.weight(p) * n for p, n in mine.items()),
        last_assigned_at=agent.last_assigned_at,
    )


def _need(row: Assignment, desk: Assigner) -> rules.Need:
    category = desk.policies.taxonomy.categories.get(row.category or "")
    return rules.Need(
        team_queue=category.queue if category is not None else None,
        category=row.category,
        queue=row.queue,
        language=row.language or desk.policies.intake.default_language,
        tier=row.tier,
        vip=row.vip,
        waiting_since=row.waiting_since,
    )


def _info(session: Session, row: Assignment) -> AssignmentInfo:
    session.flush()
    name = (
        agent_store.names(session, ids=[row.agent_id]).get(row.agent_id) if row.agent_id else None
    )
    return store.info_of(row, name)
