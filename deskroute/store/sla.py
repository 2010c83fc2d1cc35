"""The one write path for SLA clocks (`sla_clocks`). Every function runs in the caller's
transaction; the due times come from `deskroute.sla.clocks` (pure)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import and_, insert, or_, true, update
from sqlalchemy import select as core_select
from sqlmodel import Session, col, select

from deskroute.models.outcome import OutcomeRecord
from deskroute.policies.sla import SlaPolicy
from deskroute.sla.clocks import ClockName, DueTimes, Mark, plan
from deskroute.store.tables import Customer, SlaClock, SlaEvent, Ticket

_INSERT = insert(SlaClock)

_STAMPS: dict[tuple[ClockName, Mark], tuple[str, str]] = {
    ("first_response", "at_risk"): ("first_response_warned_at", "first_response_risk_at"),
    ("first_response", "breached"): ("first_response_breached_at", "first_response_due"),
    ("resolution", "at_risk"): ("resolution_warned_at", "resolution_risk_at"),
    ("resolution", "breached"): ("resolution_breached_at", "resolution_due"),
}
"""Per clock and mark: the column stamped once, and the instant it is due at."""


def clock_start(session: Session, *, record: OutcomeRecord) -> tuple[datetime, str | None] | None:
    """When the ticket's clocks start (when DeskRoute received it) and the customer's tier, in
    one statement; None for an unknown ticket. The tier comes from the reviewer's package when
    there is one, else from the CRM (an unknown sender has none)."""
    known_tier = (
        record.escalation.customer.tier
        if record.escalation is not None and record.escalation.customer is not None
        else None
    )
    tier: Any = (
        core_select(col(Customer.tier))
        .where(col(Customer.id) == record.customer_id)
        .scalar_subquery()
    )
    row = (
        session.connection()
        .execute(
            core_select(col(Ticket.received_at), tier).where(col(Ticket.id) == record.ticket_id)
        )
        .first()
    )
    if row is None:
        return None
    return row[0], known_tier or row[1]


def start_clock(session: Session, *, record: OutcomeRecord, policy: SlaPolicy) -> None:
    """The clocks of a routed or escalated ticket, from when DeskRoute received it; none for a
    duplicate that joined an open ticket (that ticket's clocks run)."""
    if record.duplicate_of is not None:
        return
    start = clock_start(session, record=record)
    if start is None:
        return
    started_at, tier = start
    planned = plan(policy, tier=tier, priority=record.priority, start=started_at)
    due = planned.due
    session.connection().execute(
        _INSERT,
        {
            "ticket_id": record.ticket_id,
            "priority": record.priority,
            "tier": tier,
            "queue": record.queue,
            "calendar": planned.calendar,
            "open": True,
            "started_at": started_at,
            "first_response_risk_at": due.first_response_risk_at,
            "first_response_due": due.first_response_due,
            "resolution_risk_at": due.resolution_risk_at,
            "resolution_due": due.resolution_due,
            "updated_at": record.created_at,
        },
    )


def clocks_of(session: Session, *, ticket_ids: Iterable[str]) -> dict[str, SlaClock]:
    ids = list(dict.fromkeys(ticket_ids))
    if not ids:
        return {}
    rows = session.exec(select(SlaClock).where(col(SlaClock.ticket_id).in_(ids)))
    return {row.ticket_id: row for row in rows}


def locked_clock(session: Session, *, ticket_id: str, now: datetime) -> SlaClock | None:
    """The ticket's clock, locked for this transaction; None if it has none.

    The lock is a write (`updated_at`): on PostgreSQL it locks the row, on SQLite it takes the
    write lock before anything is read, so a concurrent writer cannot leave this transaction
    reading a stale snapshot it then cannot write from."""
    touched = session.connection().execute(
        update(SlaClock).where(col(SlaClock.ticket_id) == ticket_id).values(updated_at=now)
    )
    if not touched.rowcount:
        return None
    return session.get(SlaClock, ticket_id, populate_existing=True)


def log_event(
    session: Session,
    *,
    ticket_id: str,
    kind: str,
    at: datetime,
    note: str | None,
    changed: bool,
    now: datetime,
) -> None:
    """Keep a helpdesk event, beside the clock change it caused."""
    session.add(
        SlaEvent(ticket_id=ticket_id, kind=kind, at=at, note=note, changed=changed, recorded_at=now)
    )


def record_first_response(clock: SlaClock, *, at: datetime) -> bool:
    """The first answer to the customer; False if one was recorded already."""
    if clock.first_response_at is not None:
        return False
    clock.first_response_at = at
    return True


def resolve(clock: SlaClock, *, at: datetime) -> bool:
    """Stops both clocks (a resolution answers the customer too); False if already resolved."""
    if not clock.open:
        return False
    clock.open = False
    clock.resolved_at = at
    clock.paused_since = None
    if clock.first_response_at is None:
        clock.first_response_at = at
    return True


def pause(clock: SlaClock, *, at: datetime) -> bool:
    """The ticket waits on the customer; False if it already did."""
    if clock.paused_since is not None:
        return False
    clock.paused_since = at
    return True


def restart(clock: SlaClock, *, due: DueTimes) -> bool:
    """The clocks run again (after a pause or a reopening) towards the moved due times."""
    clock.open = True
    clock.paused_since = None
    clock.resolved_at = None
    clock.first_response_risk_at = due.first_response_risk_at
    clock.first_response_due = due.first_response_due
    clock.resolution_risk_at = due.resolution_risk_at
    clock.resolution_due = due.resolution_due
    return True


def set_priority(session: Session, *, ticket_id: str, priority: str, at: datetime) -> None:
    """The priority a reaction raised the ticket to (its targets stay as they were)."""
    session.connection().execute(
        update(SlaClock)
        .where(col(SlaClock.ticket_id) == ticket_id)
        .values(priority=priority, updated_at=at)
    )


def _running() -> Any:
    return and_(col(SlaClock.open).is_(True), col(SlaClock.paused_since).is_(None))


def _unanswered(clock: ClockName) -> Any:
    return col(SlaClock.first_response_at).is_(None) if clock == "first_response" else true()


def _due(clock: ClockName, mark: Mark, now: datetime) -> Any:
    stamp, instant = _STAMPS[(clock, mark)]
    return and_(
        _unanswered(clock),
        col(getattr(SlaClock, stamp)).is_(None),
        col(getattr(SlaClock, instant)) <= now,
    )


def due_marks(session: Session, *, now: datetime, limit: int) -> list[SlaClock]:
    """Running clocks with a warning or breach due and not yet stamped, oldest start first."""
    due = or_(*(_due(clock, mark, now) for clock, mark in _STAMPS))
    rows = session.exec(
        select(SlaClock).where(_running(), due).order_by(col(SlaClock.started_at)).limit(limit)
    )
    return list(rows)


def marks_due(clock: SlaClock, *, now: datetime) -> list[tuple[ClockName, Mark]]:
    """Which of a running clock's marks are due at `now` and not yet stamped, in order (the
    same test as `due_marks`, on a row already read)."""
    found: list[tuple[ClockName, Mark]] = []
    for (name, mark), (stamp, instant) in _STAMPS.items():
        if name == "first_response" and clock.first_response_at is not None:
            continue
        due: datetime | None = getattr(clock, instant)
        if getattr(clock, stamp) is None and due is not None and due <= now:
            found.append((name, mark))
    return found


def stamp(
    session: Session, *, ticket_id: str, clock: ClockName, mark: Mark, now: datetime
) -> SlaClock | None:
    """Stamp one warning or breach, if it is still due and unstamped: the condition is in the
    UPDATE, so of two sweeps at once exactly one stamps it. The clock as stamped, or None when
    another sweep was first (or an event stopped the clock meanwhile)."""
    column, _instant = _STAMPS[(clock, mark)]
    result = session.connection().execute(
        update(SlaClock)
        .where(col(SlaClock.ticket_id) == ticket_id, _running(), _due(clock, mark, now))
        .values({column: now, "updated_at": now})
    )
    if not result.rowcount:
        return None
    return session.get(SlaClock, ticket_id, populate_existing=True)
