"""Assignment on the real SQLite store: who gets what, waiting, returns, relaxation, leads,
the helpdesk's events, and the log and outbox each decision leaves."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from assign_worker import NOW
from sqlmodel import Session, col, select

from deskroute.assignment.agents import add_agent, get_agent, list_agents, remove_agent
from deskroute.assignment.service import (
    Assigner,
    assign,
    assign_waiting,
    escalate_to_lead,
    raise_priority,
    reassign,
    set_agent_status,
)
from deskroute.store.assignments import history, note_ticket_event
from deskroute.store.db import transaction
from deskroute.store.tables import Assignment, OutboxEvent

Ticket = Callable[..., str]
Agent = Callable[..., None]


def kinds(desk: Assigner, ticket_id: str) -> list[tuple[str, str | None, str]]:
    with Session(desk.engine) as session:
        return [
            (r.kind, r.agent or r.from_agent, r.reason)
            for r in history(session, ticket_id=ticket_id)
        ]


def events(desk: Assigner) -> list[str]:
    with Session(desk.engine) as session:
        return [e.kind for e in session.exec(select(OutboxEvent).order_by(col(OutboxEvent.id)))]


def test_best_match_spreads_by_load_and_logs_each_assignment(
    desk: Assigner, agent: Agent, ticket: Ticket
) -> None:
    agent("ann")
    agent("bob")
    first, second = assign(desk, ticket(priority="P1")), assign(desk, ticket())
    assert {first.agent, second.agent} == {"ann", "bob"}
    assert first.state == "assigned" and first.reason == "best_match" and first.at == NOW
    third = assign(desk, ticket())
    assert third.agent == second.agent  # a P1 weighs 4: the P3 agent is the less loaded
    assert assign(desk, fourth := ticket()).agent == first.agent
    assert kinds(desk, fourth) == [("opened", None, "new"), ("assigned", first.agent, "best_match")]
    assert events(desk).count("ticket.assigned") == 4


def test_nobody_free_waits_with_the_reason_then_a_free_place_is_filled(
    desk: Assigner, agent: Agent, ticket: Ticket
) -> None:
    agent("ann", capacity=1)
    busy = ticket()
    assert assign(desk, busy).agent == "ann"
    waiting = ticket()
    info = assign(desk, waiting)
    assert (info.state, info.waiting, info.agent) == ("waiting", "all_at_capacity", None)
    assert assign_waiting(desk) == 0  # still full: nothing written
    with transaction(desk.engine) as session:
        note_ticket_event(session, ticket_id=busy, kind="first_response", at=NOW)
        note_ticket_event(session, ticket_id=busy, kind="resolved", at=NOW)
    assert assign_waiting(desk) == 1
    assert assign(desk, waiting).agent == "ann"
    assert [k for k, _, _ in kinds(desk, busy)] == ["opened", "assigned", "started", "closed"]
    assert "ticket.waiting" in events(desk)


def test_waiting_reasons_in_the_store(desk: Assigner, agent: Agent, ticket: Ticket) -> None:
    assert assign(desk, ticket()).waiting == "no_skill_match"
    agent("ann", status="offline")
    assert assign(desk, ticket()).waiting == "no_agent_online"
    set_agent_status(desk, "ann", "online")  # coming online takes the waiting tickets
    assert [a.open_tickets for a in list_agents(desk)] == [2]
    assert assign(desk, ticket(language="de")).waiting == "no_language_match"


def test_offline_agent_returns_unstarted_tickets_to_others(
    desk: Assigner, agent: Agent, ticket: Ticket
) -> None:
    agent("ann", capacity=3)
    started, unstarted = ticket(), ticket()
    assign(desk, started), assign(desk, unstarted)
    with transaction(desk.engine) as session:
        note_ticket_event(session, ticket_id=started, kind="first_response", at=NOW)
    agent("bob", status="away")
    set_agent_status(desk, "ann", "offline")
    assert assign(desk, started).agent == "ann"  # started work stays with its agent
    assert assign(desk, unstarted).waiting == "no_agent_online"  # bob is away
    assert ("returned", "ann", "agent_offline") in kinds(desk, unstarted)
    set_agent_status(desk, "bob", "online")
    assert assign(desk, unstarted).agent == "bob"
    assert "ticket.returned" in events(desk)


def test_removing_an_agent_returns_all_their_open_tickets(
    desk: Assigner, agent: Agent, ticket: Ticket
) -> None:
    agent("ann")
    one = ticket()
    assign(desk, one)
    agent("bob")
    assert remove_agent(desk, "ann") == [one]
    assert assign(desk, one).agent == "bob"
    assert [a.name for a in list_agents(desk)] == ["bob"]


def test_language_relaxation_is_logged(desk: Assigner, agent: Agent, ticket: Ticket) -> None:
    agent("ann", languages=["de"])
    french = ticket(language="fr", at=NOW - timedelta(minutes=30))
    info = assign(desk, french)
    assert info.agent == "ann" and info.relaxed == ["language"]
    assert ("relaxed", None, "language") in kinds(desk, french)


def test_vip_may_take_one_place_more(desk: Assigner, agent: Agent, ticket: Ticket) -> None:
    agent("ann", capacity=1)
    assign(desk, ticket())
    assert assign(desk, ticket()).waiting == "all_at_capacity"
    assert assign(desk, ticket(tier="enterprise", vip=True)).agent == "ann"
    assert assign(desk, ticket(tier="enterprise", vip=True)).waiting == "all_at_capacity"
    assert get_agent(desk, "ann").open_tickets == 2


def test_reassign_and_escalate_to_the_lead(desk: Assigner, agent: Agent, ticket: Ticket) -> None:
    agent("ann")
    one = ticket()
    assign(desk, one)
    kept = reassign(desk, one, reason="sla_at_risk")
    assert kept.agent == "ann" and kinds(desk, one)[-1] == (
        "kept",
        "ann",
        "sla_at_risk: nobody else available",
    )
    agent("bob", status="away")
    agent("lea", capacity=1, lead_of=["finance"], skills=["sales"])
    assign(desk, (other := ticket(category="sales", queue="sales")))
    set_agent_status(desk, "bob", "online")
    moved = reassign(desk, one, reason="sla_at_risk")
    assert (moved.agent, moved.reason) == ("bob", "sla_at_risk")
    assert kinds(desk, one)[-1] == ("reassigned", "bob", "sla_at_risk")
    lead = escalate_to_lead(desk, one)  # over capacity: it is an escalation
    assert (lead.agent, lead.reason) == ("lea", "sla_breach")
    assert get_agent(desk, "lea").open_tickets == 2 and other
    assert "ticket.reassigned" in events(desk)


def test_raised_priority_and_reopened_ticket(desk: Assigner, agent: Agent, ticket: Ticket) -> None:
    agent("ann", capacity=1)
    one = ticket()
    assign(desk, one)
    raise_priority(desk, one, priority="P1")
    raise_priority(desk, one, priority="P4")  # lower: ignored
    assert get_agent(desk, "ann").load == 4
    with transaction(desk.engine) as session:
        note_ticket_event(session, ticket_id=one, kind="resolved", at=NOW)
    two = ticket()
    assign(desk, two)
    with transaction(desk.engine) as session:
        note_ticket_event(session, ticket_id=one, kind="reopened", at=NOW)
    info = assign(desk, one)  # ann is full again: it waits in the pool
    assert info.state == "waiting" and info.reason == "all_at_capacity"
    with Session(desk.engine) as session:
        assert session.get(Assignment, one).priority == "P1"  # type: ignore[union-attr]


def test_demo_agents_fit_the_policies_and_cover_every_hour(desk: Assigner) -> None:
    from deskroute.models.agents import AgentIn
    from deskroute.policies.loader import read_yaml
    from deskroute.store.seed import SEED_DIR, AgentsSeed

    seeded = AgentsSeed.model_validate(read_yaml(SEED_DIR / "agents.yaml")).agents
    for agent in seeded:
        add_agent(desk, AgentIn.model_validate(agent.model_dump()), now=NOW)  # checked names
    assert 10 <= len(seeded) <= 20 and {"en", "de"} <= {x for a in seeded for x in a.languages}
    for hour in range(0, 24 * 7, 1):  # a week, every hour, summer and winter
        for start in (NOW, NOW + timedelta(days=180)):
            at = start + timedelta(hours=hour)
            clock = Assigner(desk.engine, desk.policies, lambda at=at: at)  # type: ignore[misc]
            queues = {q for a in list_agents(clock) if a.working_now for q in a.skills}
            assert {"finance", "accounts", "tech-support", "support", "sales"} <= queues, at


def test_routed_tickets_enter_the_pool_escalated_and_duplicates_do_not(
    desk: Assigner, policies
) -> None:
    from helpers import view

    from deskroute.models.outcome import ClassifierInfo, OutcomeRecord
    from deskroute.store.outcomes import latest_outcome, save_outcome
    from deskroute.store.seed import seed_demo
    from deskroute.store.tickets import insert_ticket

    seed_demo(desk.engine)  # C-1001 is an enterprise customer

    def record_for(ticket_id: str, **changes) -> OutcomeRecord:
        values = dict(
            ticket_id=ticket_id,
            category="billing",
            confidence=0.9,
            secondary_intents=[],
            classifier=ClassifierInfo(source="local", model_version="m"),
            prompt_version=None,
            path=["record"],
            specialist="billing",
            queue="finance",
            priority="P3",
            escalated=False,
            escalation_reasons=[],
            response="hi",
            actions=[],
            timings_ms={},
            created_at=NOW,
            customer_id="C-1001",
            language="en",
        )
        return OutcomeRecord(**{**values, **changes})

    def stored(**changes) -> str:
        ticket = view(policies, body=f"body {changes}", customer_id="C-1001")
        with transaction(desk.engine) as session:
            insert_ticket(session, view=ticket, raw_body=ticket.body, meta={})
            save_outcome(
                session,
                record=record_for(ticket.id, **changes),
                sla=None,
                assignment=policies.assignment,
            )
        return ticket.id

    routed = stored()
    escalated = stored(
        escalated=True, state="awaiting_review", escalation_reasons=["low_confidence"]
    )
    duplicate = stored(duplicate_of="tkt_x")
    with Session(desk.engine) as session:
        row = session.get(Assignment, routed)
        assert row is not None and (row.tier, row.vip, row.reason) == ("enterprise", True, "new")
        assert (
            session.get(Assignment, escalated) is None
            and session.get(Assignment, duplicate) is None
        )
        record = latest_outcome(session, ticket_id=routed)
        assert record is not None and record.assignment is not None
        assert record.assignment.state == "waiting"
