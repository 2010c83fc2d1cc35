"""What the rules count, read from the store on SQLite and PostgreSQL: each span's tickets by
category, routing runs, escalations and LLM calls, assignments and reassignments, reviews and
corrections; the levels that stand now."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from alert_rows import assignment_event, review, routed, ticket
from sqlalchemy import Engine
from sqlmodel import Session

from deskroute.alerts.detect import Levels, Span, Tally
from deskroute.store import alert_counts
from deskroute.store.db import make_engine, transaction
from deskroute.store.tables import Agent, Assignment, OutboxDelivery, OutboxEvent, Outcome

T0 = datetime(2026, 3, 4, 9, 0, tzinfo=UTC)


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


def test_each_span_counts_what_falls_inside_it(engine: Engine) -> None:
    first, second = Span(T0, T0 + timedelta(minutes=30)), Span(T0 - timedelta(days=1), T0)
    with transaction(engine) as session:
        a = routed(session, at=T0, category="billing", llm=("decided",))
        routed(session, at=T0 + timedelta(minutes=10), category="billing", escalated=True)
        routed(
            session,
            at=T0 + timedelta(minutes=29),
            category="outage",
            llm=("unavailable", "invalid", "replied"),
        )
        routed(session, at=T0 + timedelta(minutes=30), category="outage")  # the next span's
        ticket(session, at=T0 + timedelta(minutes=5), category=None)  # not routed yet: left out
        b = routed(session, at=T0 - timedelta(hours=3), category="general", escalated=True)
        c = ticket(session, at=T0 - timedelta(hours=2), category="general")
        session.flush()
        assignment_event(session, ticket_id=a, kind="assigned", at=T0 + timedelta(minutes=1))
        assignment_event(session, ticket_id=a, kind="reassigned", at=T0 + timedelta(minutes=9))
        assignment_event(session, ticket_id=a, kind="returned", at=T0 + timedelta(minutes=12))
        review(session, ticket_id=b, corrected=True, at=T0 + timedelta(minutes=2))
        # The run a review decision made: its LLM call counts, it is no routing run.
        session.add(
            Outcome(
                ticket_id=a,
                category="billing",
                queue="billing",
                escalated=True,
                priority="P3",
                created_at=T0 + timedelta(minutes=15),
                reviewed=True,
                record={"llm": [{"role": "specialist", "outcome": "unavailable"}]},
            )
        )
        review(session, ticket_id=c, corrected=False, at=T0 - timedelta(minutes=1))
    with Session(engine) as session:
        counted = alert_counts.tallies(session, [first, second])
        assert alert_counts.first_ticket_at(session) == T0 - timedelta(hours=3)
    assert counted == [
        Tally(
            tickets={"billing": 2, "outage": 1},
            runs=3,
            escalated=1,
            assignments=2,
            reassigned=1,
            reviews=1,
            corrected=1,
            llm_calls=5,
            llm_failed=3,
        ),
        Tally(tickets={"general": 2}, runs=1, escalated=1, reviews=1),
    ]


def test_levels_stand_as_they_are_now(engine: Engine) -> None:
    with transaction(engine) as session:
        waiting = [ticket(session, at=T0, category="billing") for _ in range(3)]
        session.flush()
        for ticket_id in waiting:
            session.add(
                Assignment(
                    ticket_id=ticket_id,
                    state="waiting",
                    queue="billing",
                    language="en",
                    priority="P3",
                    reason="all_at_capacity",
                    waiting_since=T0,
                    updated_at=T0,
                )
            )
        for name, status, removed in (
            ("ana", "online", None),
            ("bo", "online", T0),
            ("cy", "away", None),
        ):
            session.add(
                Agent(
                    name=name,
                    capacity=3,
                    status=status,
                    status_changed_at=T0,
                    created_at=T0,
                    removed_at=removed,
                )
            )
        event = OutboxEvent(key="evt_1", kind="sla.breached", payload={}, created_at=T0)
        session.add(event)
        session.flush()
        for destination, state in (("slack", "dead"), ("helpdesk", "delivered")):
            session.add(
                OutboxDelivery(
                    event_id=event.id or 0,
                    destination=destination,
                    state=state,
                    next_attempt_at=T0,
                    created_at=T0,
                )
            )
    with Session(engine) as session:
        assert alert_counts.levels(session) == Levels(dead_letters=1, waiting=3, agents_online=1)
