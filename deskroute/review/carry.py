"""Carry out a reviewed outcome: its approved actions, the outcome record, the queue row, the
label it teaches, all in one transaction, exactly once.

A resumed LangGraph node runs again from its start, and a process can die between an
effect's commit and the checkpoint after it. So every approved action is applied under an
idempotency key (ticket, round, action) stored in the transaction of its effect, and the
decision's claim is marked applied in that same transaction: a second carry of the same
round applies nothing and reports it.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Engine
from sqlmodel import Session

from deskroute.models.outcome import OutcomeRecord
from deskroute.models.review import DecisionRecord
from deskroute.policies.assignment import AssignmentPolicy
from deskroute.policies.schema import SpecialistPolicy
from deskroute.store import reviews
from deskroute.store.db import transaction
from deskroute.store.outcomes import latest_outcome, save_outcome
from deskroute.store.tables import Correction, Ticket
from deskroute.store.tickets import view_of
from specialists.gate import apply_action
from specialists.tools import Injected

PolicyOf = Callable[[str], SpecialistPolicy]


class AlreadyApplied(Exception):
    """This round was carried out before (a repeated resume): nothing was applied again."""

    def __init__(self, outcome: OutcomeRecord) -> None:
        super().__init__(f"ticket {outcome.ticket_id}: this decision was already carried out")
        self.outcome = outcome


def action_key(ticket_id: str, round: int, index: int) -> str:
    return f"{ticket_id}/{round}/{index}"


def carry_out(
    engine: Engine,
    outcome: OutcomeRecord,
    *,
    env: Injected,
    policy_of: PolicyOf,
    assignment: AssignmentPolicy,
) -> OutcomeRecord:
    """Apply the last decision's approved writes and save `outcome`, in one transaction.
    Raises `AlreadyApplied` (with the stored outcome) when this round was carried out, and
    `ToolError` when a write is refused (nothing is applied then)."""
    if outcome.review is None:
        raise ValueError("only a reviewed outcome is carried out here")
    last = outcome.review.last
    with transaction(engine) as session:
        _once(session, outcome, last)
        actions = list(outcome.actions)
        for change in last.actions:
            action = actions[change.index]
            if change.verdict != "executed" or action.kind != "write":
                continue
            key = action_key(outcome.ticket_id, last.round, change.index)
            done = reviews.action_run(session, key=key)
            if done is not None:
                result = done.result
            else:
                result = apply_action(
                    session, action, env, policy_of(action.specialist), approved_by=last.reviewer
                )
                reviews.record_action_run(
                    session,
                    key=key,
                    ticket_id=outcome.ticket_id,
                    tool=action.tool,
                    result=result,
                    now=outcome.created_at,
                )
            actions[change.index] = action.model_copy(
                update={"result": {**(action.result or {}), **result}}
            )
            change.result = result
        outcome = outcome.model_copy(update={"actions": actions})
        save_reviewed(session, outcome, assignment=assignment)
    return outcome


def _once(session: Session, outcome: OutcomeRecord, last: DecisionRecord) -> None:
    claim = reviews.claimed(session, ticket_id=outcome.ticket_id, round=last.round)
    if claim is not None and claim.applied_at is not None:
        stored = latest_outcome(session, ticket_id=outcome.ticket_id)
        raise AlreadyApplied(stored or outcome)


def save_reviewed(
    session: Session, outcome: OutcomeRecord, *, assignment: AssignmentPolicy
) -> None:
    """Save the outcome that follows a decision, with the label the decision teaches, and mark
    the decision applied. Runs inside the caller's transaction."""
    if outcome.review is None:
        raise ValueError("only a reviewed outcome is saved here")
    last = outcome.review.last
    _once(session, outcome, last)
    save_outcome(session, record=outcome, sla=None, assignment=assignment)
    if (label := _label(session, outcome, last)) is not None:
        reviews.add_correction(session, correction=label)
    reviews.mark_applied(
        session, ticket_id=outcome.ticket_id, round=last.round, now=outcome.created_at
    )


def _label(session: Session, outcome: OutcomeRecord, last: DecisionRecord) -> Correction | None:
    """A reassign teaches the category a person chose; an approval or a person's reply on the
    category as routed confirms it. Rejections and dismissals teach nothing about the
    category."""
    if last.action == "reassign":
        kind = "corrected"
    elif last.action in ("approve", "edit", "reply") and last.category_after is not None:
        kind = "confirmed"
    else:
        return None
    category = last.category_after
    if category is None:
        return None
    ticket = session.get(Ticket, outcome.ticket_id)
    text = view_of(ticket).text if ticket is not None else ""
    return Correction(
        ticket_id=outcome.ticket_id,
        round=last.round,
        text=text,
        predicted=outcome.classifier.category,
        confidence=outcome.confidence,
        category=category,
        kind=kind,
        reviewer=last.reviewer,
        created_at=last.decided_at,
    )
