"""Helpers of the alert tests: rows as routing, assignment, review and the outbox would leave
them, written straight into the store at chosen times (the alert rules only count them)."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Engine
from sqlmodel import Session

from deskroute.store.db import transaction
from deskroute.store.tables import AssignmentLog, Correction, Outcome, Ticket

_ids = itertools.count(1)


def ticket(session: Session, *, at: datetime, category: str | None, escalated: bool = False) -> str:
    ticket_id = f"tkt_{next(_ids):06d}"
    session.add(
        Ticket(
            id=ticket_id,
            channel="email",
            subject="s",
            body="b",
            raw_body="b",
            language="en",
            language_source="detected",
            status=("escalated" if escalated else "routed") if category else "received",
            category=category,
            created_at=at,
            received_at=at,
        )
    )
    return ticket_id


def routed(
    session: Session,
    *,
    at: datetime,
    category: str,
    escalated: bool = False,
    llm: tuple[str, ...] = (),
    ms: float = 0.0,
) -> str:
    """A ticket and its routing run, with LLM consultations ending as given, that took `ms`."""
    ticket_id = ticket(session, at=at, category=category, escalated=escalated)
    session.flush()  # the outcome's ticket first
    record: dict[str, Any] = {
        "llm": [{"role": "classifier", "outcome": o} for o in llm],
        "timings_ms": {"classify": ms / 2, "record": ms / 2},
        "classifier": {"source": "local", "model_version": "demo-1"},
    }
    session.add(
        Outcome(
            ticket_id=ticket_id,
            category=category,
            queue=category,
            escalated=escalated,
            priority="P3",
            created_at=at,
            record=record,
        )
    )
    return ticket_id


def assignment_event(session: Session, *, ticket_id: str, kind: str, at: datetime) -> None:
    session.add(AssignmentLog(ticket_id=ticket_id, kind=kind, agent="ana", reason="r", at=at))


def review(session: Session, *, ticket_id: str, corrected: bool, at: datetime) -> None:
    session.add(
        Correction(
            ticket_id=ticket_id,
            round=1,
            text="t",
            predicted="billing",
            confidence=0.5,
            category="general" if corrected else "billing",
            kind="corrected" if corrected else "confirmed",
            reviewer="rev",
            created_at=at,
        )
    )


def spread(start: datetime, minutes: float, count: int) -> list[datetime]:
    """`count` times evenly over `minutes` from `start`."""
    return [start + timedelta(minutes=minutes * (i + 0.5) / count) for i in range(count)]


NOW = datetime(2026, 3, 4, 10, 0, tzinfo=UTC)
"""A Wednesday morning; a 30-minute window is 09:30-10:00."""


def morning(engine: Engine, *, burst: int) -> None:
    """Seven earlier days and this morning with 20 billing, 20 general and 2 outage tickets an
    hour from 08:00 to 11:00 (until now today), and `burst` outage tickets in the window."""
    with transaction(engine) as session:
        for days in range(8):
            start = NOW.replace(hour=8) - timedelta(days=days)
            end = NOW if days == 0 else start + timedelta(hours=3)
            minutes = (end - start) / timedelta(minutes=1)
            hours = minutes / 60
            for category, per_hour in (("billing", 20), ("general", 20), ("outage", 2)):
                for at in spread(start, minutes, round(per_hour * hours)):
                    routed(session, at=at, category=category)
        for at in spread(NOW - timedelta(minutes=25), 25, burst):
            routed(session, at=at, category="outage")
