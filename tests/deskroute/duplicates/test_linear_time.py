"""Crafted long inputs finish, with the specifics ordinary text would give.

No timings here (those are in `bench/pathological.py`): before the scans were bounded, each of
these took minutes to hours, so a regression shows as a test that does not finish."""

from __future__ import annotations

import pytest

from deskroute.duplicates import fingerprint, is_duplicate
from deskroute.duplicates.specifics import specifics
from deskroute.intake.normalize import normalize_body

RUN = 200_000


def _print(subject: str, body: str) -> object:
    return fingerprint(
        subject=subject,
        body=normalize_body(body, is_email=True),
        raw_body=body,
        is_email=True,
    )


@pytest.mark.parametrize("unit", ["a", "a.", "a-", "1.", "1,", "a1.", "_", "(1-", "@"])
def test_a_200_kb_token_is_fingerprinted(unit: str) -> None:
    body = unit * (RUN // len(unit))
    found = specifics(f"Export fails for {body}")
    assert not found["email"] and not found["quoted"] and not found["name"]
    assert _print("Export fails", body) is not None


def test_a_number_before_a_currency_is_at_most_32_characters() -> None:
    assert specifics("refund 1,234,567,890.00 EUR please")["amount"] == {"1,234,567,890.00 eur"}
    assert specifics(f"refund {'1' * 32} EUR")["amount"] == {"1" * 32 + " eur"}
    assert not specifics(f"refund {'1' * 33} EUR")["amount"]


def test_blank_lines_and_dashes_in_a_raw_body() -> None:
    body = "Hello team,\n" + "\n" * RUN + " -" + " " * RUN + "any update on INV-2026-0402?"
    fp = fingerprint(subject="Export", body=body, raw_body=body, is_email=False)
    assert fp.follow_up and "inv-2026-0402" in fp.specifics["id"]


def test_ticket_tags_in_a_subject_are_read_once() -> None:
    tagged = _print("[Ticket #4521] Re: Export fails", "the export fails since Monday")
    plain = _print("Export fails", "the export fails since Monday")
    assert tagged.reply and tagged.subject_words == plain.subject_words
    assert is_duplicate(plain, tagged)
    crafted = _print("[#1" * 333, "the export fails since Monday")
    assert not crafted.reply
