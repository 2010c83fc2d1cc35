"""The helpdesk's events on a ticket (`POST /v1/tickets/{id}/events`, `deskroute tickets
event`): a first response and a resolution satisfy the clocks, waiting on the customer stops
them until the customer replies, a reopening starts the resolution clock again.

Repeats are harmless (a second `resolved` answers as the first did); an event the ticket's
state contradicts (reopening an open ticket) is a `ConflictError`.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from deskroute.errors import BadInputError, ConflictError, NotFoundError
from deskroute.models.ownership import SlaInfo
from deskroute.models.ticket_events import TicketEventIn
from deskroute.policies.sla import ALWAYS, SlaPolicy
from deskroute.runtime import Workspace
from deskroute.sla.calendar import Calendar, calendar_named
from deskroute.sla.clocks import info_of, moved_due
from deskroute.store import sla as sla_store
from deskroute.store.assignments import note_ticket_event
from deskroute.store.db import transaction
from deskroute.store.tables import SlaClock, Ticket

SKEW = timedelta(minutes=2)
"""How far in the future an event's time may lie: the helpdesk's clock may run a little ahead."""


def record_event(ws: Workspace, ticket_id: str, event: TicketEventIn) -> SlaInfo:
    """Apply one event to the ticket's clocks, in one transaction; the clocks as they stand
    after it."""
    now = ws.deps.clock()
    at = event.at or now
    if at > now + SKEW:
        raise BadInputError(f"{at.isoformat()} is in the future", field="at", code="future")
    with transaction(ws.engine) as session:
        clock = sla_store.locked_clock(session, ticket_id=ticket_id, now=now)
        if clock is None:
            ticket = session.get(Ticket, ticket_id)
            if ticket is None:
                raise NotFoundError(f"no ticket {ticket_id!r}")
            raise ConflictError(
                f"ticket {ticket_id} has no SLA clocks: it is not routed yet, or it repeats "
                "an open ticket whose clocks run for both"
            )
        ticket = session.get(Ticket, ticket_id)
        if ticket is not None and at < ticket.created_at:
            raise BadInputError(
                f"{at.isoformat()} is before the ticket was created "
                f"({ticket.created_at.isoformat()})",
                field="at",
                code="before_ticket",
            )
        changed = _apply(ws.policies.sla, clock, event, at)
        sla_store.log_event(
            session,
            ticket_id=ticket_id,
            kind=event.kind,
            at=at,
            note=event.note,
            changed=changed,
            now=now,
        )
        match event.kind:
            case "first_response" | "resolved" | "reopened":
                # The owner's capacity follows: a resolved ticket frees a place.
                note_ticket_event(session, ticket_id=ticket_id, kind=event.kind, at=at)
        return info_of(clock)


def _apply(policy: SlaPolicy, clock: SlaClock, event: TicketEventIn, at: datetime) -> bool:
    """Change the clock as the event says; False when it was so already (a repeat)."""
    match event.kind:
        case "first_response":
            return sla_store.record_first_response(clock, at=at)
        case "resolved":
            return sla_store.resolve(clock, at=at)
        case "waiting_on_customer":
            if not clock.open:
                raise ConflictError(f"ticket {clock.ticket_id} is resolved: reopen it first")
            return sla_store.pause(clock, at=at)
        case "customer_replied":
            if not clock.open or clock.paused_since is None:
                return False  # a reply to a running clock changes nothing
            return _restart(policy, clock, stopped=clock.paused_since, at=at, what="the pause")
        case "reopened":
            if clock.open or clock.resolved_at is None:
                raise ConflictError(f"ticket {clock.ticket_id} is not resolved")
            return _restart(policy, clock, stopped=clock.resolved_at, at=at, what="the resolution")


def _restart(
    policy: SlaPolicy, clock: SlaClock, *, stopped: datetime, at: datetime, what: str
) -> bool:
    """The clocks run again from `at`, with the working time they had left at `stopped`."""
    if at < stopped:
        raise BadInputError(
            f"{at.isoformat()} is before {what} it ends ({stopped.isoformat()})",
            field="at",
            code="before_stop",
        )
    due = moved_due(_calendar(policy, clock), clock, stopped=stopped, resumed=at)
    return sla_store.restart(clock, due=due)


def _calendar(policy: SlaPolicy, clock: SlaClock) -> Calendar:
    """The calendar the clock started on; if the policy no longer has it, its tier's now."""
    if clock.calendar in policy.calendars or clock.calendar == ALWAYS:
        return calendar_named(policy, clock.calendar)
    return calendar_named(policy, policy.tier(clock.tier).calendar)
