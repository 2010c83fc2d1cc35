"""The sweep under a controlled clock: each warning and breach once, with its outbox event;
pauses move the due times; business hours; a duplicate has no clocks."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from sqlmodel import Session, col, select

from deskroute.models.ticket_events import TicketEventIn
from deskroute.runtime import Workspace
from deskroute.service import get_outcome
from deskroute.sla.events import record_event
from deskroute.sla.status import ticket_sla
from deskroute.sla.sweep import sweep
from deskroute.store.tables import OutboxEvent, SlaClock

Make = Callable[..., str]
START = datetime(2026, 3, 2, 8, tzinfo=UTC)  # Monday 09:00 in Berlin


def events(ws: Workspace, ticket_id: str) -> list[tuple[str, str]]:
    with Session(ws.engine) as session:
        rows = session.exec(
            select(OutboxEvent)
            .where(OutboxEvent.ticket_id == ticket_id)
            .order_by(col(OutboxEvent.id))
        )
        return [(e.kind, e.payload["clock"]) for e in rows if e.kind.startswith("sla.")]


def marks(ws: Workspace, now: datetime) -> list[tuple[str, str, str]]:
    report = sweep(ws, now=now)
    return [(m.transition.ticket_id, m.transition.clock, m.transition.mark) for m in report.marked]


def test_each_warning_and_breach_is_raised_once(workspace: Workspace, make_ticket: Make) -> None:
    ws = workspace
    ticket = make_ticket(received=START, customer_id="C-1001", priority="P2")  # enterprise: 1h/8h
    assert marks(ws, START + timedelta(minutes=44)) == []
    assert marks(ws, START + timedelta(minutes=45)) == [(ticket, "first_response", "at_risk")]
    assert marks(ws, START + timedelta(minutes=50)) == []
    assert ticket_sla(ws, ticket).state == "at_risk"  # type: ignore[union-attr]
    assert marks(ws, START + timedelta(hours=1)) == [(ticket, "first_response", "breached")]
    assert marks(ws, START + timedelta(hours=7)) == [(ticket, "resolution", "at_risk")]
    assert marks(ws, START + timedelta(hours=9)) == [(ticket, "resolution", "breached")]
    assert marks(ws, START + timedelta(days=3)) == []
    assert events(ws, ticket) == [
        ("sla.at_risk", "first_response"),
        ("sla.breached", "first_response"),
        ("sla.at_risk", "resolution"),
        ("sla.breached", "resolution"),
    ]
    record = get_outcome(ws, ticket)
    assert record.sla is not None and record.sla.state == "breached"


def test_at_risk_raises_the_priority_a_step_each_time(
    workspace: Workspace, make_ticket: Make
) -> None:
    ticket = make_ticket(received=START, customer_id="C-1001", priority="P3")  # 4h / 1d
    report = sweep(workspace, now=START + timedelta(hours=3))
    assert [m.reaction.raised_to for m in report.marked] == ["P2"]
    assert report.marked[0].reaction.offered
    payload_priority = report.marked[0].transition.priority
    assert payload_priority == "P3"
    report = sweep(workspace, now=START + timedelta(hours=19))
    (at_risk,) = [m for m in report.marked if m.transition.mark == "at_risk"]
    assert at_risk.transition.priority == "P2" and at_risk.reaction.raised_to == "P1"
    (breach,) = [m for m in report.marked if m.transition.mark == "breached"]
    assert breach.reaction.escalated and breach.reaction.raised_to is None
    with Session(workspace.engine) as session:
        assert session.get(SlaClock, ticket).priority == "P1"  # type: ignore[union-attr]


def test_a_first_response_in_time_stops_its_clock(workspace: Workspace, make_ticket: Make) -> None:
    ws = workspace
    ticket = make_ticket(received=START, customer_id="C-1001", priority="P2")
    answered = TicketEventIn(kind="first_response", at=START + timedelta(minutes=20))
    sla = record_event(ws, ticket, answered)
    assert sla.first_response_due is None and sla.first_response_at == answered.at
    assert marks(ws, START + timedelta(hours=2)) == []
    resolved = TicketEventIn(kind="resolved", at=START + timedelta(hours=3))
    assert record_event(ws, ticket, resolved).state == "met"
    assert marks(ws, START + timedelta(days=2)) == []
    assert events(ws, ticket) == []


def test_waiting_on_the_customer_stops_the_clocks(workspace: Workspace, make_ticket: Make) -> None:
    ws = workspace
    ticket = make_ticket(received=START, customer_id="C-1001", priority="P2")  # 24x7, 8h
    record_event(ws, ticket, TicketEventIn(kind="first_response", at=START))
    pause = START + timedelta(hours=2)
    waiting = record_event(ws, ticket, TicketEventIn(kind="waiting_on_customer", at=pause))
    assert waiting.state == "paused" and waiting.resolution_due is None
    assert marks(ws, START + timedelta(days=2)) == []  # paused: nothing falls due
    back = START + timedelta(days=2)
    running = record_event(ws, ticket, TicketEventIn(kind="customer_replied", at=back))
    assert running.state == "running"
    assert running.resolution_due == back + timedelta(hours=6)  # the 6h left at the pause
    assert marks(ws, back + timedelta(hours=3, minutes=59)) == []
    assert marks(ws, back + timedelta(hours=4)) == [(ticket, "resolution", "at_risk")]


def test_business_hours_and_weekends(workspace: Workspace, make_ticket: Make) -> None:
    ws = workspace
    friday_4pm = datetime(2026, 3, 6, 15, tzinfo=UTC)
    ticket = make_ticket(received=friday_4pm, customer_id="C-1002", priority="P3")  # business: 4h
    sla = ticket_sla(ws, ticket)
    assert sla is not None and sla.calendar == "office-hours"
    assert sla.first_response_due == datetime(2026, 3, 9, 11, tzinfo=UTC)
    assert marks(ws, datetime(2026, 3, 8, 20, tzinfo=UTC)) == []  # Sunday: no time counted
    assert marks(ws, datetime(2026, 3, 9, 10, tzinfo=UTC)) == [
        (ticket, "first_response", "at_risk")
    ]


def test_resolution_reopened_runs_on_with_the_time_it_had_left(
    workspace: Workspace, make_ticket: Make
) -> None:
    ws = workspace
    ticket = make_ticket(received=START, customer_id="C-1001", priority="P2")  # 8h resolution
    record_event(ws, ticket, TicketEventIn(kind="resolved", at=START + timedelta(hours=1)))
    again = START + timedelta(days=1)
    sla = record_event(ws, ticket, TicketEventIn(kind="reopened", at=again))
    assert sla.state == "running" and sla.resolution_due == again + timedelta(hours=7)
    assert sla.first_response_at == START + timedelta(hours=1)  # the resolution answered


def test_a_duplicate_has_no_clocks_of_its_own(workspace: Workspace, make_ticket: Make) -> None:
    original = make_ticket(received=START)
    repeat = make_ticket(received=START, duplicate_of=original)
    assert ticket_sla(workspace, repeat) is None
    assert get_outcome(workspace, repeat).sla is None
    assert marks(workspace, START + timedelta(days=1)) == [
        (original, "first_response", "at_risk"),
        (original, "first_response", "breached"),
        (original, "resolution", "at_risk"),
        (original, "resolution", "breached"),
    ]
