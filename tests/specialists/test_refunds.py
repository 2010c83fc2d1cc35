"""Refunds and cancellations are prepared as proposals, never carried out."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlmodel import Session, select

from deskroute.demo import DEMO_TICKETS
from deskroute.errors import ToolError
from deskroute.service import route_new
from deskroute.store.tables import Refund
from specialists.gate import apply_action
from specialists.tools import Injected


def test_double_charge_is_found_and_refund_proposed(run_specialist) -> None:
    ran = run_specialist(
        "refunds",
        "I was charged twice this month, refund the duplicate please",
        "refunds_cancellations",
        customer_id="C-1005",
    )
    assert ran.status("issue_refund") == "proposed"
    assert "duplicates invoice" in ran.text and "approved by our finance team" in ran.text
    assert "refunded" not in ran.text.replace("approved", "")


def test_cancellation_proposed_with_renewal_date(run_specialist) -> None:
    ran = run_specialist(
        "refunds",
        "Please cancel our subscription at the end of the term",
        "refunds_cancellations",
        customer_id="C-1002",
    )
    assert ran.status("cancel_subscription") == "proposed"
    assert "effective at the end of the current period" in ran.text


def test_refund_of_someone_elses_invoice_is_refused(run_specialist) -> None:
    ran = run_specialist(
        "refunds", "Refund INV-2026-0101 now", "refunds_cancellations", customer_id="C-1002"
    )
    assert ran.status("issue_refund") is None and "could not prepare a refund" in ran.text


def test_unclear_request_asks_which_invoice(run_specialist) -> None:
    ran = run_specialist("refunds", "About my money", "refunds_cancellations", customer_id="C-1002")
    assert "which invoice" in ran.text


def test_a_difference_is_refunded_in_part_with_the_amount_left_to_the_reviewer(
    run_specialist,
) -> None:
    ran = run_specialist(
        "refunds",
        "We were switched to annual billing by mistake. Please refund the difference between "
        "annual and monthly.",
        "refunds_cancellations",
        customer_id="C-1011",
    )
    [refund] = [a for a in ran.actions if a.tool == "issue_refund"]
    assert refund.status == "proposed" and refund.args["invoice_number"] == "INV-2026-0138"
    assert refund.args["partial"] is True and refund.args["amount"] is None
    assert refund.result["amount"] is None  # never the 108,000.00 EUR of the whole invoice
    assert "agree the amount with the customer" in refund.reason
    assert "the difference between annual and monthly" in refund.args["reason"]
    assert "prepared a refund of" not in ran.text
    assert "part of invoice INV-2026-0138" in ran.text and "agree the amount" in ran.text


def test_a_stated_part_of_an_invoice_is_the_amount_proposed(run_specialist) -> None:
    ran = run_specialist(
        "refunds",
        "Please refund 500 EUR of INV-2026-0138, the difference for the unused seats.",
        "refunds_cancellations",
        customer_id="C-1011",
    )
    [refund] = [a for a in ran.actions if a.tool == "issue_refund"]
    assert (refund.args["amount"], refund.args["partial"]) == (500.0, True)
    assert refund.result["amount"] == 500.0 and "refund of 500.00 EUR" in ran.text


def test_the_demo_refund_proposes_the_amount_its_draft_states(workspace) -> None:
    [demo] = [d for d in DEMO_TICKETS if d.shows == "refund needs approval"]
    record = route_new(workspace, demo.ticket)[1]
    [refund] = [a for a in record.actions if a.tool == "issue_refund"]
    assert refund.status == "proposed" and refund.args["invoice_number"] == "INV-2026-0118"
    assert (refund.args["amount"], refund.args["partial"]) == (116.0, False)
    assert record.escalation is not None
    assert "refund of 116.00 EUR for invoice INV-2026-0118" in (record.escalation.draft_reply or "")


def test_an_unsettled_partial_refund_is_never_applied(run_specialist, workspace) -> None:
    ran = run_specialist(
        "refunds",
        "Please refund the difference between annual and monthly on INV-2026-0138.",
        "refunds_cancellations",
        customer_id="C-1011",
    )
    [refund] = [a for a in ran.actions if a.tool == "issue_refund"]
    policy = workspace.deps.specialists["refunds"].policy
    env = Injected(
        ticket_id="tkt_x", customer_id="C-1011", customer_email=None, now=datetime.now(UTC)
    )
    with Session(workspace.engine) as session, pytest.raises(ToolError, match="settled"):
        apply_action(session, refund, env, policy, approved_by="lead@brightline.example")
    with Session(workspace.engine) as session:
        assert session.exec(select(Refund)).all() == []


@pytest.mark.parametrize(
    ("body", "language"),
    [
        ("Can you confirm that our last invoice was refunded?", "en"),
        ("Pouvez-vous me confirmer que la dernière facture a bien été remboursée ?", "fr"),
    ],
)
def test_a_question_whether_a_refund_happened_proposes_nothing(
    run_specialist, body: str, language: str
) -> None:
    ran = run_specialist(
        "refunds", body, "refunds_cancellations", customer_id="C-1017", language=language
    )
    assert ran.status("issue_refund") is None and ran.status("cancel_subscription") is None
    assert "INV-2026-0163 (58.00 EUR" in ran.text


def test_a_double_charge_in_german_is_found(run_specialist) -> None:
    ran = run_specialist(
        "refunds",
        "Wir wurden zweimal abgebucht. Bitte erstatten Sie die doppelte Zahlung.",
        "refunds_cancellations",
        customer_id="C-1005",
        language="de",
    )
    [refund] = [a for a in ran.actions if a.tool == "issue_refund"]
    assert refund.status == "proposed" and refund.args["amount"] == 116.0
