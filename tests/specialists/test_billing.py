"""Billing answers from the invoice record, resends invoices, and respects the credit limit."""

from __future__ import annotations

import pytest


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


@pytest.mark.parametrize(
    ("body", "language"),
    [
        ("Können Sie uns die Rechnung INV-2026-0101 noch einmal zuschicken?", "de"),
        ("Pouvez-vous nous renvoyer la facture INV-2026-0101 ?", "fr"),
        ("¿Me pueden reenviar la factura INV-2026-0101?", "es"),
        ("Kunt u factuur INV-2026-0101 nogmaals naar ons sturen?", "nl"),
    ],
)
def test_resends_when_asked_in_another_language(run_specialist, body: str, language: str) -> None:
    ran = run_specialist("billing", body, "billing", customer_id="C-1001", language=language)
    assert ran.status("resend_invoice") == "executed"


def test_a_failed_card_payment_says_where_to_replace_the_card(run_specialist) -> None:
    ran = run_specialist(
        "billing",
        "Our card payment failed. How do we update the card?",
        "billing",
        customer_id="C-1004",
    )
    assert "Settings > Billing > Payment method" in ran.text
    assert "outstanding invoice INV-2026-0114 (720.00 GBP)" in ran.text
    assert "- INV-2026-0114: 720.00 GBP, payment failed, issued" in ran.text


def test_what_is_owed_is_totalled_in_the_customers_language(run_specialist) -> None:
    ran = run_specialist(
        "billing", "¿Cuánto debo? Tengo facturas vencidas.", "billing", customer_id="C-1013"
    )
    assert "INV-2026-0146: 87.00 USD, vencida, emitida el" in ran.text
    assert "Pendiente de pago: INV-2026-0146, INV-2026-0145 (174.00 USD en total)." in ran.text


def test_a_known_billing_issue_is_quoted(run_specialist) -> None:
    ran = run_specialist(
        "billing",
        "Auf der Rechnung INV-2026-0177 fehlt unsere USt-IdNr.",
        "billing",
        customer_id="C-1021",
        language="de",
    )
    assert "bekanntes Problem bei der Abrechnung, KI-107" in ran.text
    assert "mit der USt-IdNr. neu aus" in ran.text and "Status: offen" in ran.text
