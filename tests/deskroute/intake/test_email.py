"""Raw e-mails to ticket fields: bodies, senders, threads, attachments, bad messages."""

from __future__ import annotations

import pytest
from sample_emails import (
    EMPTY_RFC822_ATTACHMENT,
    FORWARD,
    GERMAN_LATIN1,
    GMAIL_MULTIPART,
    OUTLOOK_HTML_REPLY,
    UTF8_HEADERS,
    nested_multipart,
)

from deskroute.errors import BadInputError
from deskroute.intake.email import parse_email
from deskroute.intake.html_text import html_to_text
from deskroute.intake.normalize import normalize_body


def test_multipart_prefers_plain_text_and_lists_attachments() -> None:
    email = parse_email(GMAIL_MULTIPART)
    assert email.sender == "elke.janssens@vandermeer.example"
    assert email.sender_name == "Elke Janssens"
    assert email.message_id == "CAF3kR9xQ1@mail.gmail.example" and email.thread_ids == []
    assert email.cc == ["ap@vandermeer.example"]
    assert email.text.startswith("Hello,\n\ninvoice INV-2026-0311")
    assert [(a.filename, a.content_type) for a in email.attachments] == [
        ("INV-2026-0311.pdf", "application/pdf")
    ]
    assert email.attachments[0].size > 0
    body = normalize_body(email.text, is_email=True)
    assert "Finance, Vandermeer" not in body and "reverse-charge" in body


def test_html_only_reply_keeps_the_new_words_only() -> None:
    email = parse_email(OUTLOOK_HTML_REPLY)
    assert email.thread_ids == ["CAokta-first@brenna.example"]
    body = normalize_body(email.text, is_email=True)
    assert "any progress on the NameID error" in body
    assert "NameID missing" not in body and "margin" not in body


def test_forward_keeps_the_forwarded_text_in_the_raw_body() -> None:
    email = parse_email(FORWARD)
    assert email.subject == "Fwd: Seat price on INV-2026-0402"
    assert "order form says 39" in email.text


def test_non_ascii_headers_and_latin1_body() -> None:
    german = parse_email(GERMAN_LATIN1)
    assert german.sender_name == "Jürgen Müller" and german.subject == "Rechnung für Mär"
    assert "Rechnung für März fehlt" in german.text
    utf8 = parse_email(UTF8_HEADERS)
    assert utf8.sender_name == "Zoë Ångström" and utf8.subject.endswith("ä ö ü")
    garbled = parse_email(b"From: a@b.example\nSubject: \xff caf\xc3\xa9\n\nundeclared bytes")
    assert garbled.subject == "\ufffd café"  # kept, as a mail client shows it


def test_html_to_text_blocks_lists_and_quotes() -> None:
    html = (
        "<p>First&nbsp;line</p><ul><li>one</li><li>two</li></ul>"
        "<blockquote>old <b>text</b></blockquote><script>x()</script><pre>a\n  b</pre>"
    )
    assert html_to_text(html) == "First line\n\n- one\n- two\n\n> old text\n\na\n  b"


@pytest.mark.parametrize(
    ("raw", "field"),
    [
        (b"", "message"),
        (b"   \r\n", "message"),
        (b"just some words without headers", "message"),
        (b"To: support@brightline.example\nSubject: hi\n\nno sender", "From"),
        (b"From: someone\nSubject: hi\n\nno address", "From"),
        (
            b"From: a@b.example\nContent-Type: text/plain; charset=klingon-8\n\nqapla",
            "Content-Type",
        ),
        (nested_multipart(40), "Content-Type"),
        (nested_multipart(5000), "Content-Type"),
        (nested_multipart(5000, closed=True), "Content-Type"),
    ],
)
def test_unusable_messages_are_bad_input(raw: bytes, field: str) -> None:
    with pytest.raises(BadInputError) as raised:
        parse_email(raw)
    assert raised.value.field == field


def test_too_deep_nesting_is_named() -> None:
    with pytest.raises(BadInputError) as raised:
        parse_email(nested_multipart(5000))
    assert raised.value.code == "malformed_email" and "nest" in raised.value.message


def test_an_empty_attached_message_is_listed() -> None:
    parsed = parse_email(EMPTY_RFC822_ATTACHMENT)
    assert parsed.text.strip() == "See the attached message, it arrived empty."
    assert [a.content_type for a in parsed.attachments] == ["message/rfc822"]
