"""The store: demo CRM seeding, the ticket and outcome write paths, queries."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime, timedelta

import pytest
from helpers import view
from sqlalchemy import event
from sqlmodel import Session, func, select

from deskroute.errors import ConfigError, ConflictError
from deskroute.models.outcome import ClassifierInfo, OutcomeRecord
from deskroute.models.outcome_query import OutcomeQuery
from deskroute.store import crm
from deskroute.store.db import make_engine, transaction
from deskroute.store.outcomes import (
    latest_outcome,
    list_outcomes,
    save_outcome,
    ticket_with_outcome,
)
from deskroute.store.seed import SEED_DIR, is_seeded, seed_demo
from deskroute.store.tables import (
    Customer,
    Invoice,
    KnownIssue,
    Ticket,
)
from deskroute.store.tickets import insert_ticket


@pytest.fixture
def engine(database_url):
    engine = make_engine(database_url)
    seed_demo(engine)
    yield engine
    engine.dispose()


def test_seed_is_complete_and_idempotent(engine) -> None:
    assert is_seeded(engine)
    seed_demo(engine)
    with Session(engine) as session:
        assert session.exec(select(func.count()).select_from(Customer)).one() == 24
        assert session.exec(select(func.count()).select_from(Invoice)).one() >= 48
        outages = crm.active_incidents(session)
        assert len(outages) == 1 and outages[0].is_outage


def test_the_seed_holds_texts_in_the_reply_languages(engine) -> None:
    with Session(engine) as session:
        found = crm.translations(
            session, kind="known_issue", item_ids=["KI-101", "KI-999"], language="fr"
        )
        assert list(found) == ["KI-101"]
        assert found["KI-101"]["workaround"].startswith("Scindez la synchronisation")
        plans = crm.translations(session, kind="plan", item_ids=["Growth"], language="nl")
        assert "alle connectoren" in plans["Growth"]["features"]
        assert crm.translations(session, kind="help_article", item_ids=[], language="de") == {}


def test_a_translation_of_an_unknown_item_is_refused(tmp_path) -> None:
    seed_dir = tmp_path / "seed"
    shutil.copytree(SEED_DIR, seed_dir)
    (seed_dir / "translations.yaml").write_text(
        "known_issues:\n  KI-999:\n    de: {title: Unbekannt}\n", encoding="utf-8"
    )
    engine = make_engine(f"sqlite:///{tmp_path / 'store.db'}")
    with pytest.raises(ConfigError, match="no such item: KI-999"):
        seed_demo(engine, seed_dir)
    engine.dispose()


def test_dates_are_relative_to_seeding(engine) -> None:
    with Session(engine) as session:
        issue = session.get(KnownIssue, "KI-101")
        assert issue is not None
        assert datetime.now(UTC) - issue.started_at < timedelta(days=60)
        assert issue.started_at.tzinfo is not None


def test_invoices_are_scoped_to_their_customer(engine) -> None:
    with Session(engine) as session:
        own = crm.list_invoices(session, customer_id="C-1001", limit=1)[0]
        assert crm.get_invoice(session, customer_id="C-1001", number=own.number) is not None
        assert crm.get_invoice(session, customer_id="C-1002", number=own.number) is None


def test_customer_lookup_by_email_is_case_insensitive(engine) -> None:
    with Session(engine) as session:
        customer = session.get(Customer, "C-1001")
        assert customer is not None
        found = crm.customer_with_subscription(
            session, customer_id=None, email=customer.email.upper()
        )
        assert found is not None and found.id == "C-1001" and found.subscription_status


def record_for(ticket_id: str, **changes) -> OutcomeRecord:
    values = dict(
        ticket_id=ticket_id,
        category="billing",
        confidence=0.9,
        secondary_intents=[],
        classifier=ClassifierInfo(source="local", model_version="m"),
        prompt_version="billing@v1+0",
        path=["record"],
        specialist="billing",
        queue="finance",
        priority="P3",
        escalated=False,
        escalation_reasons=[],
        response="hi",
        actions=[],
        timings_ms={},
        created_at=datetime.now(UTC),
    )
    return OutcomeRecord(**{**values, **changes})


def test_outcome_written_once_per_ticket(engine, policies) -> None:
    ticket = view(policies, body="hello", customer_id="C-1001")
    with transaction(engine) as session:
        insert_ticket(session, view=ticket, raw_body="hello", meta={})
    with transaction(engine) as session:
        save_outcome(
            session, record=record_for(ticket.id), sla=None, assignment=policies.assignment
        )
    with pytest.raises(ConflictError):
        with transaction(engine) as session:
            save_outcome(
                session,
                record=record_for(ticket.id, queue="other"),
                sla=None,
                assignment=policies.assignment,
            )
    with Session(engine) as session:
        assert latest_outcome(session, ticket_id=ticket.id).queue == "finance"  # type: ignore[union-attr]
        assert session.get(Ticket, ticket.id).status == "routed"  # type: ignore[union-attr]


def test_ticket_and_outcome_are_read_together(engine, policies) -> None:
    ticket = view(policies, body="hello", customer_id="C-1001")
    with transaction(engine) as session:
        insert_ticket(session, view=ticket, raw_body="hello", meta={})
    with Session(engine) as session:
        row, outcome = ticket_with_outcome(session, ticket_id=ticket.id)  # type: ignore[misc]
        assert row.status == "received" and outcome is None
        assert ticket_with_outcome(session, ticket_id="T-missing") is None
    with transaction(engine) as session:
        save_outcome(
            session,
            record=record_for(ticket.id, escalated=True),
            sla=None,
            assignment=policies.assignment,
        )
    with Session(engine) as session:
        row, outcome = ticket_with_outcome(session, ticket_id=ticket.id)  # type: ignore[misc]
        assert row.status == "escalated" and outcome is not None and outcome.escalated


def test_routing_committed_mid_read_never_shows_an_outcome_beside_an_open_ticket(
    engine, policies
) -> None:
    """The worker's commit lands right after the reader's first statement, the worst moment."""
    ticket = view(policies, body="hello", customer_id="C-1001")
    with transaction(engine) as session:
        insert_ticket(session, view=ticket, raw_body="hello", meta={})
    routed: list[bool] = []

    def route_once(*_args: object) -> None:
        if not routed:
            routed.append(True)
            with transaction(engine) as session:
                save_outcome(
                    session, record=record_for(ticket.id), sla=None, assignment=policies.assignment
                )

    event.listen(engine, "after_cursor_execute", route_once)
    try:
        with Session(engine) as session:
            row, outcome = ticket_with_outcome(session, ticket_id=ticket.id)  # type: ignore[misc]
    finally:
        event.remove(engine, "after_cursor_execute", route_once)
    assert routed and (row.status, outcome) == ("received", None)
    with Session(engine) as session:
        row, outcome = ticket_with_outcome(session, ticket_id=ticket.id)  # type: ignore[misc]
        assert row.status == "routed" and outcome is not None


def test_list_outcomes_filters_and_pages(engine, policies) -> None:
    for i in range(5):
        ticket = view(policies, body=f"ticket {i}")
        with transaction(engine) as session:
            insert_ticket(session, view=ticket, raw_body="", meta={})
            save_outcome(
                session,
                record=record_for(
                    ticket.id, escalated=i % 2 == 0, queue="triage" if i % 2 == 0 else "finance"
                ),
                sla=None,
                assignment=policies.assignment,
            )
    with Session(engine) as session:
        total, page = list_outcomes(session, query=OutcomeQuery(escalated=True, limit=2))
        assert total == 3 and len(page) == 2 and all(r.escalated for r in page)
        total, page = list_outcomes(session, query=OutcomeQuery(queue="finance", offset=1))
        assert total == 2 and len(page) == 1
