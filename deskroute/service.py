"""The service layer: every entry point (CLI, HTTP) submits and routes tickets through here."""

from __future__ import annotations

import hashlib
import logging
import threading
from collections.abc import Mapping
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from typing import Any

from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlmodel import Session

from deskroute.assignment.service import hand_to_agent
from deskroute.errors import BadInputError, ConflictError, NotFoundError, did_you_mean
from deskroute.escalation import failure_outcome
from deskroute.intake.at_rest import AtRestRedactor
from deskroute.intake.email import ParsedEmail
from deskroute.intake.normalize import fit_text, normalize_body, normalize_subject
from deskroute.intake.prepare import Stored, prepare_stored
from deskroute.intake.validate import parse_ticket
from deskroute.models.outcome import OutcomeRecord, ReasonDetail
from deskroute.models.outcome_query import OutcomeQuery
from deskroute.models.ticket import NOTES_KEY, TicketIn, TicketStatus, TicketView
from deskroute.runtime import Workspace
from deskroute.store import messages as message_store
from deskroute.store import tickets as ticket_store
from deskroute.store.db import ping, transaction
from deskroute.store.outcomes import (
    latest_outcome,
    list_outcomes,
    save_outcome,
    ticket_with_outcome,
    with_sla,
)
from deskroute.store.tables import Ticket, TicketMessage
from deskroute.store.types import utcnow

log = logging.getLogger(__name__)

_SQLITE_WRITES = threading.Lock()


def _intake_write_turn(ws: Workspace) -> AbstractContextManager[object]:
    """SQLite takes one writer at a time. Request threads of one process wait for their turn
    here, in order, rather than in SQLite's busy handler, whose growing sleeps would make the
    slowest answers of a busy server ten times slower than the rest."""
    return _SQLITE_WRITES if ws.engine.dialect.name == "sqlite" else nullcontext()


@dataclass(frozen=True)
class Submitted:
    ticket: TicketView
    created: bool
    """False when the same source and external id were submitted before."""


@dataclass(frozen=True)
class Attached:
    ticket: TicketView
    """The ticket whose thread the message continues; it is not routed again."""
    created: bool
    """False when the same message was attached before."""


def submit_ticket(
    ws: Workspace, data: Mapping[str, Any] | TicketIn, *, idempotency_key: str | None = None
) -> Submitted | Attached:
    """Validate, normalise and store a ticket (status `received`) before anything routes it.

    A repeat of the same source and external id, or of the same idempotency key, returns the
    first ticket. New content under a known external id is a follow-up: it joins that
    ticket's thread (`Attached`). A key reused for a different ticket is a `ConflictError`.
    Nothing a caller sends is silently dropped.
    """
    ticket_in = parse_ticket(data, ws.policies.intake)
    stored = prepare_stored(
        ticket_in,
        ws.policies.intake,
        max_raw_bytes=ws.settings.max_request_bytes,
        redact=ws.settings.redact_at_rest,
    )
    if ticket_in.external_id and ticket_in.source is None:
        # The unique index cannot see repeats without a source (NULLs differ): look first.
        if (existing := _existing(ws, ticket_in, stored, idempotency_key)) is not None:
            return existing
    try:
        with _intake_write_turn(ws), transaction(ws.engine) as session:
            ticket_store.insert_ticket(
                session,
                view=stored.view,
                raw_body=stored.raw_body,
                meta=stored.meta,
                idempotency_key=idempotency_key,
                received_at=ws.deps.clock(),
            )
    except IntegrityError:
        # The unique external id or key was taken, by an earlier or a concurrent submit.
        # (Inserting first keeps the common case, a new ticket, at one statement.)
        if (existing := _existing(ws, ticket_in, stored, idempotency_key)) is not None:
            return existing
        raise
    return Submitted(ticket=stored.view, created=True)


def submit_email(
    ws: Workspace, email: ParsedEmail, *, source: str, idempotency_key: str | None = None
) -> Submitted | Attached:
    """A new ticket, or a reply (In-Reply-To / References) added to the ticket it continues."""
    fields = email.ticket_fields(source)
    parse_ticket(fields, ws.policies.intake)  # the same checks whichever way it goes
    with Session(ws.engine) as session:
        if email.message_id:
            if row := ticket_store.find_by_external_id(
                session, source=source, external_id=email.message_id
            ):
                return Submitted(ticket=ticket_store.view_of(row), created=False)
            if known := message_store.find_message(
                session, source=source, message_id=email.message_id
            ):
                return Attached(ticket=_view(session, known.ticket_id), created=False)
        thread = message_store.thread_ticket_id(
            session, source=source, message_ids=email.thread_ids
        )
        if thread is None:
            return submit_ticket(ws, fields, idempotency_key=idempotency_key)
        view = _view(session, thread)
    return _attach(
        ws,
        view,
        source=source,
        message_id=email.message_id,
        sender=email.sender,
        subject=email.subject,
        body=normalize_body(email.text, is_email=True, subject=email.subject),
        meta=email.meta(),
    )


def _attach(
    ws: Workspace,
    ticket: TicketView,
    *,
    source: str | None,
    message_id: str | None,
    sender: str | None,
    subject: str,
    body: str,
    meta: dict[str, Any],
    notes: list[str] | None = None,
) -> Attached:
    """Add a message to a ticket's thread; (source, message id) is attached once. It is
    redacted at rest if so set, and a body over the limit is cut; its metadata notes both."""
    notes = list(notes or [])
    if ws.settings.redact_at_rest:
        redactor = AtRestRedactor()
        subject, body, meta = redactor.text(subject), redactor.text(body), redactor.value(meta)
        notes += redactor.notes()
    body, cut = fit_text(body, ws.policies.intake.max_body_bytes)
    notes += cut
    if notes:
        meta = {**meta, NOTES_KEY: notes}
    try:
        with _intake_write_turn(ws), transaction(ws.engine) as session:
            message_store.add_message(
                session,
                ticket_id=ticket.id,
                source=source,
                message_id=message_id,
                sender=sender,
                subject=normalize_subject(subject),
                body=body,
                received_at=utcnow(),
                meta=meta,
            )
    except IntegrityError:
        # The same message, posted twice at once: the other request attached it.
        return Attached(ticket=ticket, created=False)
    return Attached(ticket=ticket, created=True)


def _follow_up(ws: Workspace, first: TicketView, ticket_in: TicketIn, stored: Stored) -> Attached:
    """New content under a known external id, e.g. a helpdesk's follow-up on its ticket,
    joins that ticket's thread. Its id is the external id and a digest of everything sent,
    so the same follow-up sent again is attached once (looked up first: without a source the
    unique index cannot see it)."""
    digest = hashlib.sha256(ticket_in.model_dump_json().encode("utf-8")).hexdigest()[:32]
    message_id = f"{ticket_in.external_id}#{digest}"
    with Session(ws.engine) as session:
        if message_store.find_message(session, source=first.source, message_id=message_id):
            return Attached(ticket=first, created=False)
    return _attach(
        ws,
        first,
        source=first.source,
        message_id=message_id,
        sender=stored.view.customer_email,
        subject=stored.view.subject,
        body=stored.view.body,
        meta={
            "channel": stored.view.channel.value,
            "customer_id": stored.view.customer_id,
            "metadata": {k: v for k, v in stored.meta.items() if k != NOTES_KEY},
        },
        notes=stored.view.notes,
    )


def _view(session: Session, ticket_id: str) -> TicketView:
    row = session.get(Ticket, ticket_id)
    if row is None:
        raise NotFoundError(f"no ticket {ticket_id!r}")
    return ticket_store.view_of(row)


@dataclass(frozen=True)
class TicketDetail:
    ticket: Ticket
    messages: list[TicketMessage]
    outcome: OutcomeRecord | None


def ticket_detail(ws: Workspace, ticket_id: str) -> TicketDetail:
    """A stored ticket with its later messages and latest outcome (None while routing)."""
    with Session(ws.engine) as session:
        found = ticket_with_outcome(session, ticket_id=ticket_id)
        if found is None:
            raise NotFoundError(f"no ticket {ticket_id!r}")
        row, outcome = found
        return TicketDetail(
            ticket=row,
            messages=message_store.list_messages(session, ticket_id=ticket_id),
            outcome=outcome,
        )


def find_outcomes(
    ws: Workspace, query: OutcomeQuery, *, refuse_unknown_names: bool = False
) -> tuple[int, list[OutcomeRecord]]:
    """Outcome records newest first, filtered; (total matching, page).

    With `refuse_unknown_names`, a filter that matches nothing because its category or queue is
    not in the policies (a typo, most likely) is a `BadInputError` listing the known ones,
    rather than an empty page. A name the policies no longer know, but older records carry,
    still finds them."""
    with Session(ws.engine) as session:
        total, page = list_outcomes(session, query=query)
    if refuse_unknown_names and total == 0:
        check_names(ws, category=query.category, queue=query.queue)
    return total, page


def check_names(ws: Workspace, *, category: str | None, queue: str | None) -> None:
    """A `BadInputError` listing the known ones for a category or queue the policies do not
    know (a typo, most likely)."""
    known = {"category": ws.policies.taxonomy.categories.keys(), "queue": ws.policies.queues}
    for option, value in (("category", category), ("queue", queue)):
        names = known[option]
        if value is not None and value not in names:
            raise BadInputError(
                f"unknown {option} {value!r}{did_you_mean(value, names)}; "
                f"known: {', '.join(sorted(names))}",
                field=option,
                code=f"unknown_{option}",
            )


def find_outcome(ws: Workspace, ticket_id: str) -> OutcomeRecord | None:
    """The ticket's latest outcome; None while it waits for routing (or is unknown)."""
    with Session(ws.engine) as session:
        return latest_outcome(session, ticket_id=ticket_id)


def ticket_status(ws: Workspace, ticket_id: str) -> TicketStatus:
    with Session(ws.engine) as session:
        status = ticket_store.status_of(session, ticket_id=ticket_id)
    if status is None:
        raise NotFoundError(f"no ticket {ticket_id!r}")
    return status


def store_reachable(ws: Workspace) -> bool:
    """Whether the store answers a trivial query (readiness); why not is logged."""
    try:
        ping(ws.engine)
    except SQLAlchemyError:
        log.warning("the store is unreachable", exc_info=True)
        return False
    return True


def _same_ticket(row: Ticket, ticket_in: TicketIn, stored: Stored) -> bool:
    """Whether a stored ticket is this submission again: every field the caller sent, as it
    was stored (a language or time the caller left out was filled in, and is not compared)."""
    view = stored.view
    language_same = (
        row.language_source == "given" and row.language == ticket_in.language
        if ticket_in.language
        else row.language_source != "given"
    )
    return (
        language_same
        and (ticket_in.created_at is None or row.created_at == view.created_at)
        and (row.channel, row.subject, row.raw_body, row.meta)
        == (view.channel.value, view.subject, stored.raw_body, stored.meta)
        and (row.customer_id, row.customer_email, row.external_id, row.source)
        == (view.customer_id, view.customer_email, view.external_id, view.source)
    )


def _existing(
    ws: Workspace, ticket_in: TicketIn, stored: Stored, idempotency_key: str | None
) -> Submitted | Attached | None:
    """The answer to a repeat of a stored ticket, or None if this is no repeat."""
    if not ticket_in.external_id and not idempotency_key:
        return None
    with Session(ws.engine) as session:
        if ticket_in.external_id:
            row = ticket_store.find_by_external_id(
                session, source=ticket_in.source, external_id=ticket_in.external_id
            )
            if row is not None:
                first = ticket_store.view_of(row)
                if not _same_ticket(row, ticket_in, stored):
                    return _follow_up(ws, first, ticket_in, stored)
                return Submitted(ticket=first, created=False)
        if idempotency_key:
            row = ticket_store.find_by_idempotency_key(session, key=idempotency_key)
            if row is not None:
                if not _same_ticket(row, ticket_in, stored):
                    raise ConflictError(
                        f"this idempotency key was already used for ticket {row.id}, "
                        "with different content",
                        field="Idempotency-Key",
                    )
                return Submitted(ticket=ticket_store.view_of(row), created=False)
    return None


def route_ticket(ws: Workspace, ticket: TicketView, *, dedupe: bool = True) -> OutcomeRecord:
    """Run the graph. If it fails for any reason, the ticket still gets a human owner.
    `dedupe=False` routes it as a new ticket, whatever open ticket it repeats."""
    try:
        return _with_clocks(ws, hand_to_agent(ws, ws.run_graph(ticket, dedupe=dedupe)))
    except ConflictError:
        return get_outcome(ws, ticket.id)
    except Exception as exc:  # noqa: BLE001 - any failure must still give the ticket an owner
        log.exception("routing failed for ticket %s", ticket.id)
        try:
            return _with_clocks(ws, record_failure(ws, ticket, exc))
        except ConflictError:
            # The run stored its outcome before it failed (as it paused for review): that
            # outcome stands, and a review starts the paused run afresh from it.
            return get_outcome(ws, ticket.id)


def _with_clocks(ws: Workspace, record: OutcomeRecord) -> OutcomeRecord:
    """The record as a read returns it: with the SLA clocks its routing started."""
    with Session(ws.engine) as session:
        return with_sla(session, [record])[0]


def record_failure(ws: Workspace, ticket: TicketView, exc: BaseException) -> OutcomeRecord:
    """Write an `internal_error` escalation for a ticket the graph dropped, so it still has a
    human owner."""
    record = failure_outcome(
        ticket,
        ReasonDetail(reason="internal_error", detail=f"{type(exc).__name__}: {exc}"[:500]),
        policies=ws.policies,
        prompt=ws.deps.escalation_prompt,
        now=ws.deps.clock(),
    )
    with transaction(ws.engine) as session:
        save_outcome(session, record=record, sla=ws.policies.sla, assignment=ws.policies.assignment)
    return record


def route_new(
    ws: Workspace, data: Mapping[str, Any] | TicketIn, *, dedupe: bool = True
) -> tuple[Submitted | Attached, OutcomeRecord]:
    """Submit and route; a resubmitted external id, or a follow-up under it, returns the first
    ticket's outcome. `dedupe=False` skips the duplicate check (see `route_ticket`)."""
    submitted = submit_ticket(ws, data)
    if not submitted.created or isinstance(submitted, Attached):
        with Session(ws.engine) as session:
            existing = latest_outcome(session, ticket_id=submitted.ticket.id)
        if existing is not None:
            return submitted, existing
    return submitted, route_ticket(ws, submitted.ticket, dedupe=dedupe)


def get_outcome(ws: Workspace, ticket_id: str) -> OutcomeRecord:
    with Session(ws.engine) as session:
        record = latest_outcome(session, ticket_id=ticket_id)
    if record is None:
        raise NotFoundError(f"no outcome for ticket {ticket_id!r}")
    return record
