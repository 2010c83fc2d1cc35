"""Billing answers from the invoice record, resends invoices, and respects the credit limit."""

from __future__ import annotations


def test_cites_the_invoice(run_specialist) -> None:
    ran = run_specialist(
        "billing", "Why is invoice INV-2026-0101 so high?", "billing", customer_id="C-1001"
    )
    assert "INV-2026-0101" in ran.text and "4,000.00 EUR" in ran.text
    assert ran.status("get_invoice") == "executed" and ran.status("resend_invoice") is None


def test_resends_when_asked(run_specialist) -> None:
    ran = run_specialist(
        "billing", "Please send me a copy of invoice INV-2026-0101", "billing", customer_id="C-1001"
    )
    assert ran.status("resend_invoice") == "executed" and "e-mailed a copy" in ran.text


def test_unknown_invoice_lists_recent_ones(run_specialist) -> None:
    ran = run_specialist("billing", "Question about INV-2026-0999", "billing", customer_id="C-1001")
    assert "could not find invoice INV-2026-0999" in ran.text and "INV-2026-01" in ran.text


def test_credit_within_and_above_limit(run_specialist) -> None:
    small = run_specialist(
        "billing", "Could you credit us 20 EUR for the delay?", "billing", customer_id="C-1002"
    )
    assert small.status("issue_credit") == "executed" and "goodwill credit of 20.00" in small.text
    large = run_specialist(
        "billing", "We expect a credit of 400 EUR", "billing", customer_id="C-1002"
    )
    assert large.status("issue_credit") == "proposed" and "needs approval" in large.text


def test_unknown_customer_is_asked_to_identify(run_specialist) -> None:
    ran = run_specialist(
        "billing", "my invoice is wrong", "billing", customer_email="stranger@nowhere.example"
    )
    assert "could not match your e-mail" in ran.text and ran.actions == []
