"""The one write path for outcome records and their actions, and the queries that read them."""

from __future__ import annotations

from typing import cast

from sqlalchemy import bindparam, insert
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, func, select

from deskroute.errors import ConflictError
from deskroute.models.outcome import OutcomeRecord
from deskroute.models.outcome_query import OutcomeQuery
from deskroute.models.ticket import FinalStatus
from deskroute.outbox.events import decision_kind, decision_payload
from deskroute.policies.assignment import AssignmentPolicy
from deskroute.policies.sla import SlaPolicy
from deskroute.sla.clocks import info_of
from deskroute.store import reviews
from deskroute.store import sla as sla_store
from deskroute.store.assignments import info_for, open_assignment
from deskroute.store.outbox import add_event
from deskroute.store.tables import Action, Customer, Outcome, Ticket
from deskroute.store.tickets import close_routing, set_reviewed

# Built once: constructing SQLAlchemy statements costs more than running them on this path.
_INSERT_OUTCOME = insert(Outcome).returning(col(Outcome.id))
_INSERT_ACTION = insert(Action)
_TICKET_REFERENCE = select(
    col(Ticket.external_id),
    col(Ticket.source),
    select(col(Customer.tier)).where(Customer.id == bindparam("customer_id")).scalar_subquery(),
    col(Ticket.channel),
).where(Ticket.id == bindparam("ticket_id"))
"""The helpdesk's id of a ticket, its customer's tier and its channel, for the decision's
outbox event and the outcome's analytics columns."""
_EARLIER_USAGE = select(
    func.coalesce(func.sum(Outcome.llm_calls), 0),
    func.coalesce(func.sum(Outcome.llm_input_tokens), 0),
    func.coalesce(func.sum(Outcome.llm_output_tokens), 0),
).where(Outcome.ticket_id == bindparam("ticket_id"))
"""The LLM usage the ticket's earlier runs counted, which a reviewed record repeats."""


def save_outcome(
    session: Session,
    *,
    record: OutcomeRecord,
    sla: SlaPolicy | None,
    assignment: AssignmentPolicy,
) -> int:
    """Insert the outcome, its side-effecting actions, and close the ticket's routing (or, after
    a review, move it on); an escalated outcome enters or leaves the review queue. Routing
    starts the ticket's SLA clocks under `sla` (None: after a review, whose ticket's clocks
    run from its routing). A ticket a team must work (routed, or resolved by a review that
    needs follow-up) enters its queue's pool, waiting for an agent (`deskroute.assignment`).

    Runs inside the caller's transaction, together with the effects of executed actions and
    the decision's outbox event, so a ticket is either fully routed (and the helpdesk told) or
    not at all (and can then be routed again safely).
    """
    if record.review is None:
        status: FinalStatus = "escalated" if record.escalated else "routed"
        if not close_routing(
            session, ticket_id=record.ticket_id, status=status, category=record.category
        ):
            raise ConflictError(f"ticket {record.ticket_id} was already routed")
        round = 1
        if sla is not None:
            sla_store.start_clock(session, record=record, policy=sla)
    else:
        # A reviewed run: the ticket is escalated again (a reassigned specialist proposed an
        # action) or resolved; the queue row follows in the same transaction.
        set_reviewed(
            session,
            ticket_id=record.ticket_id,
            status="escalated" if record.state == "awaiting_review" else "resolved",
            category=record.category,
        )
        round = len(record.review.decisions) + 1
    if record.escalated:
        reviews.track(session, record=record, round=round)
    if (reason := needs_agent(record, assignment)) is not None:
        _enter_pool(session, record=record, reason=reason, assignment=assignment)
    connection = session.connection()  # Core on the session's transaction: no ORM overhead
    reference = connection.execute(
        _TICKET_REFERENCE, {"ticket_id": record.ticket_id, "customer_id": record.customer_id}
    ).first()
    external_id, source, tier, channel = (
        reference if reference is not None else (None, None, None, None)
    )
    earlier: tuple[int, ...] = (0, 0, 0)
    if record.review is not None:
        earlier = tuple(connection.execute(_EARLIER_USAGE, {"ticket_id": record.ticket_id}).one())
    # The key the database has just assigned: never NULL.
    outcome_id = cast(
        int,
        connection.execute(
            _INSERT_OUTCOME,
            {
                "ticket_id": record.ticket_id,
                "category": record.category,
                "queue": record.queue,
                "escalated": record.escalated,
                "priority": record.priority,
                "specialist": record.specialist,
                "created_at": record.created_at,
                # the engine's JSON serializer lets pydantic write it; `sla` and `assignment`
                # are read from their tables, never kept in it
                "record": record
                if record.sla is None and record.assignment is None
                else record.model_copy(update={"sla": None, "assignment": None}),
                **analytics_columns(record, channel=channel, tier=tier, earlier=earlier),
            },
        ).scalar_one(),
    )
    writes = [
        {
            "ticket_id": record.ticket_id,
            "outcome_id": outcome_id,
            "specialist": a.specialist,
            "tool": a.tool,
            "args": a.args,
            "status": a.status,
            "reason": a.reason,
            "result": a.result if isinstance(a.result, dict) else None,
            "created_at": record.created_at,
            "decided_at": a.decided_at,
            "decided_by": a.decided_by,
        }
        for a in record.actions
        if a.kind == "write"
    ]
    if writes:
        connection.execute(_INSERT_ACTION, writes)
    add_event(
        session,
        kind=decision_kind(record),
        ticket_id=record.ticket_id,
        payload=decision_payload(record, tier=tier, external_id=external_id, source=source),
        at=record.created_at,
    )
    return outcome_id


def analytics_columns(
    record: OutcomeRecord,
    *,
    channel: str | None,
    tier: str | None,
    earlier: tuple[int, ...] = (0, 0, 0),
) -> dict[str, object]:
    """The outcome's analytics columns. A reviewed record lists the LLM calls of the runs
    before it too (`earlier`, as those runs counted them): only the difference is this run's."""
    calls = sum(c.calls for c in record.llm) - earlier[0]
    input_tokens = sum(c.input_tokens for c in record.llm) - earlier[1]
    output_tokens = sum(c.output_tokens for c in record.llm) - earlier[2]
    return {
        "reviewed": record.review is not None,
        "channel": channel,
        "language": record.language,
        "tier": tier or _package_tier(record),
        "duplicate_of": record.duplicate_of,
        "model_version": record.classifier.model_version,
        "llm_model": record.llm[-1].model.split("+", 1)[0] if record.llm else None,
        "llm_calls": calls,
        "llm_input_tokens": input_tokens,
        "llm_output_tokens": output_tokens,
    }


def _package_tier(record: OutcomeRecord) -> str | None:
    """The tier the reviewer's package names (the CRM's, as enrichment read it)."""
    if record.escalation is not None and record.escalation.customer is not None:
        return record.escalation.customer.tier
    return None


def needs_agent(record: OutcomeRecord, policy: AssignmentPolicy) -> str | None:
    """`new` for a routed ticket (not one joined to an open ticket as its repeat), `follow_up`
    for one a reviewer resolved with a decision that needs follow-up; None for the rest (an
    escalation awaiting review belongs to the review queue)."""
    if record.state == "routed" and not record.escalated and record.duplicate_of is None:
        return "new"
    if (
        record.state == "resolved"
        and record.review is not None
        and record.review.last.action in policy.follow_up_decisions
    ):
        return "follow_up"
    return None


def _enter_pool(
    session: Session, *, record: OutcomeRecord, reason: str, assignment: AssignmentPolicy
) -> None:
    tier = None
    if record.customer_id is not None:
        tier = session.exec(select(Customer.tier).where(Customer.id == record.customer_id)).first()
    tier = tier or _package_tier(record)
    open_assignment(
        session,
        ticket_id=record.ticket_id,
        queue=record.queue,
        category=record.category,
        language=record.language or "",
        tier=tier,
        priority=record.priority,
        vip=tier in assignment.vip_tiers,
        reason=reason,
        at=record.created_at,
    )


def with_assignments(session: Session, records: list[OutcomeRecord]) -> list[OutcomeRecord]:
    """The records with their `assignment` key as it stands now."""
    infos = info_for(session, ticket_ids=[r.ticket_id for r in records])
    return [
        r.model_copy(update={"assignment": infos[r.ticket_id]}) if r.ticket_id in infos else r
        for r in records
    ]


def with_ownership(session: Session, records: list[OutcomeRecord]) -> list[OutcomeRecord]:
    """The records with their `assignment` and `sla` as they stand now."""
    return with_assignments(session, with_sla(session, records))


def _current(session: Session, record: OutcomeRecord) -> OutcomeRecord:
    return with_ownership(session, [record])[0]


def latest_outcome(session: Session, *, ticket_id: str) -> OutcomeRecord | None:
    row = session.exec(
        select(Outcome).where(Outcome.ticket_id == ticket_id).order_by(col(Outcome.id).desc())
    ).first()
    return _current(session, OutcomeRecord.model_validate(row.record)) if row else None


def with_sla(session: Session, records: list[OutcomeRecord]) -> list[OutcomeRecord]:
    """The records with their `sla` as the clocks stand now (they change after the record is
    written, so they are read, never stored in it)."""
    clocks = sla_store.clocks_of(session, ticket_ids=(r.ticket_id for r in records))
    return [
        r.model_copy(update={"sla": info_of(clocks[r.ticket_id])}) if r.ticket_id in clocks else r
        for r in records
    ]


def outcome_history(session: Session, *, ticket_id: str) -> list[OutcomeRecord]:
    """Every outcome of the ticket, oldest first: routing, then each review that followed."""
    rows = session.exec(
        select(Outcome).where(Outcome.ticket_id == ticket_id).order_by(col(Outcome.id))
    )
    return [OutcomeRecord.model_validate(r.record) for r in rows]


def ticket_with_outcome(
    session: Session, *, ticket_id: str
) -> tuple[Ticket, OutcomeRecord | None] | None:
    """The ticket and its latest outcome, read in one statement.

    Separate reads could straddle the commit that closes routing (SQLite runs each bare SELECT
    on its own snapshot, PostgreSQL's READ COMMITTED each statement): an outcome beside a ticket
    still shown as routing.
    """
    later = aliased(Outcome)
    latest = (
        select(later.id)
        .where(later.ticket_id == Ticket.id)
        .order_by(col(later.id).desc())
        .limit(1)
        .scalar_subquery()
    )
    row = session.exec(
        select(Ticket, Outcome)
        .outerjoin(Outcome, col(Outcome.id) == latest)
        .where(Ticket.id == ticket_id)
    ).first()
    if row is None:
        return None
    ticket, outcome = row
    if outcome is None:
        return ticket, None
    return ticket, _current(session, OutcomeRecord.model_validate(outcome.record))


def list_outcomes(session: Session, *, query: OutcomeQuery) -> tuple[int, list[OutcomeRecord]]:
    """Outcomes newest first, filtered; returns (total matching, page)."""
    rows = select(Outcome)
    if query.category is not None:
        rows = rows.where(Outcome.category == query.category)
    if query.queue is not None:
        rows = rows.where(Outcome.queue == query.queue)
    if query.escalated is not None:
        rows = rows.where(Outcome.escalated == query.escalated)
    if query.since is not None:
        rows = rows.where(col(Outcome.created_at) >= query.since)
    if query.until is not None:
        rows = rows.where(col(Outcome.created_at) < query.until)
    total = session.exec(select(func.count()).select_from(rows.subquery())).one()
    page = session.exec(
        rows.order_by(col(Outcome.id).desc()).offset(query.offset).limit(query.limit)
    )
    return int(total), with_ownership(
        session, [OutcomeRecord.model_validate(r.record) for r in page]
    )
