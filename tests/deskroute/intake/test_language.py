"""The detector reads long words in pieces: its time grows with the square of a word's length."""

from __future__ import annotations

from deskroute.intake.language import MAX_WORD_CHARS, detect_language, detection_text

LANGUAGES = ("en", "de", "fr")


def test_ordinary_text_reaches_the_detector_unchanged() -> None:
    text = "Unsere Rechnung https://app.brightline.io/billing/invoices/INV-2026-0402 ist falsch"
    assert detection_text(text) == text


def test_a_long_word_is_cut_into_pieces() -> None:
    word = "ab" * 100_000
    pieces = detection_text(f"Hello {word} there").split()
    assert pieces[0] == "Hello" and pieces[-1] == "there"
    assert "".join(pieces[1:-1]) == word
    assert max(len(p) for p in pieces) == MAX_WORD_CHARS


def test_a_200_kb_word_is_detected_in_pieces() -> None:
    assert detect_language("ab" * 100_000, LANGUAGES) in (None, *LANGUAGES)
