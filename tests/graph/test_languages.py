"""Customers are answered in their own language where the prompt files have it, in English
with a note for the reviewer where they do not."""

from __future__ import annotations

import pytest

from graph.context import Deps

REPLY_PROMPTS = [
    "escalation",
    "intake",
    "account_access",
    "billing",
    "feedback",
    "general",
    "privacy",
    "refunds",
    "sales",
    "security",
    "technical",
]


@pytest.mark.parametrize("name", REPLY_PROMPTS)
def test_every_reply_prompt_ships_german_french_spanish_and_dutch(runtime, name: str) -> None:
    deps: Deps = runtime.context
    prompts = {
        "escalation": deps.escalation_prompt,
        "intake": deps.intake_prompt,
        **{n: loaded.prompt for n, loaded in deps.specialists.items()},
    }
    assert prompts[name].languages >= {"en", "de", "fr", "es", "nl"}


def test_a_german_ticket_gets_a_german_reply(route) -> None:
    record = route(
        "Bitte senden Sie mir die Rechnung INV-2026-0118 noch einmal zu.", customer_id="C-1005"
    )
    assert record.language == "de" and record.category == "billing" and not record.escalated
    response = record.response or ""
    assert response.startswith("Hallo Jonas Becker,\n\n")
    assert "Die Rechnung INV-2026-0118 (Starter plan, 4 seats, monthly) über 116.00 EUR" in response
    assert response.endswith(
        f"Viele Grüße\nIhr Abrechnungsteam von Brightline\nReferenz: {record.ticket_id}"
    )
    assert record.notes == []


def test_a_french_holding_reply(route) -> None:
    record = route(
        "Je veux parler à un humain, pas à un robot, au sujet de mon compte.",
        customer_id="C-1003",
    )
    assert record.language == "fr" and record.escalated
    response = record.response or ""
    assert response.startswith("Bonjour Camille Rousseau,\n\n")
    assert "L'équipe support de Brightline\nRéférence : " in response


def test_a_spanish_sender_without_an_account(route) -> None:
    record = route(
        "Hola, necesito una copia de mi última factura, por favor. Gracias.",
        customer_email="nadie@desconocido.example",
    )
    assert record.language == "es"
    assert (record.response or "").startswith("Hola:\n\n")


def test_a_dutch_repeat_is_acknowledged_in_dutch(route) -> None:
    body = "Kunt u factuur INV-2026-0101 nog een keer naar mij sturen? Alvast bedankt."
    first = route(body, customer_id="C-1001")
    repeat = route(body + " Ik wacht nog steeds.", customer_id="C-1001")
    assert repeat.duplicate_of == first.ticket_id and repeat.language == "nl"
    response = repeat.response or ""
    assert response.startswith("Beste Anna Weber,\n\nDit lijkt hetzelfde verzoek")
    assert response.endswith(f"Het supportteam van Brightline\nReferentie: {first.ticket_id}")


def test_a_japanese_ticket_gets_english_and_a_note(route) -> None:
    record = route(
        "請求書INV-2026-0101をもう一度送ってください。よろしくお願いします。", customer_id="C-1001"
    )
    assert record.language == "ja"
    assert (record.response or "").startswith("Hi Anna Weber,")
    assert any(
        "Japanese (ja)" in note and "its reply is in English" in note for note in record.notes
    ), record.notes


def test_a_listed_language_without_templates_gets_english_and_a_note(route) -> None:
    record = route("Please resend invoice INV-2026-0101", customer_id="C-1001", language="it")
    assert record.language == "it" and not record.escalated
    assert (record.response or "").startswith("Hi Anna Weber,")
    assert record.notes == [
        "the ticket is in Italian (it) and billing.yaml has no it templates: "
        "its reply is in English"
    ]
