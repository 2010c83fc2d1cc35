"""Each write tool on the real seeded SQLite store: the preview its check returns, the effect
its apply leaves in the store, and the arguments and situations it refuses."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from pydantic import ValidationError
from sqlalchemy import Engine
from sqlmodel import Session, select

from deskroute.errors import ToolError
from deskroute.runtime import Workspace
from deskroute.store.tables import (
    Credit,
    Customer,
    DataRequest,
    FeatureRequest,
    Invoice,
    LoginEvent,
    PasswordReset,
    Refund,
    SalesLead,
    Subscription,
)
from specialists.tools import TOOLS, Injected
from specialists.tools.base import Check
from specialists.tools.writes import WRITES

NOW = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)
ANNA = "anna.weber@harbor-logistics.example"  # C-1001, EUR, invoices INV-2026-0101..


def sender(customer_id: str | None = "C-1001", email: str | None = ANNA) -> Injected:
    return Injected(ticket_id="tkt_writes", customer_id=customer_id, customer_email=email, now=NOW)


@pytest.fixture
def engine(workspace: Workspace) -> Engine:
    return workspace.engine


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    with Session(engine) as session:
        yield session


def check(session: Session, name: str, args: dict[str, Any], env: Injected) -> Any:
    tool = TOOLS[name]
    return tool.run(session, env, tool.args.model_validate(args))


def apply(session: Session, name: str, args: dict[str, Any], env: Injected) -> dict[str, Any]:
    """Check, then apply and commit, as the record node does for an executed action."""
    tool = TOOLS[name]
    parsed = tool.args.model_validate(args)
    tool.run(session, env, parsed)
    assert tool.apply is not None
    effect = tool.apply(session, env, parsed)
    session.commit()
    return effect


def stored(engine: Engine, row: type[Any], key: Any) -> Any:
    """A row read back in a fresh session: what another process would see."""
    with Session(engine) as fresh:
        return fresh.get(row, key)


@pytest.mark.parametrize("tool", WRITES, ids=lambda t: t.name)
def test_no_write_tool_takes_the_customer_as_an_argument(tool) -> None:
    with pytest.raises(ValidationError, match="customer_id"):
        tool.args.model_validate({"customer_id": "C-1002"})


def test_resend_invoice_previews_and_stamps_the_invoice(session, engine) -> None:
    preview = check(session, "resend_invoice", {"number": "inv-2026-0101"}, sender())
    assert preview == {"invoice": "INV-2026-0101", "to": ANNA}
    effect = apply(session, "resend_invoice", {"number": "inv-2026-0101"}, sender())
    assert effect == {"invoice": "INV-2026-0101", "sent_at": NOW.isoformat()}
    assert stored(engine, Invoice, "INV-2026-0101").last_sent_at == NOW


def test_resend_invoice_refuses_another_customers_invoice(session, engine) -> None:
    with pytest.raises(ToolError, match="INV-2026-0105 is not on this customer's account"):
        check(session, "resend_invoice", {"number": "INV-2026-0105"}, sender())
    with pytest.raises(ValidationError, match="number"):
        TOOLS["resend_invoice"].args.model_validate({"number": "'; DROP TABLE invoices"})
    assert stored(engine, Invoice, "INV-2026-0105").last_sent_at is None


def test_issue_credit_in_the_account_currency(session, engine, workspace) -> None:
    marcus = sender("C-1002", "marcus.reed@northwind-outdoor.example")  # pays in USD
    args = {"amount": 30.004, "reason": "connector outage"}
    assert check(session, "issue_credit", args, marcus) == {"amount": 30.0, "currency": "USD"}
    effect = apply(session, "issue_credit", args, marcus)
    credit = stored(engine, Credit, effect["credit_id"])
    assert (credit.customer_id, credit.ticket_id, credit.amount, credit.currency) == (
        "C-1002",
        "tkt_writes",
        30.0,
        "USD",
    )
    policy = workspace.deps.specialists["billing"].policy
    rule = TOOLS["issue_credit"].approval_rule
    assert rule is not None and policy.credit_limit == 50
    within = Check(session=session, env=marcus, policy=policy)
    assert rule(TOOLS["issue_credit"].args.model_validate(args), within) is None
    above = TOOLS["issue_credit"].args.model_validate({"amount": 50.01, "reason": "outage"})
    assert rule(above, within) == "credit of 50.01 exceeds the policy limit of 50.00"


@pytest.mark.parametrize(
    ("args", "field"),
    [
        ({"amount": 0, "reason": "outage"}, "amount"),
        ({"amount": 100_001, "reason": "outage"}, "amount"),
        ({"amount": 10, "reason": "no"}, "reason"),
        ({"amount": 10}, "reason"),
    ],
)
def test_issue_credit_refuses_bad_arguments(args: dict[str, Any], field: str) -> None:
    with pytest.raises(ValidationError, match=field):
        TOOLS["issue_credit"].args.model_validate(args)


def test_password_reset_goes_to_the_accounts_address(session, engine) -> None:
    sabine = sender("C-1012", "someone.else@example.com")
    assert check(session, "send_password_reset", {}, sabine) == {
        "to": "sabine.hoffmann@nordlicht-medien.example"
    }
    effect = apply(session, "send_password_reset", {}, sabine)
    assert effect == {"expires_at": (NOW + timedelta(hours=24)).isoformat()}
    reset = session.exec(select(PasswordReset).where(PasswordReset.customer_id == "C-1012")).one()
    assert reset.email == "sabine.hoffmann@nordlicht-medien.example"
    assert (reset.sent_at, reset.expires_at) == (NOW, NOW + timedelta(hours=24))


def test_password_reset_needs_a_known_customer(session) -> None:
    with pytest.raises(ToolError, match="no customer account matched"):
        check(session, "send_password_reset", {}, sender(None))
    with pytest.raises(ToolError, match="customer not found"):
        check(session, "send_password_reset", {}, sender("C-9999"))


def test_feature_request_is_logged_even_for_an_unknown_sender(session, engine) -> None:
    args = {"summary": "dark mode for dashboards"}
    assert check(session, "log_feature_request", args, sender(None)) == args
    effect = apply(session, "log_feature_request", args, sender(None))
    request = stored(engine, FeatureRequest, effect["feature_request_id"])
    assert (request.customer_id, request.summary) == (None, "dark mode for dashboards")
    with pytest.raises(ValidationError, match="summary"):
        TOOLS["log_feature_request"].args.model_validate({"summary": "x"})


def test_sales_lead_needs_someone_to_answer(session, engine) -> None:
    args = {"interest": "Enterprise plan for 40 seats"}
    prospect = sender(None, "cfo@prospect.example")
    effect = apply(session, "create_sales_lead", args, prospect)
    lead = stored(engine, SalesLead, effect["lead_id"])
    assert (lead.customer_id, lead.email, lead.interest) == (
        None,
        "cfo@prospect.example",
        "Enterprise plan for 40 seats",
    )
    with pytest.raises(ToolError, match="needs a customer or a reply e-mail address"):
        check(session, "create_sales_lead", args, sender(None, None))


def test_data_export_is_recorded_in_progress(session, engine) -> None:
    assert check(session, "create_data_export", {}, sender())["customer"] == "C-1001"
    effect = apply(session, "create_data_export", {}, sender())
    request = stored(engine, DataRequest, effect["data_request_id"])
    assert (request.customer_id, request.kind, request.status) == (
        "C-1001",
        "export",
        "in_progress",
    )
    with pytest.raises(ToolError, match="no customer account matched"):
        check(session, "create_data_export", {}, sender(None))


def test_partial_then_full_refund(session, engine) -> None:
    partial = {"invoice_number": "INV-2026-0101", "amount": 1000, "reason": "downtime"}
    assert check(session, "issue_refund", partial, sender()) == {
        "invoice": "INV-2026-0101",
        "amount": 1000,
        "currency": "EUR",
    }
    effect = apply(session, "issue_refund", partial, sender())
    assert stored(engine, Refund, effect["refund_id"]).amount == 1000
    assert stored(engine, Invoice, "INV-2026-0101").status == "paid"
    full = {"invoice_number": "INV-2026-0102", "reason": "charged twice"}
    assert apply(session, "issue_refund", full, sender())["amount"] == 4000
    assert stored(engine, Invoice, "INV-2026-0102").status == "refunded"
    with pytest.raises(ToolError, match="INV-2026-0102 is already refunded"):
        check(session, "issue_refund", full, sender())


def test_refund_refuses_more_than_the_invoice_or_another_customers_invoice(session) -> None:
    too_much = {"invoice_number": "INV-2026-0101", "amount": 4000.01, "reason": "why not"}
    with pytest.raises(ToolError, match="refund 4000.01 exceeds invoice total 4000.00"):
        check(session, "issue_refund", too_much, sender())
    other = {"invoice_number": "INV-2026-0105", "reason": "not mine"}
    with pytest.raises(ToolError, match="not on this customer's account"):
        check(session, "issue_refund", other, sender())
    with pytest.raises(ValidationError, match="amount"):
        TOOLS["issue_refund"].args.model_validate({**other, "amount": -5})


def test_cancel_at_period_end_or_at_once(session, engine) -> None:
    assert check(session, "cancel_subscription", {"reason": "budget cuts"}, sender())["plan"]
    apply(session, "cancel_subscription", {"reason": "budget cuts"}, sender())
    with Session(engine) as fresh:
        ending = fresh.exec(select(Subscription).where(Subscription.customer_id == "C-1001")).one()
        assert (ending.status, ending.cancel_at_period_end) == ("active", True)
    now = {"reason": "closing down", "at_period_end": False}
    marcus = sender("C-1002", None)
    assert check(session, "cancel_subscription", now, marcus)["effective"] == NOW.date().isoformat()
    apply(session, "cancel_subscription", now, marcus)
    with Session(engine) as fresh:
        ended = fresh.exec(select(Subscription).where(Subscription.customer_id == "C-1002")).one()
        assert ended.status == "cancelled"


def test_cancel_refuses_a_cancelled_subscription(session) -> None:
    chloe = sender("C-1017", "chloe@foxglove-events.example")  # cancelled in the demo CRM
    with pytest.raises(ToolError, match="no active subscription to cancel"):
        check(session, "cancel_subscription", {"reason": "cancel again"}, chloe)


def test_reset_2fa_and_lock_account(session, engine) -> None:
    kevin = sender("C-1014", "kevin.park@polaris-robotics.example")
    assert check(session, "reset_2fa", {}, kevin) == {"customer": "C-1014"}
    assert apply(session, "reset_2fa", {}, kevin) == {"two_factor": "reset"}
    assert apply(session, "lock_account", {"reason": "sign-ins from abroad"}, kevin) == {
        "locked": True
    }
    customer = stored(engine, Customer, "C-1014")
    assert (customer.two_factor_enabled, customer.locked) == (False, True)
    with pytest.raises(ValidationError, match="reason"):
        TOOLS["lock_account"].args.model_validate({})
    with pytest.raises(ToolError, match="customer not found"):
        check(session, "lock_account", {"reason": "sign-ins from abroad"}, sender("C-9999"))


def test_erasure_anonymises_the_customer_and_keeps_invoices(session, engine) -> None:
    thomas = sender("C-1021", "thomas.brunner@lindenhof-kliniken.example")
    effect = apply(session, "delete_customer_data", {}, thomas)
    customer = stored(engine, Customer, "C-1021")
    assert (customer.name, customer.contact_name, customer.email, customer.status) == (
        "erased customer C-1021",
        "erased",
        "erased+c-1021@invalid",
        "cancelled",
    )
    with Session(engine) as fresh:
        assert fresh.exec(select(LoginEvent).where(LoginEvent.customer_id == "C-1021")).all() == []
        assert len(fresh.exec(select(Invoice).where(Invoice.customer_id == "C-1021")).all()) == 4
    assert stored(engine, DataRequest, effect["data_request_id"]).kind == "deletion"
    with pytest.raises(ValidationError, match="scope"):
        TOOLS["delete_customer_data"].args.model_validate({"scope": "everything"})
