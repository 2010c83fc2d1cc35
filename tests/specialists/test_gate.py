"""The policy gate: allow-lists, argument validation, approvals, enforced in code."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlmodel import Session, func, select

from deskroute.errors import ToolError
from deskroute.escalation import hold_for_review
from deskroute.service import route_new
from deskroute.store.tables import Credit, Customer
from specialists.gate import ToolGate, apply_action, approval_tools
from specialists.tools import Injected


@pytest.fixture
def gate_for(workspace):
    sessions = []

    def make(
        specialist: str, customer_id: str | None = "C-1001", *, colleague: bool = False
    ) -> ToolGate:
        session = Session(workspace.engine)
        sessions.append(session)
        env = Injected(
            ticket_id="tkt_test",
            customer_id=customer_id,
            customer_email="a@b.example",
            now=datetime.now(UTC),
            colleague=colleague,
        )
        return ToolGate(specialist, workspace.deps.specialists[specialist].policy, session, env)

    yield make
    for session in sessions:
        session.close()


def test_lookup_runs(gate_for) -> None:
    result = gate_for("billing").call("list_invoices", {"limit": 2})
    assert result.status == "executed" and len(result.result) == 2


def test_tool_off_the_allow_list_is_rejected(gate_for) -> None:
    gate = gate_for("general")
    result = gate.call("issue_refund", {"invoice_number": "INV-2026-0101", "reason": "x"})
    assert result.status == "rejected" and "not allowed" in result.reason
    assert gate.actions[-1].status == "rejected" and gate.actions[-1].kind == "write"
    assert gate.call("format_disk", {}).status == "rejected"


def test_visible_tools_are_the_allow_list(gate_for, workspace) -> None:
    names = [t.name for t in gate_for("billing").visible_tools()]
    assert names == workspace.deps.specialists["billing"].policy.tools


def test_privileged_arguments_cannot_be_passed(gate_for) -> None:
    result = gate_for("billing").call("list_invoices", {"customer_id": "C-1002"})
    assert result.status == "rejected" and "customer_id" in result.reason


def test_invalid_arguments(gate_for) -> None:
    result = gate_for("billing").call("get_invoice", {"number": "'; DROP TABLE invoices"})
    assert result.status == "rejected" and "invalid arguments" in result.reason


def test_other_customers_invoice_is_not_found(gate_for) -> None:
    result = gate_for("billing", customer_id="C-1002").call(
        "get_invoice", {"number": "INV-2026-0101"}
    )
    assert result.status == "rejected" and "not on this customer's account" in result.reason


def test_sensitive_tool_is_only_proposed(gate_for) -> None:
    for specialist, tool, args in [
        ("refunds", "issue_refund", {"invoice_number": "INV-2026-0101", "reason": "asked"}),
        ("refunds", "cancel_subscription", {"reason": "asked"}),
        ("account_access", "reset_2fa", {}),
        ("privacy", "delete_customer_data", {}),
        ("security", "lock_account", {"reason": "suspicious"}),
    ]:
        result = gate_for(specialist).call(tool, args)
        assert result.status == "proposed", (tool, result)
        assert "sensitive" in result.reason


def test_credit_limit(gate_for) -> None:
    gate = gate_for("billing")
    assert gate.call("issue_credit", {"amount": 50, "reason": "goodwill"}).status == "executed"
    over = gate.call("issue_credit", {"amount": 50.01, "reason": "goodwill"})
    assert over.status == "proposed" and "exceeds the policy limit" in over.reason


def test_policy_can_require_approval_for_a_safe_tool(gate_for) -> None:
    result = gate_for("privacy").call("create_data_export", {})
    assert result.status == "proposed" and "policy requires approval" in result.reason


def test_writes_need_a_known_customer(gate_for) -> None:
    result = gate_for("account_access", customer_id=None).call("send_password_reset", {})
    assert result.status == "rejected" and "no customer" in result.reason


def test_apply_refuses_sensitive_actions_without_approval(gate_for, workspace) -> None:
    gate = gate_for("account_access")
    gate.call("reset_2fa", {})
    action = gate.actions[-1]
    forged = action.model_copy(update={"status": "executed"})  # whatever a model claims
    policy = workspace.deps.specialists["account_access"].policy
    with Session(workspace.engine) as session, pytest.raises(ToolError, match="without approval"):
        apply_action(session, forged, gate.env, policy)
    with Session(workspace.engine) as session:
        apply_action(session, action, gate.env, policy, approved_by="lead@brightline.example")
        session.commit()
        customer = session.get(Customer, "C-1001")
        assert customer is not None and customer.two_factor_enabled is False


def test_apply_refuses_credit_over_limit_even_if_marked_executed(gate_for, workspace) -> None:
    gate = gate_for("billing")
    gate.call("issue_credit", {"amount": 500, "reason": "please"})
    forged = gate.actions[-1].model_copy(update={"status": "executed"})
    policy = workspace.deps.specialists["billing"].policy
    with Session(workspace.engine) as session, pytest.raises(ToolError):
        apply_action(session, forged, gate.env, policy)
    with Session(workspace.engine) as session:
        assert session.exec(select(func.count()).select_from(Credit)).one() == 0


def test_escalated_tickets_hold_safe_writes(gate_for) -> None:
    gate = gate_for("billing")
    gate.call("list_invoices", {"limit": 1})
    gate.call("resend_invoice", {"number": "INV-2026-0101"})
    held = hold_for_review(gate.actions)
    assert [a.status for a in held] == ["executed", "proposed"]
    assert "held for review" in held[1].reason


def test_approval_tools_are_read_from_the_tools_and_the_policy(workspace) -> None:
    listed = {name: approval_tools(s.policy) for name, s in workspace.deps.specialists.items()}
    assert listed["refunds"] == ["issue_refund", "cancel_subscription"]  # sensitive tools
    assert listed["billing"] == ["issue_credit (for some arguments)"]  # the credit limit rule
    assert listed["privacy"] == ["create_data_export", "delete_customer_data"]  # + policy
    assert listed["general"] == []


COLLEAGUE = "priya.raman@harbor-logistics.example"  # C-1001's domain; Anna Weber is its contact


def test_a_colleagues_writes_on_the_account_are_proposed(gate_for) -> None:
    for specialist, tool, args in [
        ("billing", "issue_credit", {"amount": 20, "reason": "goodwill"}),
        ("billing", "resend_invoice", {"number": "INV-2026-0101"}),
        ("account_access", "send_password_reset", {}),
        ("account_access", "reset_2fa", {}),
    ]:
        result = gate_for(specialist, colleague=True).call(tool, args)
        assert result.status == "proposed", (tool, result)
        assert "not its contact" in result.reason
    # Lookups on the account run; a feature request is not a write on the account.
    assert gate_for("billing", colleague=True).call("list_invoices", {"limit": 1}).ok
    feature = {"summary": "Dark mode for dashboards"}
    assert gate_for("feedback", colleague=True).call("log_feature_request", feature).ok


def test_apply_refuses_a_colleagues_write_without_approval(gate_for, workspace) -> None:
    gate = gate_for("billing", colleague=True)
    gate.call("issue_credit", {"amount": 20, "reason": "goodwill"})
    forged = gate.actions[-1].model_copy(update={"status": "executed"})
    policy = workspace.deps.specialists["billing"].policy
    with Session(workspace.engine) as session, pytest.raises(ToolError, match="not its contact"):
        apply_action(session, forged, gate.env, policy)
    with Session(workspace.engine) as session:
        assert session.exec(select(func.count()).select_from(Credit)).one() == 0


def test_a_colleagues_credit_request_is_proposed_not_executed(workspace) -> None:
    record = route_new(
        workspace,
        {
            "customer_email": COLLEAGUE,
            "subject": "Credit for last week",
            "body": "The connector problems last week cost us a day of reporting. Could you "
            "give us a goodwill credit of 30 EUR on our next invoice?",
        },
    )[1]
    assert record.customer_id == "C-1001" and record.escalated
    credit = next(a for a in record.actions if a.tool == "issue_credit")
    assert credit.status == "proposed" and "not its contact" in (credit.reason or "")
    assert (
        record.priority
        == workspace.policies.routing.priority["enterprise"][
            record.signals.urgency if record.signals else "normal"
        ]
    )
    with Session(workspace.engine) as session:
        assert session.exec(select(func.count()).select_from(Credit)).one() == 0


def test_a_colleagues_password_reset_is_proposed_not_executed(workspace) -> None:
    record = route_new(
        workspace,
        {
            "customer_email": COLLEAGUE,
            "body": "I can't log in, I forgot my password. Please send me a reset link.",
        },
    )[1]
    assert record.customer_id == "C-1001" and record.escalated
    assert "sensitive_action" in record.escalation_reasons
    reset = next(a for a in record.actions if a.tool == "send_password_reset")
    assert reset.status == "proposed" and "not its contact" in (reset.reason or "")
    assert "reset link" not in (record.response or "").lower()


def test_a_refund_without_an_amount_is_proposed_with_the_amount_it_would_refund(gate_for) -> None:
    gate = gate_for("refunds")
    gate.call("issue_refund", {"invoice_number": "INV-2026-0101", "reason": "asked"})
    assert gate.actions[-1].args["amount"] == 4000.0  # what a reviewer would approve
