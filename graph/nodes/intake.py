"""Intake: is this ticket a repeat of one of the sender's open tickets?"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from langgraph.runtime import Runtime
from sqlmodel import Session

from deskroute.duplicates import THRESHOLD, duplicate_score, fingerprint
from deskroute.models.ticket import Channel
from deskroute.store.duplicates import open_tickets_of_sender, raw_body_of
from graph.context import Deps
from graph.state import RouteState
from graph.timing import timed


@timed("intake")
def intake(state: RouteState, runtime: Runtime[Deps]) -> dict[str, Any]:
    """Link to the first open ticket whose text this one repeats (see `similarity`)."""
    deps = runtime.context
    ticket = state["ticket"]
    window = timedelta(hours=deps.policies.intake.duplicate_window_hours)
    with Session(deps.engine) as session:
        candidates = open_tickets_of_sender(
            session, ticket=ticket, since=ticket.created_at - window
        )
        if not candidates:
            return {"duplicate_of": None}
        raw = raw_body_of(session, ticket_id=ticket.id) or ticket.body
    new = fingerprint(
        subject=ticket.subject,
        body=ticket.body,
        raw_body=raw,
        is_email=ticket.channel == Channel.EMAIL,
    )
    repeated = [
        c
        for c in candidates
        if duplicate_score(
            fingerprint(
                subject=c.subject,
                body=c.body,
                raw_body=c.raw_body,
                is_email=c.channel == Channel.EMAIL,
            ),
            new,
        )
        >= THRESHOLD
    ]
    first = min(repeated, key=lambda c: (c.created_at, c.id), default=None)
    return {"duplicate_of": first.id if first is not None else None}
