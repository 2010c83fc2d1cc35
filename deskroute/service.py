"""The service layer: every entry point (CLI, HTTP) submits and routes tickets through here."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from deskroute.errors import ConflictError, NotFoundError
from deskroute.intake.prepare import prepare_ticket
from deskroute.intake.validate import parse_ticket
from deskroute.models.outcome import (
    ClassifierInfo,
    EscalationPackage,
    OutcomeRecord,
    ReasonDetail,
)
from deskroute.models.ticket import TicketIn, TicketView
from deskroute.runtime import Workspace
from deskroute.store import tickets as ticket_store
from deskroute.store.db import transaction
from deskroute.store.outcomes import latest_outcome, save_outcome
from graph.nodes.escalate import unique_reasons

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Submitted:
    ticket: TicketView
    created: bool
    """False when the same source and external id were submitted before."""


def submit_ticket(ws: Workspace, data: Mapping[str, Any] | TicketIn) -> Submitted:
    """Validate, normalise and store a ticket (status `received`) before anything routes it."""
    ticket_in = parse_ticket(data, ws.policies.intake)
    if ticket_in.external_id and (existing := _existing(ws, ticket_in)) is not None:
        return Submitted(ticket=existing, created=False)
    view = prepare_ticket(ticket_in, ws.policies.intake)
    try:
        with transaction(ws.engine) as session:
            ticket_store.insert_ticket(
                session, view=view, raw_body=ticket_in.body, meta=ticket_in.metadata
            )
    except IntegrityError:
        # A concurrent submit of the same external id won the race; return its ticket.
        if ticket_in.external_id and (existing := _existing(ws, ticket_in)) is not None:
            return Submitted(ticket=existing, created=False)
        raise
    return Submitted(ticket=view, created=True)


def _existing(ws: Workspace, ticket_in: TicketIn) -> TicketView | None:
    with Session(ws.engine) as session:
        row = ticket_store.find_by_external_id(
            session, source=ticket_in.source, external_id=ticket_in.external_id or ""
        )
        return ticket_store.view_of(row) if row else None


def route_ticket(ws: Workspace, ticket: TicketView) -> OutcomeRecord:
    """Run the graph. If it fails for any reason, the ticket still gets a human owner."""
    try:
        state = ws.graph.invoke({"ticket": ticket}, context=ws.deps)
        return state["outcome"]
    except ConflictError:
        return get_outcome(ws, ticket.id)
    except Exception as exc:  # noqa: BLE001 - any failure must still give the ticket an owner
        log.exception("routing failed for ticket %s", ticket.id)
        return record_failure(ws, ticket, exc)


def record_failure(ws: Workspace, ticket: TicketView, exc: BaseException) -> OutcomeRecord:
    """Write an `internal_error` escalation to the triage queue for a ticket the graph dropped."""
    routing = ws.policies.routing
    reasons = unique_reasons(
        [ReasonDetail(reason="internal_error", detail=f"{type(exc).__name__}: {exc}"[:500])]
    )
    prompt = ws.deps.escalation_prompt
    response = "\n\n".join(
        [
            prompt.render("greeting", contact_name="there").strip(),
            prompt.render("internal_error", team="Support").strip(),
            prompt.render("closing", ticket_ref=ticket.id).strip(),
        ]
    )
    queue = routing.reason_queues.get("internal_error", routing.triage_queue)
    record = OutcomeRecord(
        ticket_id=ticket.id,
        category=None,
        confidence=None,
        secondary_intents=[],
        classifier=ClassifierInfo(source=None, model_version=None),
        prompt_version=prompt.version,
        path=["failure", "record"],
        specialist=None,
        queue=queue,
        priority=routing.priority["unknown"]["normal"],
        escalated=True,
        escalation_reasons=[r.reason for r in reasons],
        response=response,
        actions=[],
        timings_ms={},
        created_at=ws.deps.clock(),
        language=ticket.language,
        customer_id=ticket.customer_id,
        escalation=EscalationPackage(
            queue=queue,
            reasons=reasons,
            ticket=ticket,
            customer=None,
            signals=None,
            candidates=[],
            rule_hits=[],
            specialist_path=[],
            handoffs=[],
            proposed_actions=[],
            draft_reply=None,
        ),
    )
    with transaction(ws.engine) as session:
        save_outcome(session, record=record)
    return record


def route_new(ws: Workspace, data: Mapping[str, Any] | TicketIn) -> tuple[Submitted, OutcomeRecord]:
    """Submit and route; a resubmitted external id returns the first ticket's outcome."""
    submitted = submit_ticket(ws, data)
    if not submitted.created:
        with Session(ws.engine) as session:
            existing = latest_outcome(session, ticket_id=submitted.ticket.id)
        if existing is not None:
            return submitted, existing
    return submitted, route_ticket(ws, submitted.ticket)


def get_outcome(ws: Workspace, ticket_id: str) -> OutcomeRecord:
    with Session(ws.engine) as session:
        record = latest_outcome(session, ticket_id=ticket_id)
    if record is None:
        raise NotFoundError(f"no outcome for ticket {ticket_id!r}")
    return record
