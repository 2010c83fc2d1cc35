"""Amounts read with the currency's and the language's conventions, or refused as ambiguous."""

from __future__ import annotations

from decimal import Decimal

import pytest

from deskroute.money import Ambiguous, Amount, find_amounts, parse_amount, requested_amount

READ = [
    # written, ticket language (None: no hint), value, currency
    ("€1,000", "en", "1000", "EUR"),
    ("1.000,00 EUR", None, "1000", "EUR"),
    ("1.000,00 EUR", "en", "1000", "EUR"),
    ("1 000 €", None, "1000", "EUR"),
    ("1\u202f000 €", "fr", "1000", "EUR"),
    ("1\u00a0000,50 €", "fr", "1000.50", "EUR"),
    ("EUR 49.-", None, "49", "EUR"),
    ("49,- €", "de", "49", "EUR"),
    ("1.000,- €", None, "1000", "EUR"),
    ("49,90 €", None, "49.90", "EUR"),
    ("49,90 €", "en", "49.90", "EUR"),
    ("$1,234.56", None, "1234.56", "USD"),
    ("$1,234.56", "de", "1234.56", "USD"),
    ("$1,000", None, "1000", "USD"),
    ("£12.5", None, "12.50", "GBP"),
    ("1.000 EUR", "de", "1000", "EUR"),
    ("1.000.000 €", None, "1000000", "EUR"),
    ("1'000 EUR", None, "1000", "EUR"),
    ("US$20", "en", "20", "USD"),
    ("20 euros", None, "20", "EUR"),
    ("30 EUR", None, "30", "EUR"),
    ("45 gbp", None, "45", "GBP"),
]


@pytest.mark.parametrize(("written", "language", "value", "currency"), READ)
def test_reads(written: str, language: str | None, value: str, currency: str) -> None:
    assert parse_amount(written, language=language) == Amount(Decimal(value), currency)


AMBIGUOUS = [
    # written, language, the readings a person must choose from
    ("€1,000", None, ("1", "1000")),  # no hint: one euro or a thousand
    ("1,000 EUR", None, ("1", "1000")),
    ("€1,000", "de", ("1", "1000")),  # German decimal comma, yet three decimals
    ("1.000 EUR", "en", ("1", "1000")),  # English decimal point, yet three decimals
    ("$1.000", "de", ("1", "1000")),  # dollars say `.`, German says `,`
    ("1,0000 EUR", None, ()),
    ("1,000.000 €", None, ()),
    ("12,34,567 €", None, ()),
    ("0,500 EUR", "en", ()),
]


@pytest.mark.parametrize(("written", "language", "readings"), AMBIGUOUS)
def test_ambiguous(written: str, language: str | None, readings: tuple[str, ...]) -> None:
    result = parse_amount(written, language=language)
    assert isinstance(result, Ambiguous), result
    assert result.readings == tuple(Decimal(r) for r in readings)
    assert written in result.problem


def test_ambiguous_thousand_never_reads_as_one() -> None:
    result = parse_amount("€1,000")
    assert isinstance(result, Ambiguous) and "1.00 or 1,000.00" in result.problem


def test_not_an_amount() -> None:
    assert isinstance(parse_amount("1000"), Ambiguous)


def test_finds_amounts_in_text() -> None:
    text = "Please credit €1,000. The invoice INV-2026-0142 EUR 30 was wrong, and so was 20 EUR."
    assert find_amounts(text, language="en") == [
        Amount(Decimal(1000), "EUR"),
        Amount(Decimal(30), "EUR"),
        Amount(Decimal(20), "EUR"),
    ]
    assert find_amounts("ein Guthaben von 1.000 €!", language="de") == [
        Amount(Decimal(1000), "EUR")
    ]
    assert find_amounts("nothing to pay, ticket C-1002, 20 items") == []


REQUESTED = [
    ("Could you credit us 20 EUR for the delay?", "en", Amount(Decimal(20), "EUR")),
    ("A credit of 20 EUR would be fair; 20 € is all we ask.", "en", Amount(Decimal(20), "EUR")),
    ("No amount here", "en", None),
    ("Could you credit us 40 AUD as a goodwill gesture?", "en", Amount(Decimal(40), "AUD")),
    ("Eine Gutschrift über CHF 150 wäre fair.", "de", Amount(Decimal(150), "CHF")),
    ("Graag het verschil terugbetalen: 3 x 45 EUR = 135 EUR.", "nl", Amount(Decimal(135), "EUR")),
    ("Refund 2 × $19.99 = $39.98 please", "en", Amount(Decimal("39.98"), "USD")),
]


@pytest.mark.parametrize(("text", "language", "expected"), REQUESTED)
def test_requested_amount(text: str, language: str, expected: Amount | None) -> None:
    assert requested_amount(text, language=language) == expected


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("We pay 4,000.00 EUR a month; a credit of 30 EUR would be fair.", "en"),
        ("Please credit us €1,000 for the outage.", None),
        ("Bitte schreiben Sie uns 1,000 € gut.", "de"),
        ("3 x 45 EUR = 130 EUR, please refund it", "en"),  # not the sum it says
    ],
)
def test_requested_amount_unclear(text: str, language: str | None) -> None:
    assert isinstance(requested_amount(text, language=language), Ambiguous)
