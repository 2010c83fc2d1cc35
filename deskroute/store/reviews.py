"""The one write path for the review queue, reviewers' claims, approved actions' idempotency
keys and corrections, and the queries that read them."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, func, select

from deskroute.errors import ConflictError
from deskroute.models.outcome import OutcomeRecord
from deskroute.models.review import Decision
from deskroute.models.review_query import ReviewQuery
from deskroute.store.tables import ActionRun, Correction, Escalation, ReviewDecision

_PRIORITY_ORDER = ("P1", "P2", "P3", "P4")


def _reasons(record: OutcomeRecord) -> str:
    return " " + " ".join(dict.fromkeys(record.escalation_reasons)) + " "


def track(session: Session, *, record: OutcomeRecord, round: int) -> None:
    """Put an outcome awaiting review in the queue, or mark its escalation resolved."""
    row = session.get(Escalation, record.ticket_id)
    if record.state == "awaiting_review":
        reasons = _reasons(record)
        primary = record.escalation_reasons[0] if record.escalation_reasons else "internal_error"
        if row is None:
            row = Escalation(
                ticket_id=record.ticket_id,
                state=record.state,
                queue=record.queue,
                category=record.category,
                priority=record.priority,
                reasons=reasons,
                primary_reason=primary,
                round=round,
                escalated_at=record.created_at,
                updated_at=record.created_at,
            )
        else:
            row.sqlmodel_update(
                {
                    "state": record.state,
                    "queue": record.queue,
                    "category": record.category,
                    "priority": record.priority,
                    "reasons": reasons,
                    "primary_reason": primary,
                    "round": round,
                    "updated_at": record.created_at,
                }
            )
        session.add(row)
    elif row is not None and record.review is not None:
        last = record.review.last
        row.sqlmodel_update(
            {
                "state": "resolved",
                "category": record.category,
                "queue": record.queue,
                "resolved_by": last.reviewer,
                "resolved_at": last.decided_at,
                "resolution": last.action,
                "updated_at": record.created_at,
                "opened_by": None,
                "opened_until": None,
            }
        )
        session.add(row)


def escalation(session: Session, *, ticket_id: str) -> Escalation | None:
    return session.get(Escalation, ticket_id)


@dataclass(frozen=True)
class QueuePage:
    items: list[Escalation]
    count: int
    """How many match the filters (all pages)."""
    by_reason: dict[str, int]
    by_queue: dict[str, int]
    """Counts of every escalation in the query's state, whatever the other filters."""


def list_queue(
    session: Session, *, query: ReviewQuery, now: datetime, whole: int | None = None
) -> QueuePage:
    """The query's page by priority, then oldest first; or, with `whole`, up to that many
    matching rows oldest first, for the caller to rank (the learning order) and page."""
    rows = select(Escalation).where(Escalation.state == query.state)
    if query.reason is not None:
        rows = rows.where(col(Escalation.reasons).contains(f" {query.reason} "))
    if query.queue is not None:
        rows = rows.where(Escalation.queue == query.queue)
    if query.category is not None:
        rows = rows.where(Escalation.category == query.category)
    if query.priority is not None:
        rows = rows.where(Escalation.priority == query.priority)
    if query.older_than_minutes is not None:
        cutoff = now - timedelta(minutes=query.older_than_minutes)
        rows = rows.where(col(Escalation.escalated_at) <= cutoff)
    if query.newer_than_minutes is not None:
        cutoff = now - timedelta(minutes=query.newer_than_minutes)
        rows = rows.where(col(Escalation.escalated_at) >= cutoff)
    count = session.exec(select(func.count()).select_from(rows.subquery())).one()
    if whole is not None:
        page = session.exec(
            rows.order_by(col(Escalation.escalated_at), col(Escalation.ticket_id)).limit(whole)
        ).all()
    else:
        page = session.exec(
            rows.order_by(
                col(Escalation.priority), col(Escalation.escalated_at), col(Escalation.ticket_id)
            )
            .offset(query.offset)
            .limit(query.limit)
        ).all()
    by_reason: Counter[str] = Counter()
    by_queue: Counter[str] = Counter()
    for reasons, queue in session.exec(
        select(Escalation.reasons, Escalation.queue).where(Escalation.state == query.state)
    ):
        by_reason.update(reasons.split())
        by_queue[queue] += 1
    return QueuePage(
        items=list(page), count=int(count), by_reason=dict(by_reason), by_queue=dict(by_queue)
    )


def open_for(
    session: Session, *, ticket_id: str, reviewer: str, now: datetime, hold: timedelta
) -> Escalation | None:
    """Take the soft lock for `reviewer` unless another reviewer holds an unexpired one; the
    row as it now stands (who holds the lock, until when)."""
    session.connection().execute(
        update(Escalation)
        .where(
            col(Escalation.ticket_id) == ticket_id,
            col(Escalation.state) == "awaiting_review",
            (col(Escalation.opened_by).is_(None))
            | (col(Escalation.opened_by) == reviewer)
            | (col(Escalation.opened_until) < now),
        )
        .values(opened_by=reviewer, opened_until=now + hold)
    )
    return session.get(Escalation, ticket_id, populate_existing=True)


def claim(
    session: Session, *, ticket_id: str, round: int, decision: Decision, now: datetime
) -> None:
    """Claim `round` of the ticket's review for this decision; a `ConflictError` naming who
    decided it, and when, if someone else already did."""
    session.add(
        ReviewDecision(
            ticket_id=ticket_id,
            round=round,
            reviewer=decision.reviewer,
            action=decision.action,
            decision=decision.model_dump(mode="json"),
            decided_at=now,
        )
    )
    try:
        session.flush()
    except IntegrityError as exc:
        raise ConflictError(f"ticket {ticket_id} was already decided") from exc


def claimed(session: Session, *, ticket_id: str, round: int) -> ReviewDecision | None:
    return session.exec(
        select(ReviewDecision).where(
            ReviewDecision.ticket_id == ticket_id, ReviewDecision.round == round
        )
    ).first()


def last_claim(session: Session, *, ticket_id: str) -> ReviewDecision | None:
    return session.exec(
        select(ReviewDecision)
        .where(ReviewDecision.ticket_id == ticket_id)
        .order_by(col(ReviewDecision.round).desc())
    ).first()


def mark_applied(session: Session, *, ticket_id: str, round: int, now: datetime) -> None:
    session.connection().execute(
        update(ReviewDecision)
        .where(col(ReviewDecision.ticket_id) == ticket_id, col(ReviewDecision.round) == round)
        .values(applied_at=now)
    )


def action_run(session: Session, *, key: str) -> ActionRun | None:
    return session.get(ActionRun, key)


def record_action_run(
    session: Session, *, key: str, ticket_id: str, tool: str, result: dict[str, Any], now: datetime
) -> None:
    """Store an applied action's key in the transaction of its effect."""
    session.add(ActionRun(key=key, ticket_id=ticket_id, tool=tool, result=result, created_at=now))
    session.flush()


def add_correction(session: Session, *, correction: Correction) -> None:
    session.add(correction)


def correction_of(session: Session, *, ticket_id: str, round: int) -> Correction | None:
    return session.exec(
        select(Correction).where(Correction.ticket_id == ticket_id, Correction.round == round)
    ).first()


def list_corrections(
    session: Session,
    *,
    kind: str | None = None,
    limit: int | None = None,
    newest_first: bool = False,
) -> list[Correction]:
    rows = select(Correction)
    if kind is not None:
        rows = rows.where(Correction.kind == kind)
    rows = rows.order_by(col(Correction.id).desc() if newest_first else col(Correction.id))
    if limit is not None:
        rows = rows.limit(limit)
    return list(session.exec(rows).all())
