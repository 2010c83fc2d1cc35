"""Chat transcripts to tickets: the customer's messages are the body, the whole transcript is
kept in the ticket's metadata so that a reviewer sees what the bot already said."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import ConfigDict, Field

from deskroute.errors import BadInputError
from deskroute.models.ticket import Channel, NulFree

ChatRole = Literal["customer", "user", "agent", "assistant", "bot", "system"]
CUSTOMER_ROLES = frozenset({"customer", "user"})


class ChatMessage(NulFree):
    model_config = ConfigDict(extra="forbid")

    role: ChatRole = Field(description="`customer`/`user` is the customer; any other role is not.")
    text: str = Field(max_length=20_000)
    at: datetime | None = None
    author: str | None = Field(default=None, max_length=200)


class ChatTranscript(NulFree):
    """A finished chat session as a chat bot hands it over."""

    model_config = ConfigDict(extra="forbid")

    messages: list[ChatMessage] = Field(min_length=1, max_length=500)
    external_id: str | None = Field(default=None, max_length=255)
    source: str | None = Field(default=None, max_length=100)
    subject: str = Field(default="", max_length=998)
    customer_id: str | None = Field(default=None, max_length=64)
    customer_email: str | None = Field(default=None, max_length=254)
    language: str | None = None
    metadata: dict[str, Any] = Field(default_factory=dict)

    def ticket_fields(self) -> dict[str, Any]:
        """The `TicketIn` fields: customer messages in order, one paragraph each."""
        said = [m.text.strip() for m in self.messages if m.role in CUSTOMER_ROLES]
        said = [text for text in said if text]
        if not said:
            raise BadInputError(
                "the transcript has no customer message with text", field="messages", code="empty"
            )
        transcript = [m.model_dump(mode="json", exclude_none=True) for m in self.messages]
        return {
            "channel": Channel.CHAT,
            "subject": self.subject,
            "body": "\n\n".join(said),
            "customer_id": self.customer_id,
            "customer_email": self.customer_email,
            "language": self.language,
            "external_id": self.external_id,
            "source": self.source,
            "metadata": {**self.metadata, "transcript": transcript},
        }
