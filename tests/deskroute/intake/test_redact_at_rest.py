"""Card numbers and IBANs are masked before the store when `redact_at_rest` is on."""

from __future__ import annotations

from deskroute.intake.at_rest import AtRestRedactor


def test_cards_keep_their_last_four_digits() -> None:
    redactor = AtRestRedactor()
    text = "Card 4111 1111 1111 1111 and 5500-0000-0000-0004 and 378282246310005, twice."
    assert redactor.text(text) == (
        "Card [card ••••1111] and [card ••••0004] and [card ••••0005], twice."
    )
    assert redactor.counts() == {"card": 3}
    assert redactor.notes() == ["redacted at rest: 3 card numbers (last 4 kept)"]


def test_ibans_keep_their_last_four_characters() -> None:
    redactor = AtRestRedactor()
    text = "IBAN DE89 3704 0044 0532 0130 00, or GB82WEST12345698765432."
    assert redactor.text(text) == "IBAN [IBAN ••••3000], or [IBAN ••••5432]."
    assert redactor.counts() == {"IBAN": 2}


def test_look_alikes_stay() -> None:
    redactor = AtRestRedactor()
    text = (
        "order 4111 1111 1111 1112, ref DE00370400440532013000, invoice INV-2026-0101, "
        "phone +49 40 1234567, 12 digits 411111111111, date 2026-11-20"
    )
    assert redactor.text(text) == text and redactor.notes() == []


def test_metadata_strings_are_masked_and_the_same_card_counts_once() -> None:
    redactor = AtRestRedactor()
    masked = redactor.value(
        {"card": "4111-1111-1111-1111", "again": ["4111 1111 1111 1111", 7], "n": None}
    )
    assert masked == {"card": "[card ••••1111]", "again": ["[card ••••1111]", 7], "n": None}
    assert redactor.notes() == ["redacted at rest: 1 card number (last 4 kept)"]
    assert redactor.text(redactor.text("4111 1111 1111 1111")) == "[card ••••1111]"
