"""A reviewer flags a ticket routed without a person as misrouted: the category it belongs to
becomes a correction, the labelled example a retrain learns from, as a review's reassign does.

Only a routed ticket can be flagged: an escalated one is reviewed instead (its reassign keeps
the correction), and one a person already decided has its label from that decision. A flag
is the correction of the routing itself, round 0 of the ticket's reviews, so a ticket is
flagged once; a second flag names the first.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from deskroute.errors import BadInputError, ConflictError, NotFoundError, did_you_mean
from deskroute.models.outcome import OutcomeRecord
from deskroute.models.review import Misroute
from deskroute.models.times import UtcDatetime
from deskroute.review.corrections import CorrectionOut, correction_out
from deskroute.runtime import Workspace
from deskroute.store import reviews
from deskroute.store import tickets as ticket_store
from deskroute.store.db import transaction
from deskroute.store.outcomes import latest_outcome
from deskroute.store.tables import Correction, Ticket

ROUTING_ROUND = 0
"""The round a misroute flag corrects: the routing, before any review (rounds 1, 2, ...)."""


class RoutedTicket(BaseModel):
    """A ticket routed without a person, as the review page shows it for a misroute flag."""

    ticket_id: str
    subject: str
    body: str
    channel: str
    customer_id: str | None
    notes: list[str]
    outcome: OutcomeRecord
    flag: CorrectionOut | None = Field(description="Its misroute flag, once flagged.")
    routed_at: UtcDatetime


def _routed(session: Session, ticket_id: str) -> tuple[Ticket, OutcomeRecord]:
    """The ticket and its routing outcome; the right error when it is not a routed one."""
    ticket = session.get(Ticket, ticket_id)
    if ticket is None:
        raise NotFoundError(f"no ticket {ticket_id!r}")
    outcome = latest_outcome(session, ticket_id=ticket_id)
    if outcome is None:
        raise ConflictError(f"ticket {ticket_id} is not routed yet (status {ticket.status})")
    if outcome.state == "awaiting_review":
        raise ConflictError(
            f"ticket {ticket_id} is escalated and waits for review: reassign it there "
            f"(deskroute review reassign {ticket_id} --category CATEGORY)"
        )
    if outcome.state == "resolved":
        last = outcome.review.last if outcome.review is not None else None
        who = f"{last.reviewer} ({last.action})" if last is not None else "a person"
        raise ConflictError(
            f"ticket {ticket_id} was decided in review by {who}: that review set its category"
        )
    return ticket, outcome


def _flag(session: Session, ticket_id: str) -> Correction | None:
    return reviews.correction_of(session, ticket_id=ticket_id, round=ROUTING_ROUND)


def _flagged(correction: Correction) -> ConflictError:
    return ConflictError(
        f"ticket {correction.ticket_id} was already flagged as misrouted by "
        f"{correction.reviewer} at {correction.created_at:%Y-%m-%d %H:%M:%S} UTC "
        f"(it belongs to {correction.category})"
    )


def routed_ticket(ws: Workspace, ticket_id: str) -> RoutedTicket:
    """A routed ticket with its outcome and misroute flag, if any."""
    with Session(ws.engine) as session:
        ticket, outcome = _routed(session, ticket_id)
        flag = _flag(session, ticket_id)
        view = ticket_store.view_of(ticket)
    return RoutedTicket(
        ticket_id=ticket_id,
        subject=view.subject,
        body=view.body,
        channel=view.channel.value,
        customer_id=view.customer_id,
        notes=view.notes,
        outcome=outcome,
        flag=correction_out(flag) if flag is not None else None,
        routed_at=outcome.created_at,
    )


def flag_misrouted(ws: Workspace, ticket_id: str, flag: Misroute) -> CorrectionOut:
    """Keep `flag` as a correction of the ticket's routing; the note joins the ticket's notes.
    `NotFoundError` for an unknown ticket, `BadInputError` naming `category` for an unknown
    one or the one it was routed to, `ConflictError` for a ticket that is not routed (waits
    for review, decided by a person, not routed yet) or was flagged already."""
    categories = ws.policies.taxonomy.categories
    if flag.category not in categories:
        raise BadInputError(
            f"unknown category {flag.category!r}{did_you_mean(flag.category, categories)}; "
            f"known: {', '.join(sorted(categories))}",
            field="category",
            code="unknown_category",
        )
    now: datetime = ws.deps.clock()
    try:
        with transaction(ws.engine) as session:
            ticket, outcome = _routed(session, ticket_id)
            if (earlier := _flag(session, ticket_id)) is not None:
                raise _flagged(earlier)
            if flag.category == outcome.category:
                raise BadInputError(
                    f"ticket {ticket_id} was routed to {flag.category}; name the category it "
                    "belongs to",
                    field="category",
                )
            correction = Correction(
                ticket_id=ticket_id,
                round=ROUTING_ROUND,
                text=ticket_store.view_of(ticket).text,
                predicted=outcome.classifier.category or outcome.category,
                confidence=outcome.confidence,
                category=flag.category,
                kind="corrected",
                reviewer=flag.reviewer,
                created_at=now,
            )
            reviews.add_correction(session, correction=correction)
            said = f"Flagged as misrouted by {flag.reviewer}: {outcome.category or 'none'} -> "
            note = said + flag.category + (f" ({flag.note})" if flag.note else "")
            ticket_store.add_note(session, ticket_id=ticket_id, note=note)
            session.flush()
            stored = correction_out(correction)
    except IntegrityError:
        # Two flags at once: the unique (ticket, round) let the other one in.
        with Session(ws.engine) as session:
            winner = _flag(session, ticket_id)
        if winner is None:
            raise
        raise _flagged(winner) from None
    return stored
