"""The one write path for agents, and the reads the assigner needs (runs inside the caller's
transaction). An agent's capacity is enforced under a lock on their row (`lock_agents`)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import update
from sqlmodel import Session, col, func, select

from deskroute.errors import ConflictError
from deskroute.store.tables import Agent, Assignment

OPEN_STATES = ("assigned", "started")
"""An agent's open tickets: what counts against their capacity."""


def add_agent(session: Session, *, fields: dict[str, Any], now: datetime) -> Agent:
    """A new agent; the name of a removed one is taken over (their history stays)."""
    row = session.exec(select(Agent).where(Agent.name == fields["name"])).first()
    if row is not None and row.removed_at is None:
        raise ConflictError(f"agent {fields['name']!r} already exists", field="name")
    if row is None:
        row = Agent(**fields, status_changed_at=now, created_at=now)
    else:
        for key, value in fields.items():
            setattr(row, key, value)
        row.removed_at = None
        row.last_assigned_at = None
        row.status_changed_at = now
    session.add(row)
    session.flush()
    return row


def find_agent(session: Session, *, name: str, lock: bool = False) -> Agent | None:
    """The agent of this name (not removed); `lock` takes their row lock (see `lock_agents`)."""
    query = select(Agent).where(Agent.name == name, col(Agent.removed_at).is_(None))
    if lock:
        take_write_lock(session)
        query = query.with_for_update().execution_options(populate_existing=True)
    return session.exec(query).first()


def list_agents(session: Session) -> list[Agent]:
    """Every agent not removed, by name."""
    return list(
        session.exec(select(Agent).where(col(Agent.removed_at).is_(None)).order_by(Agent.name))
    )


def lock_agents(session: Session, *, ids: Sequence[int]) -> list[Agent]:
    """Lock these agents' rows, in id order (two assigners never wait on each other in a
    circle), and read them afresh. On SQLite the transaction's first write already holds the
    database's one write lock (`take_write_lock`), which serializes the same way."""
    if not ids:
        return []
    take_write_lock(session)
    return list(
        session.exec(
            select(Agent)
            .where(col(Agent.id).in_(sorted(ids)))
            .order_by(col(Agent.id))
            .with_for_update()
            .execution_options(populate_existing=True)
        )
    )


def open_tickets(
    session: Session, *, ids: Sequence[int] | None = None
) -> dict[int, dict[str, int]]:
    """Open tickets per agent, by priority; read after `lock_agents`, they cannot change
    before the transaction ends."""
    query = (
        select(Assignment.agent_id, Assignment.priority, func.count())
        .where(col(Assignment.state).in_(OPEN_STATES), col(Assignment.agent_id).is_not(None))
        .group_by(col(Assignment.agent_id), col(Assignment.priority))
    )
    if ids is not None:
        query = query.where(col(Assignment.agent_id).in_(list(ids)))
    counts: dict[int, dict[str, int]] = {}
    for agent_id, priority, count in session.exec(query):
        if agent_id is not None:
            counts.setdefault(agent_id, {})[priority] = int(count)
    return counts


def update_agent(
    session: Session, *, agent: Agent, changes: dict[str, Any], now: datetime
) -> Agent:
    """Apply changes to a (locked) agent; a new status stamps `status_changed_at`."""
    if "status" in changes and changes["status"] != agent.status:
        agent.status_changed_at = now
    for key, value in changes.items():
        setattr(agent, key, value)
    session.add(agent)
    return agent


def mark_assigned(session: Session, *, agent: Agent, at: datetime) -> None:
    agent.last_assigned_at = at
    session.add(agent)


def remove_agent(session: Session, *, agent: Agent, now: datetime) -> None:
    """Take the agent off the roster (their row stays, for the history that names them)."""
    agent.removed_at = now
    agent.status = "offline"
    agent.status_changed_at = now
    session.add(agent)


def names(session: Session, *, ids: Sequence[int]) -> dict[int, str]:
    if not ids:
        return {}
    rows = session.exec(select(Agent.id, Agent.name).where(col(Agent.id).in_(list(ids))))
    return {agent_id: name for agent_id, name in rows if agent_id is not None}


def take_write_lock(session: Session) -> None:
    """SQLite has no row locks: a write (which changes nothing) makes the transaction the
    database's one writer now, before anything is counted, so that a concurrent assigner waits
    for this one to commit instead of counting the same free places. It must come before any
    read of the transaction (a reader that later writes could be refused its snapshot)."""
    if session.get_bind().dialect.name == "sqlite" and not session.info.get("write_locked"):
        session.execute(update(Agent).where(col(Agent.id) == -1).values(capacity=Agent.capacity))
        session.info["write_locked"] = True
