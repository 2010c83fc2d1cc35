"""What the alert rules count, read from the store: tickets in by category, routing runs and
their escalations (not the runs a review decision made), LLM calls (theirs too), assignments
and reassignments, reviews and corrections, per span of time; and the levels that stand now
(dead deliveries, tickets waiting, agents online).

Each table is read once for all the spans of a check (a `CASE` names the span of each row):
about five indexed range queries a check, whatever the number of earlier days compared."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import and_, case, or_
from sqlmodel import Session, col, func, select

from deskroute.alerts.detect import Levels, Span, Tally
from deskroute.store.tables import (
    Agent,
    Assignment,
    AssignmentLog,
    Correction,
    OutboxDelivery,
    Outcome,
    Ticket,
)

FAILED_CALLS = frozenset({"unavailable", "invalid"})
"""How an LLM consultation that failed ended: no answer (the local model stood in), or one
that was not valid."""


def _spans(column: Any, spans: Sequence[Span]) -> tuple[Any, Any]:
    """(the index of the span each row falls in, the filter on all of them). Spans must not
    overlap: a row counts in the first that holds it."""
    inside = [and_(column >= s.start, column < s.end) for s in spans]
    label = case(*[(cond, index) for index, cond in enumerate(inside)], else_=-1)
    return label, or_(*inside)


def tallies(session: Session, spans: Sequence[Span]) -> list[Tally]:
    """One tally per span, in the order given."""
    if not spans:
        return []
    tickets: list[Counter[str]] = [Counter() for _ in spans]
    label, where = _spans(col(Ticket.created_at), spans)
    rows = session.exec(
        select(label, col(Ticket.category), func.count())
        .where(where, col(Ticket.category).is_not(None))
        .group_by(label, col(Ticket.category))
    )
    for index, category, count in rows:
        tickets[index][category] += count
    runs = [Counter[str]() for _ in spans]
    label, where = _spans(col(Outcome.created_at), spans)
    for index, escalated, reviewed, calls in session.exec(
        select(label, Outcome.escalated, Outcome.reviewed, Outcome.record["llm"]).where(where)
    ):
        counter = runs[index]
        if not reviewed:  # a run after a reviewer's decision is no routing decision
            counter["runs"] += 1
            counter["escalated"] += bool(escalated)
        for call in calls or []:
            counter["llm_calls"] += 1
            counter["llm_failed"] += call.get("outcome") in FAILED_CALLS
    work = [Counter[str]() for _ in spans]
    label, where = _spans(col(AssignmentLog.at), spans)
    for index, kind, count in session.exec(
        select(label, AssignmentLog.kind, func.count())
        .where(where, col(AssignmentLog.kind).in_(("assigned", "reassigned")))
        .group_by(label, AssignmentLog.kind)
    ):
        work[index]["assignments"] += count
        work[index]["reassigned"] += count if kind == "reassigned" else 0
    label, where = _spans(col(Correction.created_at), spans)
    for index, kind, count in session.exec(
        select(label, Correction.kind, func.count()).where(where).group_by(label, Correction.kind)
    ):
        work[index]["reviews"] += count
        work[index]["corrected"] += count if kind == "corrected" else 0
    return [
        Tally(
            tickets=dict(tickets[i]),
            runs=runs[i]["runs"],
            escalated=runs[i]["escalated"],
            llm_calls=runs[i]["llm_calls"],
            llm_failed=runs[i]["llm_failed"],
            assignments=work[i]["assignments"],
            reassigned=work[i]["reassigned"],
            reviews=work[i]["reviews"],
            corrected=work[i]["corrected"],
        )
        for i in range(len(spans))
    ]


def first_ticket_at(session: Session) -> datetime | None:
    """When the store's first ticket came in: the baselines reach no further back."""
    return session.exec(select(func.min(Ticket.created_at))).one()


def levels(session: Session) -> Levels:
    """Dead deliveries, tickets waiting for an agent, and agents online, as they stand."""
    dead = session.exec(select(func.count()).where(col(OutboxDelivery.state) == "dead")).one()
    waiting = session.exec(select(func.count()).where(col(Assignment.state) == "waiting")).one()
    online = session.exec(
        select(func.count()).where(col(Agent.status) == "online", col(Agent.removed_at).is_(None))
    ).one()
    return Levels(dead_letters=dead, waiting=waiting, agents_online=online)
