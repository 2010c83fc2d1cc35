"""Escalation review: the queue, one escalation with its context, and a reviewer's decision
resuming the paused run. The CLI, the API and the review page all call these.

A decision is checked first (the category exists, edited arguments fit the tool's schema and
the policy's limits), then claimed for the run's current round (a unique row: of two
reviewers deciding at once, exactly one wins, the other gets a `ConflictError` naming who
decided and when), then the paused run resumes with it and carries it out.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import NoReturn

from pydantic import ValidationError
from sqlmodel import Session, col, select

from deskroute.assignment.service import hand_to_agent
from deskroute.classify.local import LocalClassifier, LocalModel
from deskroute.errors import BadInputError, ConflictError, NotFoundError, ToolError, did_you_mean
from deskroute.models.outcome import OutcomeRecord
from deskroute.models.review import Decision
from deskroute.models.review_query import ReviewQuery
from deskroute.review.decide import chosen, decide
from deskroute.review.learning import LearningItem, ScoredItem, learning_order
from deskroute.review.pause import Pause, Resume
from deskroute.review.views import (
    EscalationDetail,
    EscalationPage,
    EscalationSummary,
    MessageView,
)
from deskroute.runtime import UnavailableClassifier, Workspace
from deskroute.service import check_names
from deskroute.store import messages as message_store
from deskroute.store import reviews
from deskroute.store.db import transaction
from deskroute.store.outcomes import latest_outcome, outcome_history
from deskroute.store.tables import Escalation, ReviewDecision, Ticket
from deskroute.store.tickets import view_of
from specialists.gate import Check
from specialists.tools import TOOLS, Injected

LEARNING_POOL = 5_000
"""The learning order ranks at most this many matching escalations, the oldest."""
STALE_CLAIM = timedelta(seconds=120)
"""A claim older than this whose decision was never applied belongs to a process that died
while resuming: another reviewer may decide instead."""


def _summary(
    row: Escalation, ticket: Ticket | None, now: datetime, learning: ScoredItem | None = None
) -> EscalationSummary:
    subject = ""
    if ticket is not None:
        subject = ticket.subject or ticket.body.strip().split("\n", 1)[0][:120]
    waited_until = row.resolved_at or now  # a resolved escalation stopped waiting then
    return EscalationSummary(
        ticket_id=row.ticket_id,
        state=row.state,
        queue=row.queue,
        category=row.category,
        priority=row.priority,
        reasons=row.reasons.split(),
        primary_reason=row.primary_reason,
        escalated_at=row.escalated_at,
        waiting_minutes=max(0, int((waited_until - row.escalated_at).total_seconds() // 60)),
        subject=subject,
        customer_id=ticket.customer_id if ticket is not None else None,
        opened_by=row.opened_by if row.opened_until and row.opened_until > now else None,
        opened_until=row.opened_until if row.opened_until and row.opened_until > now else None,
        resolved_by=row.resolved_by,
        resolved_at=row.resolved_at,
        resolution=row.resolution,
        learning=learning,
    )


def list_escalations(ws: Workspace, query: ReviewQuery) -> EscalationPage:
    """A page of the queue; a queue or category the policies do not know is refused, naming
    the known ones, rather than answered with an empty page."""
    check_names(ws, category=query.category, queue=query.queue)
    now = ws.deps.clock()
    model = local_model(ws) if query.order == "learning" else None
    with Session(ws.engine) as session:
        page = reviews.list_queue(
            session, query=query, now=now, whole=LEARNING_POOL if model is not None else None
        )
        ids = [row.ticket_id for row in page.items]
        tickets = {
            t.id: t for t in session.exec(select(Ticket).where(col(Ticket.id).in_(ids))).all()
        }
    rows, scored = page.items, {}
    if model is not None:
        known = {row.ticket_id: row for row in rows if row.ticket_id in tickets}
        items = [LearningItem(key, view_of(tickets[key]).text) for key in known]
        ranked = learning_order(items, model)[query.offset : query.offset + query.limit]
        rows, scored = [known[s.key] for s in ranked], {s.key: s for s in ranked}
    return EscalationPage(
        items=[
            _summary(row, tickets.get(row.ticket_id), now, scored.get(row.ticket_id))
            for row in rows
        ],
        count=page.count,
        limit=query.limit,
        offset=query.offset,
        by_reason=page.by_reason,
        by_queue=page.by_queue,
    )


def local_model(ws: Workspace) -> LocalModel:
    """The trained model routing uses; a `ConflictError` saying why when none is loaded."""
    local = ws.deps.cascade.local
    if isinstance(local, LocalClassifier):
        return local.model
    why = local.reason if isinstance(local, UnavailableClassifier) else type(local).__name__
    raise ConflictError(f"the learning order needs the local model, which is not loaded: {why}")


def open_escalation(
    ws: Workspace, ticket_id: str, *, reviewer: str | None = None
) -> EscalationDetail:
    """One escalation with its whole context. A `reviewer` opening a ticket awaiting review
    takes its soft lock (others see who has it open) unless someone else holds it."""
    now = ws.deps.clock()
    hold = timedelta(seconds=ws.settings.review_lock_seconds)
    with transaction(ws.engine) as session:
        row = (
            reviews.open_for(session, ticket_id=ticket_id, reviewer=reviewer, now=now, hold=hold)
            if reviewer
            else reviews.escalation(session, ticket_id=ticket_id)
        )
        if row is None:
            _not_escalated(session, ticket_id)
        ticket = session.get(Ticket, ticket_id)
        history = outcome_history(session, ticket_id=ticket_id)
        messages = message_store.list_messages(session, ticket_id=ticket_id)
    if ticket is None or not history:
        raise NotFoundError(f"no escalated ticket {ticket_id!r}")
    return EscalationDetail(
        summary=_summary(row, ticket, now),
        body=ticket.body,
        channel=ticket.channel,
        customer_email=ticket.customer_email,
        messages=[
            MessageView(sender=m.sender, subject=m.subject, body=m.body, received_at=m.received_at)
            for m in messages
        ],
        outcome=history[-1],
        history=history,
    )


def _not_escalated(session: Session, ticket_id: str) -> NoReturn:
    """Raise the right error for a ticket that is not in the review queue."""
    ticket = session.get(Ticket, ticket_id)
    if ticket is None:
        raise NotFoundError(f"no ticket {ticket_id!r}")
    raise ConflictError(f"ticket {ticket_id} is not escalated (status {ticket.status})")


def resolve(ws: Workspace, ticket_id: str, decision: Decision) -> OutcomeRecord:
    """Carry out a reviewer's decision on an escalated ticket; the outcome it leads to."""
    with Session(ws.engine) as session:
        row = reviews.escalation(session, ticket_id=ticket_id)
        if row is None:
            _not_escalated(session, ticket_id)
        if row.state != "awaiting_review":
            ws.prune(ticket_id)  # a run that died after its decision's commit left its pause
            raise _resolved(row)
        outcome = latest_outcome(session, ticket_id=ticket_id)
        ticket_row = session.get(Ticket, ticket_id)
    if outcome is None or ticket_row is None:
        raise NotFoundError(f"no outcome for ticket {ticket_id!r}")
    edited = _checked(ws, outcome, decision, ticket_row)
    pause = _paused(ws, ticket_id, outcome, ticket_row)
    _claim(ws, ticket_id, pause.round, decision)
    try:
        interrupt_id = _interrupt_id(ws, ticket_id, pause.round)
        result = ws.resume(ticket_id, interrupt_id, Resume(decision=decision, edited=edited))
    except ToolError as exc:
        _release(ws, ticket_id, pause.round)
        raise ConflictError(f"the decision could not be carried out: {exc}") from exc
    except BaseException:
        _release(ws, ticket_id, pause.round)
        raise
    with Session(ws.engine) as session:
        after = latest_outcome(session, ticket_id=ticket_id) or result or outcome
    return hand_to_agent(ws, after)


def _checked(
    ws: Workspace, outcome: OutcomeRecord, decision: Decision, ticket: Ticket
) -> dict[int, dict[str, object]]:
    """Refuse a decision that does not fit the ticket (`BadInputError` naming the field);
    the edited action's arguments as its tool's schema parses them."""
    categories = ws.policies.taxonomy.categories
    if decision.action == "reassign":
        category = decision.category or ""
        if category not in categories:
            raise BadInputError(
                f"unknown category {category!r}{did_you_mean(category, categories)}; "
                f"known: {', '.join(sorted(categories))}",
                field="category",
                code="unknown_category",
            )
        return {}
    if decision.category is not None and decision.category != outcome.category:
        raise BadInputError("only reassign changes the category", field="category")
    edited: dict[int, dict[str, object]] = {}
    if decision.action == "edit" and decision.args is not None:
        place = chosen(outcome, decision)
        if place is None:
            raise BadInputError(
                "no action is proposed: there are no arguments to edit", field="args"
            )
        edited[place] = _valid_args(ws, outcome, place, decision, ticket)
    elif decision.args is not None:
        raise BadInputError(f"{decision.action} takes no args; use edit", field="args")
    now = ws.deps.clock()
    decide(
        outcome,
        decision,
        round=0,
        now=now,
        prompt=ws.deps.escalation_prompt,
        company=ws.deps.company,
        args=edited,
    )
    return edited


def _valid_args(
    ws: Workspace, outcome: OutcomeRecord, place: int, decision: Decision, ticket: Ticket
) -> dict[str, object]:
    action = outcome.actions[place]
    tool = TOOLS[action.tool]
    merged = {**action.args, **(decision.args or {})}
    try:
        parsed = tool.args.model_validate(merged)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise BadInputError(
            f"{action.tool}: {first['msg']}", field=f"args.{where}" if where else "args"
        ) from exc
    if (question := parsed.open_question()) is not None:
        raise BadInputError(f"{action.tool} is still open: {question}", field="args")
    policy = ws.deps.specialists[action.specialist].policy
    view = view_of(ticket)
    customer = outcome.escalation.customer if outcome.escalation is not None else None
    env = Injected.for_ticket(view, customer, now=ws.deps.clock())
    with Session(ws.engine) as session:
        try:
            tool.run(session, env, parsed)
        except ToolError as exc:
            raise BadInputError(f"{action.tool}: {exc}", field="args") from exc
        if tool.limit is not None and (why := tool.limit(parsed, Check(session, env, policy))):
            raise BadInputError(f"{action.tool}: {why}", field="args", code="over_limit")
    clean: dict[str, object] = parsed.model_dump(mode="json")
    return clean


def _paused(ws: Workspace, ticket_id: str, outcome: OutcomeRecord, ticket: Ticket) -> Pause:
    """Where the ticket's run waits; a ticket awaiting review without a paused run (its
    routing failed, or pausing was off) gets one first."""
    waiting = ws.pending(ticket_id)
    if not waiting:
        # Or another reviewer's decision has just been carried out: its run no longer waits,
        # and a run started now would decide the ticket a second time.
        with Session(ws.engine) as session:
            row = reviews.escalation(session, ticket_id=ticket_id)
        if row is not None and row.state != "awaiting_review":
            raise _resolved(row)
        ws.hold(view_of(ticket), outcome)
        waiting = ws.pending(ticket_id)
    if len(waiting) != 1:
        raise ConflictError(f"ticket {ticket_id} has {len(waiting)} pending reviews, not one")
    return Pause.model_validate(waiting[0].value)


def _interrupt_id(ws: Workspace, ticket_id: str, round: int) -> str:
    """The pending review of the claimed round (not one that followed it meanwhile)."""
    for waiting in ws.pending(ticket_id):
        if Pause.model_validate(waiting.value).round == round:
            return waiting.id
    raise ConflictError(f"ticket {ticket_id} has no pending review of round {round} to resume")


def _resolved(row: Escalation) -> ConflictError:
    return ConflictError(
        f"ticket {row.ticket_id} was already resolved by {row.resolved_by} at "
        f"{row.resolved_at:%Y-%m-%d %H:%M:%S} UTC ({row.resolution})"
    )


def _claim(ws: Workspace, ticket_id: str, round: int, decision: Decision) -> None:
    """Claim the round for this decision; a `ConflictError` naming whoever has it."""
    now = ws.deps.clock()
    with Session(ws.engine) as session:
        earlier = reviews.claimed(session, ticket_id=ticket_id, round=round)
    if earlier is not None:
        if earlier.applied_at is not None:
            raise _decided(ticket_id, earlier)
        if earlier.reviewer != decision.reviewer and now - earlier.decided_at < STALE_CLAIM:
            raise _deciding(ticket_id, earlier)
        # The same reviewer again, or a claim whose process never carried it out.
        _release(ws, ticket_id, round)
    try:
        with transaction(ws.engine) as session:
            reviews.claim(session, ticket_id=ticket_id, round=round, decision=decision, now=now)
    except ConflictError:
        # The unique (ticket, round) refused a concurrent claim: name the one that won.
        with Session(ws.engine) as session:
            winner = reviews.claimed(session, ticket_id=ticket_id, round=round)
        if winner is None:
            raise
        raise (_decided if winner.applied_at else _deciding)(ticket_id, winner) from None


def _deciding(ticket_id: str, claim: ReviewDecision) -> ConflictError:
    return ConflictError(
        f"ticket {ticket_id} is being decided by {claim.reviewer} "
        f"(since {claim.decided_at:%Y-%m-%d %H:%M:%S} UTC, {claim.action})"
    )


def _decided(ticket_id: str, claim: ReviewDecision) -> ConflictError:
    return ConflictError(
        f"ticket {ticket_id} was already decided by {claim.reviewer} at "
        f"{claim.decided_at:%Y-%m-%d %H:%M:%S} UTC ({claim.action})"
    )


def _release(ws: Workspace, ticket_id: str, round: int) -> None:
    """Withdraw a claim whose decision could not be carried out, so it can be decided again."""
    with transaction(ws.engine) as session:
        claim = reviews.claimed(session, ticket_id=ticket_id, round=round)
        if claim is not None and claim.applied_at is None:
            session.delete(claim)
