"""What the write paths keep for the analytics: an outcome's channel, language, tier, model
version and LLM usage (a reviewed run counting only its own calls), and when a ticket was
first assigned and how often it changed hands."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from helpers import view
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from deskroute.models.classification import LLMCall
from deskroute.models.outcome import ClassifierInfo, OutcomeRecord
from deskroute.models.review import DecisionRecord, ReviewInfo
from deskroute.policies.schema import Policies
from deskroute.store import assignments as store
from deskroute.store.db import make_engine, transaction
from deskroute.store.outcomes import save_outcome
from deskroute.store.seed import seed_demo
from deskroute.store.tables import Agent, Assignment, Outcome
from deskroute.store.tickets import insert_ticket

AT = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
MODEL = "openai:gpt-4o-mini"


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    engine = make_engine(f"sqlite:///{tmp_path / 'store.db'}")
    seed_demo(engine)
    yield engine
    engine.dispose()


def _call(role: str, calls: int, tokens_in: int, tokens_out: int) -> LLMCall:
    return LLMCall.model_validate(
        {
            "role": role,
            "model": f"{MODEL}+{role}@3+ab12",
            "outcome": "decided",
            "calls": calls,
            "input_tokens": tokens_in,
            "output_tokens": tokens_out,
        }
    )


def _record(ticket_id: str, **changes: object) -> OutcomeRecord:
    values: dict[str, object] = {
        "ticket_id": ticket_id,
        "category": "billing",
        "confidence": 0.9,
        "secondary_intents": [],
        "classifier": ClassifierInfo(source="local", model_version="linear-7"),
        "prompt_version": None,
        "path": ["record"],
        "specialist": "billing",
        "queue": "finance",
        "priority": "P3",
        "escalated": False,
        "escalation_reasons": [],
        "response": "hi",
        "actions": [],
        "timings_ms": {},
        "created_at": AT,
        "language": "de",
        "customer_id": "C-1001",
    }
    return OutcomeRecord.model_validate({**values, **changes})


def test_an_outcome_keeps_its_analytics_columns_and_a_review_only_its_own_calls(
    engine: Engine, policies: Policies
) -> None:
    ticket = view(policies, channel="chat", body="Bitte Rechnung", customer_id="C-1001")
    routing = [_call("classifier", 1, 100, 10), _call("specialist", 2, 300, 30)]
    decision = DecisionRecord(
        round=1,
        action="reassign",
        reviewer="rita",
        decided_at=AT + timedelta(hours=1),
        category_before="billing",
        category_after="account_access",
    )
    with transaction(engine) as session:
        insert_ticket(session, view=ticket, raw_body="Bitte Rechnung", meta={})
    for record in (
        _record(ticket.id, llm=routing),
        _record(
            ticket.id,
            category="account_access",
            llm=[*routing, _call("specialist", 1, 50, 5)],
            review=ReviewInfo(decisions=[decision]),
            state="resolved",
            created_at=AT + timedelta(hours=1),
        ),
    ):
        with transaction(engine) as session:
            save_outcome(session, record=record, sla=None, assignment=policies.assignment)

    with Session(engine) as session:
        rows = session.exec(select(Outcome).order_by(col(Outcome.id))).all()
    columns = [
        (
            r.reviewed,
            r.channel,
            r.language,
            r.tier,
            r.model_version,
            r.llm_model,
            r.llm_calls,
            r.llm_input_tokens,
            r.llm_output_tokens,
        )
        for r in rows
    ]
    assert columns == [
        (False, "chat", "de", "enterprise", "linear-7", MODEL, 3, 400, 40),
        (True, "chat", "de", "enterprise", "linear-7", MODEL, 1, 50, 5),
    ]


def _agent(session: Session, name: str) -> Agent:
    agent = Agent(
        name=name,
        skills=[],
        languages=["en"],
        tiers=[],
        capacity=5,
        status="online",
        status_changed_at=AT,
        created_at=AT,
    )
    session.add(agent)
    session.flush()
    return agent


def test_an_assignment_keeps_its_first_time_and_how_often_it_changed_hands(
    engine: Engine, policies: Policies
) -> None:
    ticket = view(policies, body="hello", customer_id="C-1001")
    with transaction(engine) as session:
        insert_ticket(session, view=ticket, raw_body="hello", meta={})
        ann, bob = _agent(session, "ann"), _agent(session, "bob")
        row = store.open_assignment(
            session,
            ticket_id=ticket.id,
            queue="finance",
            category="billing",
            language="en",
            tier=None,
            priority="P3",
            vip=False,
            reason="new",
            at=AT,
        )
        steps = [
            ("ann", lambda at: store.give(session, row=row, agent=ann, reason="best", at=at)),
            ("bob", lambda at: store.give(session, row=row, agent=bob, reason="sla", at=at)),
            ("back", lambda at: store.give_back(session, row=row, reason="offline", at=at)),
            ("bob again", lambda at: store.give(session, row=row, agent=bob, reason="ok", at=at)),
        ]
        seen = []
        for minutes, (_name, step) in enumerate(steps, start=1):
            step(AT + timedelta(minutes=minutes))
            seen.append((row.first_assigned_at, row.times_given))
        # Resolved, then reopened: back to bob, who had it, which is no hand-over.
        store.note_ticket_event(session, ticket_id=ticket.id, kind="resolved", at=AT)
        store.note_ticket_event(session, ticket_id=ticket.id, kind="reopened", at=AT)
    first = AT + timedelta(minutes=1)
    assert seen == [(first, 1), (first, 2), (first, 2), (first, 3)]
    with Session(engine) as session:
        kept = session.get(Assignment, ticket.id)
    assert kept is not None and (kept.state, kept.times_given) == ("assigned", 3)
