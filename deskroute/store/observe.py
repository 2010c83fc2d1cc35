"""The store's side of the Prometheus metrics: levels and totals by small grouped queries, and
the new outcomes since the last scan, a batch at a time."""

from __future__ import annotations

from typing import Any

from sqlalchemy import case
from sqlalchemy import select as columns
from sqlmodel import Session, col, func, select

from deskroute.store.tables import (
    Agent,
    Alert,
    Assignment,
    Escalation,
    OutboxDelivery,
    OutboxEvent,
    Outcome,
    Ticket,
)


def tickets_by_status(session: Session) -> dict[str, int]:
    rows = session.exec(select(Ticket.status, func.count()).group_by(Ticket.status))
    return {str(status): count for status, count in rows}


def escalations_by_reason(session: Session) -> dict[str, int]:
    rows = session.exec(
        select(Escalation.primary_reason, func.count()).group_by(Escalation.primary_reason)
    )
    return dict(rows.all())


def waiting_by_queue(session: Session) -> dict[str, int]:
    rows = session.exec(
        select(Assignment.queue, func.count())
        .where(col(Assignment.state) == "waiting")
        .group_by(Assignment.queue)
    )
    return dict(rows.all())


def agents_by_status(session: Session) -> dict[str, int]:
    rows = session.exec(
        select(Agent.status, func.count())
        .where(col(Agent.removed_at).is_(None))
        .group_by(Agent.status)
    )
    return dict(rows.all())


def deliveries_by_state(session: Session) -> dict[tuple[str, str], int]:
    """(destination, state) -> deliveries."""
    rows = session.exec(
        select(OutboxDelivery.destination, OutboxDelivery.state, func.count()).group_by(
            OutboxDelivery.destination, OutboxDelivery.state
        )
    )
    return {(destination, state): count for destination, state, count in rows}


def unfanned_events(session: Session) -> int:
    return session.exec(select(func.count()).where(col(OutboxEvent.fanned_out).is_(False))).one()


def alerts_by_rule(session: Session) -> dict[str, int]:
    return dict(session.exec(select(Alert.rule, func.count()).group_by(Alert.rule)).all())


def routing_runs(session: Session) -> tuple[int, int]:
    """(routing runs, of which escalated) over every stored outcome."""
    total, escalated = session.exec(
        select(func.count(), func.sum(case((col(Outcome.escalated), 1), else_=0)))
    ).one()
    return total, escalated or 0


def last_outcome_id(session: Session) -> int:
    return session.exec(select(func.max(Outcome.id))).one() or 0


def outcomes_after(session: Session, *, after: int, limit: int) -> list[tuple[int, Any]]:
    """(id, {timings_ms, llm, classifier}) of the outcomes after id `after`, in id order: only
    the parts of the record the metrics read."""
    rows = session.execute(
        columns(
            col(Outcome.id),
            Outcome.record["timings_ms"],
            Outcome.record["llm"],
            Outcome.record["classifier"],
        )
        .where(col(Outcome.id) > after)
        .order_by(col(Outcome.id))
        .limit(limit)
    )
    return [
        (row_id, {"timings_ms": timings, "llm": llm, "classifier": classifier})
        for row_id, timings, llm, classifier in rows
    ]
