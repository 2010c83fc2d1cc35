"""The one write path for who owns a ticket (`assignments`) and its history (`assignment_log`),
each change with its outbox event, inside the caller's transaction.

A ticket's row is locked (`lock_ticket`) before it changes, and an agent's row before a ticket
is given to them (`deskroute.store.agents.lock_agents`): the capacity is counted under that
lock, in the transaction that assigns, never before it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, Literal

from sqlmodel import Session, col, select

from deskroute.models.ownership import AssignmentInfo, EventKind, WaitingReason
from deskroute.store import agents as agent_store
from deskroute.store.outbox import add_event
from deskroute.store.tables import Agent, Assignment, AssignmentLog

LogKind = Literal[
    "opened",
    "assigned",
    "reassigned",
    "returned",
    "waiting",
    "relaxed",
    "kept",
    "priority",
    "started",
    "closed",
    "reopened",
]


def open_assignment(
    session: Session,
    *,
    ticket_id: str,
    queue: str,
    category: str | None,
    language: str,
    tier: str | None,
    priority: str,
    vip: bool,
    reason: str,
    at: datetime,
) -> Assignment:
    """Put a ticket in its queue's pool, waiting for an agent (`reason`: `new`, or
    `follow_up` after a review). A ticket that already has an owner keeps them."""
    row = session.get(Assignment, ticket_id)
    if row is not None and row.state != "closed":
        return row
    if row is None:
        row = Assignment(
            ticket_id=ticket_id,
            state="waiting",
            queue=queue,
            language=language,
            priority=priority,
            reason=reason,
            updated_at=at,
        )
    row.state, row.queue, row.category, row.language = "waiting", queue, category, language
    row.tier, row.priority, row.vip, row.reason = tier, priority, vip, reason
    row.agent_id, row.relaxed = None, []
    row.waiting_since, row.assigned_at, row.started_at, row.closed_at = at, None, None, None
    row.updated_at = at
    session.add(row)
    log(session, ticket_id=ticket_id, kind="opened", reason=reason, at=at)
    return row


def lock_ticket(session: Session, *, ticket_id: str) -> Assignment | None:
    """The ticket's row, locked for this transaction (on SQLite: the database's write lock,
    taken before anything is read)."""
    agent_store.take_write_lock(session)
    return session.exec(
        select(Assignment)
        .where(Assignment.ticket_id == ticket_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).first()


def waiting(session: Session, *, limit: int) -> list[Assignment]:
    """Tickets waiting for an agent: the most urgent first, then the longest waiting."""
    return list(
        session.exec(
            select(Assignment)
            .where(Assignment.state == "waiting")
            .order_by(
                col(Assignment.priority), col(Assignment.waiting_since), col(Assignment.ticket_id)
            )
            .limit(limit)
        )
    )


def owned_by(session: Session, *, agent_id: int, states: Sequence[str]) -> list[Assignment]:
    """The agent's tickets in these states, locked (the agent's own row is locked first)."""
    return list(
        session.exec(
            select(Assignment)
            .where(Assignment.agent_id == agent_id, col(Assignment.state).in_(list(states)))
            .order_by(col(Assignment.ticket_id))
            .with_for_update()
            .execution_options(populate_existing=True)
        )
    )


def give(
    session: Session,
    *,
    row: Assignment,
    agent: Agent,
    reason: str,
    at: datetime,
    relaxed: Sequence[str] = (),
) -> None:
    """Give the (locked) ticket to the (locked) agent: `assigned`, or `reassigned` from the
    agent who had it. A started ticket stays started with its new owner."""
    before = row.agent_id
    from_agent = agent_store.names(session, ids=[before]).get(before) if before else None
    for requirement in relaxed:
        if requirement not in row.relaxed:
            log(session, ticket_id=row.ticket_id, kind="relaxed", reason=requirement, at=at)
    row.relaxed = sorted({*row.relaxed, *relaxed})
    row.agent_id, row.reason, row.assigned_at, row.updated_at = agent.id, reason, at, at
    if row.state != "started":
        row.state = "assigned"
    kind: Literal["assigned", "reassigned"] = "reassigned" if before else "assigned"
    row.first_assigned_at = row.first_assigned_at or at
    if kind == "assigned" or from_agent != agent.name:
        row.times_given += 1
    session.add(row)
    agent_store.mark_assigned(session, agent=agent, at=at)
    log(
        session,
        ticket_id=row.ticket_id,
        kind=kind,
        agent=agent.name,
        from_agent=from_agent,
        reason=reason,
        at=at,
    )
    _event(
        session,
        f"ticket.{kind}",
        row,
        agent=agent.name,
        reason=reason,
        at=at,
        from_agent=from_agent,
        relaxed=row.relaxed,
    )


def wait(
    session: Session,
    *,
    row: Assignment,
    reason: WaitingReason,
    at: datetime,
    relaxed: Sequence[str] = (),
) -> None:
    """The (locked) ticket waits: logged, and announced, only when the reason changes."""
    for requirement in relaxed:
        if requirement not in row.relaxed:
            log(session, ticket_id=row.ticket_id, kind="relaxed", reason=requirement, at=at)
    row.relaxed = sorted({*row.relaxed, *relaxed})
    if row.reason == reason:
        return
    row.reason, row.updated_at = reason, at
    session.add(row)
    log(session, ticket_id=row.ticket_id, kind="waiting", reason=reason, at=at)
    _event(session, "ticket.waiting", row, agent=None, reason=reason, at=at)


def keep(session: Session, *, row: Assignment, reason: str, at: datetime) -> None:
    """Nobody else could take the ticket: it stays where it is, and the attempt is logged."""
    owner = (
        agent_store.names(session, ids=[row.agent_id]).get(row.agent_id) if row.agent_id else None
    )
    log(session, ticket_id=row.ticket_id, kind="kept", agent=owner, reason=reason, at=at)


def give_back(session: Session, *, row: Assignment, reason: str, at: datetime) -> None:
    """Return the (locked) ticket to its queue's pool (its agent went offline or left)."""
    owner = (
        agent_store.names(session, ids=[row.agent_id]).get(row.agent_id) if row.agent_id else None
    )
    row.state, row.agent_id, row.reason = "waiting", None, reason
    row.waiting_since, row.assigned_at, row.started_at, row.updated_at = at, None, None, at
    session.add(row)
    log(session, ticket_id=row.ticket_id, kind="returned", from_agent=owner, reason=reason, at=at)
    _event(session, "ticket.returned", row, agent=None, reason=reason, at=at, from_agent=owner)


def set_priority(session: Session, *, row: Assignment, priority: str, at: datetime) -> bool:
    """Raise the (locked) ticket's priority; a lower one than it has is ignored."""
    if priority >= row.priority:  # P1 < P2 < P3 < P4
        return False
    log(
        session,
        ticket_id=row.ticket_id,
        kind="priority",
        reason=f"{row.priority} -> {priority}",
        at=at,
    )
    row.priority, row.updated_at = priority, at
    session.add(row)
    return True


def note_ticket_event(
    session: Session,
    *,
    ticket_id: str,
    kind: Literal["first_response", "resolved", "reopened"],
    at: datetime,
) -> None:
    """What the helpdesk reports about a ticket's work, for its owner's capacity:
    `first_response` starts it (an agent going offline no longer returns it); `resolved`
    closes it, freeing a place (the assigner loop fills it within a poll); `reopened` gives it
    back to the same agent when they are online with room, else it waits in the pool. A ticket
    without an assignment (e.g. one awaiting review) is left alone."""
    row = lock_ticket(session, ticket_id=ticket_id)
    if row is None:
        return
    if kind == "first_response":
        if row.state == "assigned":
            row.state, row.started_at, row.updated_at = "started", at, at
            session.add(row)
            log(session, ticket_id=ticket_id, kind="started", reason=kind, at=at)
    elif kind == "resolved":
        if row.state != "closed":
            row.state, row.closed_at, row.updated_at = "closed", at, at
            session.add(row)
            log(session, ticket_id=ticket_id, kind="closed", reason=kind, at=at)
    elif row.state == "closed":
        _reopen(session, row=row, at=at)


def _reopen(session: Session, *, row: Assignment, at: datetime) -> None:
    agent = None
    if row.agent_id is not None:
        locked = agent_store.lock_agents(session, ids=[row.agent_id])
        agent = locked[0] if locked and locked[0].removed_at is None else None
    if agent is not None and agent.status == "online" and agent.id is not None:
        count = sum(agent_store.open_tickets(session, ids=[agent.id]).get(agent.id, {}).values())
        if count < agent.capacity:
            row.state, row.closed_at = "assigned", None
            row.started_at = None
            give(session, row=row, agent=agent, reason="reopened", at=at)
            return
    row.state, row.agent_id, row.reason, row.closed_at = "waiting", None, "reopened", None
    row.waiting_since, row.assigned_at, row.started_at, row.updated_at = at, None, None, at
    session.add(row)
    log(session, ticket_id=row.ticket_id, kind="reopened", reason="reopened", at=at)


def log(
    session: Session,
    *,
    ticket_id: str,
    kind: LogKind,
    reason: str,
    at: datetime,
    agent: str | None = None,
    from_agent: str | None = None,
) -> None:
    session.add(
        AssignmentLog(
            ticket_id=ticket_id, kind=kind, agent=agent, from_agent=from_agent, reason=reason, at=at
        )
    )


def history(session: Session, *, ticket_id: str) -> list[AssignmentLog]:
    return list(
        session.exec(
            select(AssignmentLog)
            .where(AssignmentLog.ticket_id == ticket_id)
            .order_by(col(AssignmentLog.id))
        )
    )


def info_for(session: Session, *, ticket_ids: Sequence[str]) -> dict[str, AssignmentInfo]:
    """The `assignment` key of these tickets' outcome records."""
    if not ticket_ids:
        return {}
    rows = session.exec(
        select(Assignment, Agent.name)
        .outerjoin(Agent, col(Agent.id) == Assignment.agent_id)
        .where(col(Assignment.ticket_id).in_(list(ticket_ids)))
    )
    return {row.ticket_id: info_of(row, name) for row, name in rows}


def info_of(row: Assignment, agent: str | None) -> AssignmentInfo:
    waiting_reason: Any = row.reason if row.state == "waiting" else None
    known = ("no_agent_online", "all_at_capacity", "no_language_match", "no_skill_match")
    return AssignmentInfo(
        state=row.state,  # type: ignore[arg-type]
        agent=agent if row.state != "waiting" else None,
        reason=row.reason,
        at=(row.assigned_at if row.state != "waiting" else row.waiting_since) or row.updated_at,
        waiting=waiting_reason if waiting_reason in known else None,
        relaxed=list(row.relaxed),
    )


def _event(
    session: Session,
    kind: str,
    row: Assignment,
    *,
    agent: str | None,
    reason: str,
    at: datetime,
    **extra: Any,
) -> None:
    payload = {
        "ticket_id": row.ticket_id,
        "agent": agent,
        "reason": reason,
        "queue": row.queue,
        "category": row.category,
        "priority": row.priority,
        "tier": row.tier,
        "vip": row.vip,
        "at": at.isoformat(),
        **{k: v for k, v in extra.items() if v},
    }
    event_kind: EventKind = kind  # type: ignore[assignment]
    add_event(session, kind=event_kind, ticket_id=row.ticket_id, payload=payload, at=at)
