"""Chat transcripts to ticket fields: the customer's words are the body, the rest is kept."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from pydantic import ValidationError

from deskroute.errors import BadInputError
from deskroute.intake.chat import ChatTranscript
from deskroute.intake.validate import parse_ticket
from deskroute.models.ticket import Channel

AT = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)


def transcript(*messages: tuple[str, str], **fields: Any) -> ChatTranscript:
    return ChatTranscript.model_validate(
        {"messages": [{"role": r, "text": t} for r, t in messages], **fields}
    )


def test_the_body_is_the_customers_messages_in_order(policies) -> None:
    chat = transcript(
        ("bot", "Hi! How can I help?"),
        ("customer", "  my 2FA codes are rejected  "),
        ("agent", "Is your phone's clock right?"),
        ("user", "   "),
        ("user", "yes. I need a reset please"),
        customer_id="C-1014",
        external_id="chat-77",
        source="chatbot",
        subject="2FA",
        language="en",
    )
    fields = chat.ticket_fields()
    assert fields["body"] == "my 2FA codes are rejected\n\nyes. I need a reset please"
    ticket = parse_ticket(fields, policies.intake)
    assert ticket.channel == Channel.CHAT
    assert (ticket.customer_id, ticket.external_id, ticket.source, ticket.subject) == (
        "C-1014",
        "chat-77",
        "chatbot",
        "2FA",
    )


def test_the_whole_transcript_is_kept_for_the_reviewer() -> None:
    chat = ChatTranscript.model_validate(
        {
            "messages": [
                {"role": "bot", "text": "How can I help?", "author": "Helpbot"},
                {"role": "customer", "text": "export is stuck", "at": AT.isoformat()},
            ],
            "metadata": {"crm": 7, "transcript": "the caller's own"},
        }
    )
    metadata = chat.ticket_fields()["metadata"]
    assert metadata == {
        "crm": 7,
        "transcript": [
            {"role": "bot", "text": "How can I help?", "author": "Helpbot"},
            {"role": "customer", "text": "export is stuck", "at": "2026-11-20T09:30:00Z"},
        ],
    }


def test_a_transcript_without_customer_words_is_bad_input() -> None:
    chat = transcript(("bot", "Hello?"), ("customer", " \n "), ("system", "session closed"))
    with pytest.raises(BadInputError) as caught:
        chat.ticket_fields()
    assert (caught.value.field, caught.value.code) == ("messages", "empty")


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"messages": []}, "messages"),
        ({"messages": [{"role": "customer", "text": "x"}] * 501}, "messages"),
        ({"messages": [{"role": "moderator", "text": "x"}]}, "role"),
        ({"messages": [{"role": "customer", "text": "x" * 20_001}]}, "text"),
        ({"messages": [{"role": "customer", "text": "x", "mood": "angry"}]}, "mood"),
        ({"messages": [{"role": "customer", "text": "x"}], "priority": "P1"}, "priority"),
    ],
)
def test_malformed_transcripts_are_refused_naming_the_field(
    data: dict[str, Any], field: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        ChatTranscript.model_validate(data)
    assert field in str(caught.value.errors()[0]["loc"])
