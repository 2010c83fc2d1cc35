"""Escalated runs pause at the review node and resume with a reviewer's decision: every
action, a reassign that pauses again, and an approved action that runs once however often its
node runs."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from deskroute.errors import BadInputError, ConflictError
from deskroute.models.outcome import OutcomeRecord
from deskroute.models.review import Decision
from deskroute.review import service as review
from deskroute.review.carry import AlreadyApplied, carry_out
from deskroute.review.decide import decide
from deskroute.review.pause import Pause, Resume
from deskroute.runtime import Workspace, open_workspace
from deskroute.service import route_new
from deskroute.settings import Settings
from deskroute.store.tables import Correction, Refund, Subscription, Ticket
from specialists.tools import Injected

REFUND = "Please refund invoice INV-2026-0181 in full, we never used the service."
REFUND_AND_CANCEL = (
    "Please cancel our subscription at the end of the term and refund invoice INV-2026-0181 "
    "in full."
)
VAGUE = "Hello, I have a question about something, can someone call me?"


def _route(ws: Workspace, body: str, customer: str = "C-1023") -> OutcomeRecord:
    subject = "Refund please" if "refund" in body.lower() else ""
    ticket = {"channel": "email", "subject": subject, "body": body, "customer_id": customer}
    return route_new(ws, ticket, dedupe=False)[1]


def _refunds(ws: Workspace) -> list[Refund]:
    with Session(ws.engine) as session:
        return list(session.exec(select(Refund)).all())


def _status(ws: Workspace, ticket_id: str) -> str:
    with Session(ws.engine) as session:
        row = session.get(Ticket, ticket_id)
        assert row is not None
        return row.status


def test_an_escalated_run_pauses_with_its_outcome_saved(workspace: Workspace) -> None:
    outcome = _route(workspace, REFUND)
    assert outcome.state == "awaiting_review" and outcome.escalated
    [waiting] = workspace.pending(outcome.ticket_id)
    assert Pause.model_validate(waiting.value) == Pause(ticket_id=outcome.ticket_id, round=1)
    assert _status(workspace, outcome.ticket_id) == "escalated"
    assert [a.tool for a in outcome.actions if a.status == "proposed"] == ["issue_refund"]
    assert _refunds(workspace) == []


def test_a_routed_run_leaves_no_checkpoint(workspace: Workspace) -> None:
    outcome = _route(workspace, "How do I export a dashboard to PDF?", customer="C-1002")
    assert outcome.state == "routed"
    assert workspace.checkpointer is not None
    config = {"configurable": {"thread_id": outcome.ticket_id}}
    assert list(workspace.checkpointer.list(config)) == []  # type: ignore[arg-type]


def test_approve_executes_the_proposal_and_sends_the_draft(workspace: Workspace) -> None:
    paused = _route(workspace, REFUND)
    done = review.resolve(workspace, paused.ticket_id, Decision(action="approve", reviewer="ana"))
    assert done.state == "resolved" and done.escalated
    [refund] = _refunds(workspace)
    assert refund.amount == 450.0 and refund.invoice_number == "INV-2026-0181"
    [executed] = [a for a in done.actions if a.tool == "issue_refund"]
    assert executed.status == "executed" and executed.decided_by == "ana"
    assert executed.result is not None and executed.result["refund_id"] == refund.id
    assert paused.escalation is not None and done.response == paused.escalation.draft_reply
    assert done.review is not None and done.review.last.action == "approve"
    assert done.review.escalated_for == ["sensitive_action"]
    assert _status(workspace, paused.ticket_id) == "resolved"
    assert workspace.pending(paused.ticket_id) == []  # resolved: its checkpoints are pruned
    assert workspace.checkpointer is not None
    config = {"configurable": {"thread_id": paused.ticket_id}}
    assert list(workspace.checkpointer.list(config)) == []  # type: ignore[arg-type]


def test_edit_changes_the_arguments_within_the_schema(workspace: Workspace) -> None:
    paused = _route(workspace, REFUND)
    with pytest.raises(BadInputError) as bad:
        review.resolve(
            workspace,
            paused.ticket_id,
            Decision(action="edit", reviewer="ana", args={"amount": "a lot"}),
        )
    assert bad.value.field == "args.amount"
    done = review.resolve(
        workspace,
        paused.ticket_id,
        Decision(action="edit", reviewer="ana", args={"amount": 120.5, "partial": True}),
    )
    [refund] = _refunds(workspace)
    assert refund.amount == 120.5
    assert done.review is not None
    [change] = done.review.last.actions
    assert change.args_before["amount"] == 450.0 and change.args_after["amount"] == 120.5


def test_reject_refuses_with_the_reason_in_the_reply(workspace: Workspace) -> None:
    paused = _route(workspace, REFUND)
    done = review.resolve(
        workspace,
        paused.ticket_id,
        Decision(action="reject", reviewer="ana", reason="the invoice was refunded last week"),
    )
    assert _refunds(workspace) == []
    assert done.state == "resolved"
    assert done.response is not None and "the invoice was refunded last week" in done.response
    [refused] = [a for a in done.actions if a.tool == "issue_refund"]
    assert refused.status == "rejected" and refused.decided_by == "ana"


def test_every_proposal_is_decided_before_the_ticket_resolves(workspace: Workspace) -> None:
    paused = _route(workspace, REFUND_AND_CANCEL)
    proposals = [a.tool for a in paused.actions if a.status == "proposed"]
    assert sorted(proposals) == ["cancel_subscription", "issue_refund"]
    refund_at = proposals.index("issue_refund")
    half = review.resolve(
        workspace,
        paused.ticket_id,
        Decision(action="reject", reviewer="ana", reason="no refund after use", index=refund_at),
    )
    assert half.state == "awaiting_review"  # the cancellation still waits
    [waiting] = workspace.pending(paused.ticket_id)
    assert Pause.model_validate(waiting.value).round == 2
    done = review.resolve(workspace, paused.ticket_id, Decision(action="approve", reviewer="bo"))
    assert done.state == "resolved" and _refunds(workspace) == []
    with Session(workspace.engine) as session:
        subscription = session.exec(
            select(Subscription).where(Subscription.customer_id == "C-1023")
        ).one()
    assert subscription.cancel_at_period_end
    assert done.response is not None and "no refund after use" in done.response
    assert done.review is not None and [d.reviewer for d in done.review.decisions] == ["ana", "bo"]


def test_reassign_resumes_at_the_new_specialist_and_keeps_a_correction(
    workspace: Workspace,
) -> None:
    paused = _route(workspace, VAGUE, customer="C-1002")
    assert paused.escalation_reasons == ["low_confidence"]
    done = review.resolve(
        workspace,
        paused.ticket_id,
        Decision(action="reassign", reviewer="ana", category="technical_issue"),
    )
    assert done.state == "resolved" and done.category == "technical_issue"
    assert done.specialist == "technical" and done.path[-2:] == ["technical", "record"]
    assert "review" in done.path
    with Session(workspace.engine) as session:
        [label] = session.exec(select(Correction)).all()
    assert (label.kind, label.predicted, label.category) == (
        "corrected",
        paused.classifier.category,
        "technical_issue",
    )
    assert label.reviewer == "ana" and "question about something" in label.text


def test_a_reassigned_specialist_can_pause_again(workspace: Workspace) -> None:
    """Reassigned to billing, the ticket's refund request is handed on to refunds by the
    policy's hand-off phrases, which proposes the refund again: the run pauses a second time."""
    paused = _route(workspace, REFUND)
    again = review.resolve(
        workspace,
        paused.ticket_id,
        Decision(action="reassign", reviewer="ana", category="billing", reason="invoice query"),
    )
    assert again.state == "awaiting_review"
    assert again.path.index("billing") > again.path.index("review")
    assert [a.tool for a in again.actions if a.status == "proposed"] == ["issue_refund"]
    [waiting] = workspace.pending(paused.ticket_id)
    assert Pause.model_validate(waiting.value).round == 2
    done = review.resolve(workspace, paused.ticket_id, Decision(action="approve", reviewer="ana"))
    assert done.state == "resolved" and len(_refunds(workspace)) == 1
    assert done.review is not None
    assert [d.action for d in done.review.decisions] == ["reassign", "approve"]


def test_reply_and_dismiss(workspace: Workspace) -> None:
    first = _route(workspace, REFUND)
    replied = review.resolve(
        workspace,
        first.ticket_id,
        Decision(action="reply", reviewer="ana", reply="We will call you tomorrow."),
    )
    assert replied.response == "We will call you tomorrow." and _refunds(workspace) == []
    second = _route(workspace, VAGUE, customer="C-1002")
    dismissed = review.resolve(
        workspace, second.ticket_id, Decision(action="dismiss", reviewer="ana", reason="spam")
    )
    assert dismissed.state == "resolved" and dismissed.response is None
    with Session(workspace.engine) as session:
        kinds = [c.kind for c in session.exec(select(Correction)).all()]
    assert kinds == ["confirmed"]  # the reply confirms the category; a dismissal teaches none


def test_a_second_decision_is_refused_naming_the_first(workspace: Workspace) -> None:
    paused = _route(workspace, REFUND)
    review.resolve(workspace, paused.ticket_id, Decision(action="approve", reviewer="ana"))
    with pytest.raises(ConflictError, match="already resolved by ana"):
        review.resolve(workspace, paused.ticket_id, Decision(action="approve", reviewer="bo"))
    routed = _route(workspace, "How do I export a dashboard to PDF?", customer="C-1002")
    with pytest.raises(ConflictError, match="not escalated"):
        review.resolve(workspace, routed.ticket_id, Decision(action="approve", reviewer="bo"))
    assert len(_refunds(workspace)) == 1


def test_an_approved_action_runs_once_when_its_node_runs_again(workspace: Workspace) -> None:
    paused = _route(workspace, REFUND)
    decision = Decision(action="approve", reviewer="ana")
    decided = decide(
        paused,
        decision,
        round=1,
        now=workspace.deps.clock(),
        prompt=workspace.deps.escalation_prompt,
        company=workspace.deps.company,
    )
    with Session(workspace.engine) as session:
        ticket = session.get(Ticket, paused.ticket_id)
        assert ticket is not None
    from deskroute.store.tickets import view_of

    env = Injected.for_ticket(view_of(ticket), None, now=workspace.deps.clock())
    env = Injected(ticket_id=env.ticket_id, customer_id="C-1023", customer_email=None, now=env.now)

    def policy_of(name: str):  # type: ignore[no-untyped-def]
        return workspace.deps.specialists[name].policy  # type: ignore[index]

    from deskroute.store import reviews
    from deskroute.store.db import transaction

    with transaction(workspace.engine) as session:
        reviews.claim(
            session,
            ticket_id=paused.ticket_id,
            round=1,
            decision=decision,
            now=workspace.deps.clock(),
        )
    carry_out(
        workspace.engine,
        decided.outcome,
        env=env,
        policy_of=policy_of,
        assignment=workspace.policies.assignment,
    )
    for _ in range(2):
        with pytest.raises(AlreadyApplied):
            carry_out(
                workspace.engine,
                decided.outcome,
                env=env,
                policy_of=policy_of,
                assignment=workspace.policies.assignment,
            )
    assert len(_refunds(workspace)) == 1


def test_a_resume_repeated_after_a_lost_checkpoint_applies_nothing_twice(
    workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The process dies after the decision's commit and before the checkpoint that follows:
    the run is resumed again from the pause, and its node runs a second time."""
    paused = _route(workspace, REFUND)
    [waiting] = workspace.pending(paused.ticket_id)
    saver = workspace.checkpointer
    assert saver is not None
    real_put = saver.put

    def dies(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("killed before the checkpoint was written")

    decision = Decision(action="approve", reviewer="ana")
    from deskroute.store import reviews
    from deskroute.store.db import transaction

    with transaction(workspace.engine) as session:
        reviews.claim(
            session, ticket_id=paused.ticket_id, round=1, decision=decision, now=paused.created_at
        )
    monkeypatch.setattr(saver, "put", dies)
    with pytest.raises(RuntimeError):
        workspace.resume(paused.ticket_id, waiting.id, Resume(decision=decision))
    monkeypatch.setattr(saver, "put", real_put)
    assert len(_refunds(workspace)) == 1
    [still] = workspace.pending(paused.ticket_id)  # the checkpoint is still at the pause
    done = workspace.resume(paused.ticket_id, still.id, Resume(decision=decision))
    assert done is not None and done.state == "resolved"
    assert len(_refunds(workspace)) == 1
    with pytest.raises(ConflictError, match="no pending review"):
        workspace.resume(paused.ticket_id, still.id, Resume(decision=decision))
    assert len(_refunds(workspace)) == 1


def test_a_refused_approval_leaves_the_run_waiting_for_another_decision(
    any_store_workspace: Workspace,
) -> None:
    """Two tickets ask to refund the same invoice: the first approval refunds it, the second
    is refused when it is carried out, and that ticket can then be decided another way (the
    refused decision does not come back with the next one)."""
    ws = any_store_workspace
    first = _route(ws, REFUND)
    second = _route(ws, REFUND + " Thank you.")
    review.resolve(ws, first.ticket_id, Decision(action="approve", reviewer="ana"))
    with pytest.raises(ConflictError, match="INV-2026-0181 is already refunded"):
        review.resolve(ws, second.ticket_id, Decision(action="approve", reviewer="bo"))
    assert len(_refunds(ws)) == 1
    [waiting] = ws.pending(second.ticket_id)
    assert Pause.model_validate(waiting.value).round == 1
    reply = "The invoice was refunded on your other ticket."
    done = review.resolve(
        ws, second.ticket_id, Decision(action="reply", reviewer="bo", reply=reply)
    )
    assert done.state == "resolved" and done.response == reply
    assert done.review is not None and [d.action for d in done.review.decisions] == ["reply"]
    assert len(_refunds(ws)) == 1


def test_a_pause_that_was_not_saved_keeps_its_outcome_for_review(
    workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The checkpointer fails as the run pauses, after the outcome was stored: routing keeps
    that outcome (not a second one, refused as "already routed"), and a review starts the run
    afresh from it."""
    saver = workspace.checkpointer
    assert saver is not None
    real_put = saver.put

    def fails(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("the checkpointer's database went away")

    monkeypatch.setattr(saver, "put", fails)
    paused = _route(workspace, REFUND)
    monkeypatch.setattr(saver, "put", real_put)
    assert paused.state == "awaiting_review" and paused.escalation_reasons == ["sensitive_action"]
    assert workspace.pending(paused.ticket_id) == []
    done = review.resolve(workspace, paused.ticket_id, Decision(action="approve", reviewer="ana"))
    assert done.state == "resolved" and len(_refunds(workspace)) == 1


def test_with_pausing_off_an_approval_still_carries_out_the_proposal(settings: Settings) -> None:
    """The run ended at its outcome; the review starts one at the review step, which must look
    the sender's account up itself before it refunds."""
    ws = open_workspace(settings.model_copy(update={"review_pause": False}))
    assert ws.checkpointer is None
    paused = _route(ws, REFUND)
    assert paused.state == "awaiting_review"
    done = review.resolve(ws, paused.ticket_id, Decision(action="approve", reviewer="ana"))
    assert done.state == "resolved"
    [refund] = _refunds(ws)
    assert (refund.customer_id, refund.amount) == ("C-1023", 450.0)


def test_a_resolved_escalation_stops_waiting(workspace: Workspace) -> None:
    from dataclasses import replace
    from datetime import timedelta

    from deskroute.models.review_query import ReviewQuery

    paused = _route(workspace, REFUND)
    review.resolve(workspace, paused.ticket_id, Decision(action="approve", reviewer="ana"))
    later = workspace.deps.clock() + timedelta(hours=2)
    workspace.deps = replace(workspace.deps, clock=lambda: later)
    [item] = review.list_escalations(workspace, ReviewQuery(state="resolved")).items
    assert item.resolved_by == "ana" and item.waiting_minutes < 5
