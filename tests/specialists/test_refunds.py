"""Refunds and cancellations are prepared as proposals, never carried out."""

from __future__ import annotations


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
