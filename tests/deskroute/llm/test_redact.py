"""PII redaction: typed placeholders, checksums, and restoration."""

from __future__ import annotations

from deskroute.llm.redact import Redactor, iban_ok, luhn_ok

TEXT = (
    "I am anna.weber@harbor.example, phone +49 40 1234567 or (555) 123-4567. Card "
    "4111 1111 1111 1111 was charged twice. IBAN DE89 3704 0044 0532 0130 00. "
    "Invoice INV-2026-0101 of 4,000.00 EUR on 2026-11-20, from 203.0.113.10."
)


def test_placeholders_replace_every_kind() -> None:
    redactor = Redactor()
    redacted = redactor.redact(TEXT)
    for secret in ("anna.weber@harbor.example", "1234567", "123-4567", "4111 1111", "DE89 3704"):
        assert secret not in redacted
    for placeholder in ("<EMAIL_1>", "<PHONE_1>", "<PHONE_2>", "<CARD_1>", "<IBAN_1>"):
        assert placeholder in redacted
    assert "INV-2026-0101" in redacted and "4,000.00 EUR" in redacted
    assert "2026-11-20" in redacted and "203.0.113.10" in redacted
    assert redactor.restore(redacted) == TEXT


def test_same_value_same_placeholder_across_calls() -> None:
    redactor = Redactor()
    first = redactor.redact("write to a@b.example")
    second = redactor.redact("again: a@b.example and c@d.example")
    assert first == "write to <EMAIL_1>" and second == "again: <EMAIL_1> and <EMAIL_2>"


def test_checksums_keep_look_alikes() -> None:
    assert luhn_ok("4111111111111111") and not luhn_ok("4111111111111112")
    assert iban_ok("DE89 3704 0044 0532 0130 00") and not iban_ok("DE00 3704 0044 0532 0130 00")
    text = "order 4111 1111 1111 1112 and ref DE00370400440532013000"
    assert Redactor().redact(text) == text


def test_disabled_changes_nothing() -> None:
    assert Redactor(enabled=False).redact(TEXT) == TEXT


def test_restore_leaves_unknown_placeholders() -> None:
    redactor = Redactor()
    redactor.redact("x@y.example")
    assert redactor.restore("<EMAIL_1> and <EMAIL_9>") == "x@y.example and <EMAIL_9>"
