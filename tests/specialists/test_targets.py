"""A ticket that names another customer than its sender never acts on the sender's account:
the write is proposed for the customer it names, with a note, for a person to confirm."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from helpers import view
from sqlmodel import Session, select

from deskroute.errors import ToolError
from deskroute.models.actions import ActionRecord
from deskroute.models.outcome import OutcomeRecord
from deskroute.runtime import Workspace
from deskroute.service import route_new
from deskroute.store.db import transaction
from deskroute.store.tables import PasswordReset, Subscription
from specialists.gate import ToolGate, apply_action
from specialists.tools import Injected

NORTHWIND = "Hello, please cancel the subscription of Northwind (C-1002) at the end of the term."


def _subscription(ws: Workspace, customer_id: str) -> Subscription:
    with Session(ws.engine) as session:
        found = session.exec(
            select(Subscription).where(Subscription.customer_id == customer_id)
        ).one()
        return found


def _action(record: OutcomeRecord, tool: str) -> ActionRecord:
    return next(a for a in record.actions if a.tool == tool)


def test_cancelling_another_customer_is_proposed_for_that_customer(
    any_store_workspace: Workspace,
) -> None:
    ws = any_store_workspace
    _, record = route_new(ws, {"channel": "email", "customer_id": "C-1001", "body": NORTHWIND})
    cancel = _action(record, "cancel_subscription")
    assert cancel.status == "proposed" and cancel.target is not None
    assert cancel.target.customer_id == "C-1002" and cancel.target.requested_by == "C-1001"
    assert [n.written for n in cancel.target.named] == ["C-1002", "Northwind"]
    assert cancel.result is None  # no preview of the sender's subscription
    assert record.escalated and "sensitive_action" in record.escalation_reasons
    assert record.escalation is not None
    detail = " ".join(r.detail for r in record.escalation.reasons)
    assert "the action is for C-1002 (Northwind Outdoor Co.)" in detail
    assert "C-1001 (Harbor Logistics GmbH) is a different customer" in detail
    draft = record.escalation.draft_reply or ""
    assert "another customer (C-1002, Northwind)" in draft
    assert "Enterprise" not in draft  # the sender's own plan is not what they asked about
    assert not _subscription(ws, "C-1001").cancel_at_period_end
    assert not _subscription(ws, "C-1002").cancel_at_period_end


def test_an_approved_proposal_acts_on_the_named_account(workspace: Workspace) -> None:
    _, record = route_new(
        workspace, {"channel": "email", "customer_id": "C-1001", "body": NORTHWIND}
    )
    cancel = _action(record, "cancel_subscription")
    policy = workspace.deps.specialists["refunds"].policy
    sender = Injected(
        ticket_id=record.ticket_id, customer_id="C-1001", customer_email=None, now=datetime.now(UTC)
    )
    with Session(workspace.engine) as session, pytest.raises(ToolError, match="without approval"):
        apply_action(session, cancel.model_copy(update={"status": "executed"}), sender, policy)
    with transaction(workspace.engine) as session:
        apply_action(session, cancel, sender, policy, approved_by="lead@brightline.example")
    assert _subscription(workspace, "C-1002").cancel_at_period_end
    assert not _subscription(workspace, "C-1001").cancel_at_period_end


def test_the_named_customers_name_is_enough(run_specialist) -> None:
    ran = run_specialist(
        "refunds",
        "Please cancel Northwind's subscription for them.",
        "refunds_cancellations",
        customer_id="C-1001",
    )
    [cancel] = [a for a in ran.actions if a.tool == "cancel_subscription"]
    assert cancel.status == "proposed" and cancel.target is not None
    assert cancel.target.customer_id == "C-1002"


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        ("Please cancel the subscription of customer C-9999.", "'C-9999': no such customer"),
        ("Cancel the subscriptions of C-1002 and C-1003.", "'C-1003': C-1003 (Lumen Pharma SA)"),
    ],
)
def test_an_undetermined_target_asks_the_reviewer(run_specialist, workspace, body, problem) -> None:
    ran = run_specialist("refunds", body, "refunds_cancellations", customer_id="C-1001")
    [cancel] = [a for a in ran.actions if a.tool == "cancel_subscription"]
    assert cancel.status == "proposed" and cancel.target is not None
    assert cancel.target.customer_id is None
    assert problem in cancel.target.note and "cannot be determined" in cancel.target.note
    policy = workspace.deps.specialists["refunds"].policy
    sender = Injected(
        ticket_id="tkt_x", customer_id="C-1001", customer_email=None, now=datetime.now(UTC)
    )
    with Session(workspace.engine) as session, pytest.raises(ToolError, match="account is settled"):
        apply_action(session, cancel, sender, policy, approved_by="lead@brightline.example")


def test_refunding_another_customer_does_not_pick_the_senders_invoice(run_specialist) -> None:
    ran = run_specialist(
        "refunds",
        "Please refund Northwind (C-1002) their last payment.",
        "refunds_cancellations",
        customer_id="C-1001",
    )
    assert [a.tool for a in ran.actions] == ["issue_refund"]
    [refund] = ran.actions
    assert refund.status == "proposed" and refund.args["invoice_number"] is None
    assert refund.target is not None and refund.target.customer_id == "C-1002"


def test_the_senders_own_id_changes_nothing(run_specialist) -> None:
    ran = run_specialist(
        "refunds",
        "Please cancel our subscription (C-1001, Harbor Logistics).",
        "refunds_cancellations",
        customer_id="C-1001",
    )
    [cancel] = [a for a in ran.actions if a.tool == "cancel_subscription"]
    assert cancel.status == "proposed" and cancel.target is None
    assert "cancellation of your Enterprise subscription" in ran.text


def test_a_safe_write_for_another_customer_is_not_executed(run_specialist, workspace) -> None:
    ran = run_specialist(
        "account_access",
        "Please send a password reset to our partner C-1002, they forgot it.",
        "account_access",
        customer_id="C-1001",
    )
    [reset] = [a for a in ran.actions if a.tool == "send_password_reset"]
    assert reset.status == "proposed" and reset.target is not None
    assert reset.target.customer_id == "C-1002"
    assert "another customer (C-1002)" in ran.text
    with Session(workspace.engine) as session:
        assert session.exec(select(PasswordReset)).all() == []


def test_erasure_for_another_customer_names_no_account(run_specialist) -> None:
    ran = run_specialist(
        "privacy",
        "Delete all personal data you hold about Northwind Outdoor Co.",
        "data_privacy",
        customer_id="C-1001",
    )
    [erase] = [a for a in ran.actions if a.tool == "delete_customer_data"]
    assert erase.status == "proposed" and erase.target is not None
    assert "Harbor Logistics" not in ran.text  # not "your erasure request for <the sender>"


def test_the_gate_holds_any_account_write_the_model_asks_for(workspace: Workspace) -> None:
    """The LLM path calls the gate directly: the same rule holds whatever the model chose."""
    env = Injected(
        ticket_id="tkt_x", customer_id="C-1001", customer_email=None, now=datetime.now(UTC)
    )
    ticket = view(workspace.policies, body="Please credit C-1002 with 20 EUR; we like dark mode.")
    with Session(workspace.engine) as session:
        billing = ToolGate(
            "billing", workspace.deps.specialists["billing"].policy, session, env, ticket=ticket
        )
        credit = billing.call("issue_credit", {"amount": 20, "reason": "goodwill"})
        assert credit.status == "proposed" and credit.target is not None
        assert "C-1002" in (credit.reason or "")
        feedback = ToolGate(
            "feedback", workspace.deps.specialists["feedback"].policy, session, env, ticket=ticket
        )
        assert feedback.call("log_feature_request", {"summary": "dark mode"}).ok
