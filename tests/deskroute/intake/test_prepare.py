"""Intake turns a valid ticket into the normalised view the graph routes."""

from __future__ import annotations

import pytest

from deskroute.intake.language import detect_language, language_name
from deskroute.intake.prepare import prepare_ticket
from deskroute.models.ticket import TicketIn

LANGUAGES = ("en", "de", "fr", "es", "it", "pt", "nl", "pl")


def test_language_detection() -> None:
    assert (
        detect_language("Meine Rechnung ist falsch, bitte korrigieren Sie sie", LANGUAGES) == "de"
    )
    assert detect_language("Je n'arrive plus à me connecter à mon compte", LANGUAGES) == "fr"
    assert (
        detect_language("Our dashboard has not refreshed since Monday morning", LANGUAGES) == "en"
    )


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("請求書が二重に請求されています。返金してください。", "ja"),
        ("ログインできません。パスワードをリセットしてください。", "ja"),
        ("我的发票有问题，请帮我检查一下。", "zh"),
        ("로그인이 안 됩니다. 도와주세요.", "ko"),
        ("Мой счёт неверный, помогите пожалуйста.", "ru"),
    ],
)
def test_a_language_outside_the_list_is_not_forced_onto_a_listed_one(text, code) -> None:
    assert detect_language(text, LANGUAGES) == code


def test_language_names() -> None:
    assert (language_name("de"), language_name("ja"), language_name("xx")) == (
        "German",
        "Japanese",
        "xx",
    )


def test_short_text_is_undetermined() -> None:
    assert detect_language("ok", LANGUAGES) is None


@pytest.mark.parametrize(
    "text",
    [
        "Which file formats can I export to?",
        "How do I change the colours of a chart?",
        "Where do I generate an API key?",
        "The colour picker ignores my clicks when I edit a chart",
    ],
)
def test_a_short_english_question_is_never_taken_for_another_language(text: str) -> None:
    """Replies follow the detected language: a guess would answer in German or French."""
    assert detect_language(text, LANGUAGES) in ("en", None)


def test_prepare_detects_and_defaults(policies) -> None:
    german = prepare_ticket(
        TicketIn(body="Unsere Rechnung ist doppelt abgebucht worden."), policies.intake
    )
    assert (german.language, german.language_source) == ("de", "detected")
    short = prepare_ticket(TicketIn(body="ok"), policies.intake)
    assert (short.language, short.language_source) == ("en", "default")
    japanese = prepare_ticket(
        TicketIn(body="ダッシュボードが表示されません。至急確認してください。"), policies.intake
    )
    assert (japanese.language, japanese.language_source) == ("ja", "detected")
    given = prepare_ticket(TicketIn(body="hello", language="fr"), policies.intake)
    assert (given.language, given.language_source) == ("fr", "given")


def test_prepare_normalises_email_only(policies) -> None:
    email = prepare_ticket(
        TicketIn(channel="email", body="Broken\n\nThanks,\nAnna"), policies.intake
    )
    chat = prepare_ticket(TicketIn(channel="chat", body="Broken\n\nThanks,\nAnna"), policies.intake)
    assert email.body == "Broken" and chat.body == "Broken\n\nThanks,\nAnna"
    assert email.id.startswith("tkt_") and email.id != chat.id


def test_body_over_100_kb_is_cut_with_a_note(policies) -> None:
    view = prepare_ticket(TicketIn(body="x" * 102_401), policies.intake)
    assert len(view.body) <= 102_400 and view.body.endswith("[…]")
    assert view.notes == ["the text was cut to 102,400 bytes from 102,401"]


def test_body_limit_counts_bytes_not_characters(policies) -> None:
    view = prepare_ticket(TicketIn(body="€" * 40_000), policies.intake)  # 120,000 bytes
    assert len(view.body.encode("utf-8")) <= 102_400 and "120,000" in view.notes[0]
    assert view.body.startswith("€€€")


def test_body_limit_applies_after_quotes_are_stripped(policies) -> None:
    quoted = "".join(f"> quoted line {i} of an earlier message\n" for i in range(5000))
    email = TicketIn(channel="email", body=f"Still stuck.\n\nOn Mon, Ana wrote:\n{quoted}")
    view = prepare_ticket(email, policies.intake)
    assert (view.body, view.notes) == ("Still stuck.", [])
