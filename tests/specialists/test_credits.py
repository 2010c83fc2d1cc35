"""Goodwill credits: a cap per customer and period, amounts read without guessing, and a cap
that two tickets applied at once cannot both pass, on SQLite and PostgreSQL."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import Session, select

from deskroute.bench import GOODWILL_INCIDENTS as INCIDENTS
from deskroute.errors import ToolError
from deskroute.models.actions import ActionRecord
from deskroute.models.outcome import OutcomeRecord
from deskroute.runtime import Workspace
from deskroute.service import route_new, submit_ticket
from deskroute.store import effects
from deskroute.store.db import transaction
from deskroute.store.tables import Credit
from graph.builder import build_graph
from graph.nodes.record import record as record_node
from specialists.gate import ToolGate, apply_action
from specialists.tools import Injected

CAP = 100.0  # policies/specialists.yaml: billing.credit_cap, EUR, 30 days
# Each under the 50 EUR credit limit but one; 343 EUR asked in all.
ASKED = ["45 EUR", "30 EUR", "49,90 €", "€1,000", "20 EUR", "EUR 40.-", "35 €", "25 EUR", "48 EUR"]


def _env(customer_id: str, ticket_id: str = "tkt_test", now: datetime | None = None) -> Injected:
    return Injected(
        ticket_id=ticket_id,
        customer_id=customer_id,
        customer_email=None,
        now=now or datetime.now(UTC),
    )


def _credits(ws: Workspace, customer_id: str) -> list[Credit]:
    with Session(ws.engine) as session:
        return list(session.exec(select(Credit).where(Credit.customer_id == customer_id)))


def _ask(ws: Workspace, customer_id: str, incident: str, amount: str) -> OutcomeRecord:
    body = f"{incident} Could you give us a goodwill credit of {amount} on our next invoice?"
    ticket = {"channel": "email", "customer_id": customer_id, "subject": "Credit", "body": body}
    return route_new(ws, ticket)[1]


def _credit_actions(record: OutcomeRecord) -> list[ActionRecord]:
    return [a for a in record.actions if a.tool == "issue_credit"]


def test_ten_tickets_from_one_customer_never_pass_the_cap(any_store_workspace: Workspace) -> None:
    ws = any_store_workspace
    records = [
        _ask(ws, "C-1001", incident, amount)
        for incident, amount in zip(INCIDENTS, [*ASKED, "50 EUR"], strict=True)
    ]
    assert all("billing" in r.path for r in records)
    actions = [a for r in records for a in _credit_actions(r)]
    assert len(actions) == 10
    executed = [a for a in actions if a.status == "executed"]
    proposed = [a for a in actions if a.status == "proposed"]
    stored = sum(c.amount for c in _credits(ws, "C-1001"))
    assert stored == sum(a.args["amount"] for a in executed) <= CAP
    assert len(executed) + len(proposed) == 10 and len(proposed) >= 5
    assert [c.amount for c in _credits(ws, "C-1001")] == [45.0, 30.0, 20.0]
    for record in records:
        if any(a.status == "proposed" for a in _credit_actions(record)):
            assert record.escalated and "sensitive_action" in record.escalation_reasons
    details = " ".join(d.detail for r in records if r.escalation for d in r.escalation.reasons)
    assert "credit cap of 100.00 EUR per 30 days" in details
    assert "95.00 EUR already credited in that period" in details


def test_the_cap_counts_each_customer_and_period_apart(workspace: Workspace) -> None:
    long_ago = datetime.now(UTC) - timedelta(days=31)
    with transaction(workspace.engine) as session:
        effects.add_credit(
            session,
            customer_id="C-1001",
            ticket_id="tkt_old",
            amount=90.0,
            currency="EUR",
            reason="last month",
            now=long_ago,
        )
        effects.add_credit(
            session,
            customer_id="C-1003",
            ticket_id="tkt_other",
            amount=90.0,
            currency="EUR",
            reason="another customer",
            now=datetime.now(UTC),
        )
    record = _ask(workspace, "C-1001", INCIDENTS[0], "45 EUR")
    assert [a.status for a in _credit_actions(record)] == ["executed"]


def test_a_thousand_euros_is_never_credited_as_one(workspace: Workspace) -> None:
    record = _ask(workspace, "C-1001", INCIDENTS[0], "€1,000")
    assert record.language == "en"
    [credit] = _credit_actions(record)
    assert credit.status == "proposed" and credit.args["amount"] == 1000.0
    assert _credits(workspace, "C-1001") == []


def test_an_ambiguous_amount_is_proposed_without_an_amount(workspace: Workspace) -> None:
    # English writes a thousand as "1,000" and one as "1.00": "1.000" is neither, for sure.
    record = _ask(workspace, "C-1005", INCIDENTS[0], "1.000 EUR")
    [credit] = _credit_actions(record)
    assert credit.status == "proposed" and credit.args["amount"] is None
    assert "could mean 1.00 or 1,000.00" in credit.args["reason"]
    assert record.escalated and "sensitive_action" in record.escalation_reasons
    assert record.escalation is not None
    assert "has no amount" in " ".join(r.detail for r in record.escalation.reasons)
    assert _credits(workspace, "C-1005") == []


@pytest.mark.parametrize(
    ("body", "amount"),
    [
        ("Bitte schreiben Sie uns eine Gutschrift von 1,000 € gut.", None),  # 1 or 1000?
        ("Bitte schreiben Sie uns eine Gutschrift von 49,90 € gut.", 49.9),
        ("Could you credit us 1,000 EUR for the outage?", 1000.0),
    ],
)
def test_the_billing_specialist_reads_the_ticket_language(
    run_specialist, body: str, amount: float | None
) -> None:
    ran = run_specialist("billing", body, "billing", customer_id="C-1005")
    [credit] = [a for a in ran.actions if a.tool == "issue_credit"]
    assert credit.args["amount"] == amount
    assert credit.status == ("executed" if amount == 49.9 else "proposed")


@pytest.fixture
def billing_gate(workspace: Workspace):
    sessions: list[Session] = []

    def make(customer_id: str = "C-1001") -> ToolGate:
        session = Session(workspace.engine)
        sessions.append(session)
        policy = workspace.deps.specialists["billing"].policy
        return ToolGate("billing", policy, session, _env(customer_id))

    yield make
    for session in sessions:
        session.close()


def test_gate_counts_credits_earlier_in_the_same_run(billing_gate) -> None:
    gate = billing_gate()
    calls = [gate.call("issue_credit", {"amount": 40, "reason": "goodwill"}) for _ in range(3)]
    assert [c.status for c in calls] == ["executed", "executed", "proposed"]
    assert "80.00 EUR already credited" in (calls[2].reason or "")


def test_gate_refuses_a_credit_the_ticket_did_not_ask_for(billing_gate, workspace) -> None:
    from helpers import view

    gate = billing_gate()
    gate.ticket = view(workspace.policies, body="Please credit us 1.000 EUR for the outage.")
    result = gate.call("issue_credit", {"amount": 1, "reason": "goodwill"})
    assert result.status == "proposed" and "amount is unclear" in (result.reason or "")
    gate.ticket = view(workspace.policies, body="Please credit us 20 EUR for the outage.")
    result = gate.call("issue_credit", {"amount": 2, "reason": "goodwill"})
    assert result.status == "proposed" and "not the 20.00 EUR" in (result.reason or "")


def test_a_currency_without_a_cap_waits_for_approval(billing_gate, workspace) -> None:
    policy = workspace.deps.specialists["billing"].policy
    assert policy.credit_cap is not None
    gate = billing_gate("C-1002")  # a USD account
    gate.policy = policy.model_copy(
        update={"credit_cap": policy.credit_cap.model_copy(update={"amounts": {"EUR": 100}})}
    )
    result = gate.call("issue_credit", {"amount": 20, "reason": "goodwill"})
    assert result.status == "proposed" and "no amount for USD" in (result.reason or "")
    gate.policy = policy.model_copy(update={"credit_cap": None})
    result = gate.call("issue_credit", {"amount": 20, "reason": "goodwill"})
    assert result.status == "proposed" and "no credit_cap" in (result.reason or "")


def test_two_credits_applied_at_once_cannot_both_pass_the_cap(
    any_store_workspace: Workspace,
) -> None:
    """Each credit fits under the cap alone; together they do not. The first transaction
    stays open while the second applies: the second must wait for it, then see its credit."""
    ws = any_store_workspace
    policy = ws.deps.specialists["billing"].policy
    with transaction(ws.engine) as session:
        effects.add_credit(
            session,
            customer_id="C-1001",
            ticket_id="tkt_before",
            amount=20.0,
            currency="EUR",
            reason="earlier",
            now=datetime.now(UTC),
        )
    action = ActionRecord(
        tool="issue_credit",
        args={"amount": 45.0, "reason": "goodwill"},
        status="executed",
        specialist="billing",
        kind="write",
    )
    first_applied = threading.Event()
    seen: dict[str, str] = {}

    def first() -> None:
        with transaction(ws.engine) as session:
            apply_action(session, action, _env("C-1001", "tkt_first"), policy)
            first_applied.set()
            time.sleep(0.5)

    def second() -> None:
        first_applied.wait(10)
        try:
            with transaction(ws.engine) as session:
                apply_action(session, action, _env("C-1001", "tkt_second"), policy)
            seen["second"] = "applied"
        except ToolError as exc:
            seen["second"] = str(exc)

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert "credit cap of 100.00 EUR" in seen["second"]
    assert "65.00 EUR already credited" in seen["second"]
    assert sorted(c.amount for c in _credits(ws, "C-1001")) == [20.0, 45.0]


def test_not_even_an_approved_credit_passes_the_cap(billing_gate, workspace) -> None:
    """The cap is a limit, not an approval threshold: a reviewer may approve a credit above
    the policy's limit, never one past the cap (they can lower it instead)."""
    gate = billing_gate()
    policy = workspace.deps.specialists["billing"].policy
    for amount in (50, 50):
        gate.call("issue_credit", {"amount": amount, "reason": "goodwill"})
    gate.call("issue_credit", {"amount": 10, "reason": "goodwill"})
    with transaction(workspace.engine) as session:
        for action in gate.actions[:2]:
            apply_action(session, action, gate.env, policy)
    over = gate.actions[2]
    assert over.status == "proposed"
    with Session(workspace.engine) as session, pytest.raises(ToolError, match="credit cap"):
        apply_action(session, over.model_copy(update={"status": "executed"}), gate.env, policy)
    with transaction(workspace.engine) as session, pytest.raises(ToolError, match="credit cap"):
        apply_action(session, over, gate.env, policy, approved_by="lead@brightline.example")
    assert sum(c.amount for c in _credits(workspace, "C-1001")) == 100.0


def test_a_credit_refused_when_applied_becomes_a_proposal(any_store_workspace: Workspace) -> None:
    """Another ticket's credit lands between this ticket's gate and its record step: nothing of
    this run is applied, and the ticket escalates with the credit proposed, not as an error."""
    ws = any_store_workspace

    def record_after_a_rival(state, runtime):
        with transaction(ws.engine) as session:
            effects.add_credit(
                session,
                customer_id="C-1001",
                ticket_id="tkt_rival",
                amount=90.0,
                currency="EUR",
                reason="a concurrent ticket",
                now=datetime.now(UTC),
            )
        return record_node(state, runtime)

    graph = build_graph({"record": record_after_a_rival}).compile()
    body = f"{INCIDENTS[0]} Could you give us a goodwill credit of 30 EUR on our next invoice?"
    submitted = submit_ticket(ws, {"customer_id": "C-1001", "subject": "Credit", "body": body})
    state = graph.invoke({"ticket": submitted.ticket}, context=ws.deps)
    outcome: OutcomeRecord = state["outcome"]
    assert outcome.escalated and "sensitive_action" in outcome.escalation_reasons
    [credit] = _credit_actions(outcome)
    assert credit.status == "proposed"
    assert outcome.escalation is not None and credit in outcome.escalation.proposed_actions
    assert any("refused when applied" in r.detail for r in outcome.escalation.reasons)
    assert [c.ticket_id for c in _credits(ws, "C-1001")] == ["tkt_rival"]
