"""Tickets as callers submit them (`TicketIn`) and as the workflow sees them (`TicketView`)."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from deskroute.models.times import UtcDatetime

EMAIL_PATTERN = r"^[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+$"
NUL = "\x00"
NOTES_KEY = "intake_notes"
"""The metadata key under which intake keeps its notes (reserved: callers may not send it)."""


def without_nul(value: Any) -> Any:
    """The value with every NUL character taken out of its strings (keys, values, items).

    NUL carries no meaning in a ticket, and PostgreSQL cannot store it in text."""
    if isinstance(value, str):
        return value.replace(NUL, "") if NUL in value else value
    if isinstance(value, dict):
        return {without_nul(k): without_nul(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [without_nul(item) for item in value]
    return value


class NulFree(BaseModel):
    """A model of caller input whose strings, nested ones included, hold no NUL."""

    @model_validator(mode="before")
    @classmethod
    def _drop_nul(cls, data: Any) -> Any:
        return without_nul(data)


class Channel(StrEnum):
    EMAIL = "email"
    CHAT = "chat"
    WEB = "web"
    API = "api"


class TicketIn(NulFree):
    """A ticket as an intake bot, the CLI or a file row submits it.

    Structural checks live here; organisation-specific ones (customer id format, body size)
    come from `policies/intake.yaml` in `deskroute.intake.validate`.
    """

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    channel: Channel = Channel.API
    subject: str = Field(default="", max_length=998)
    body: str = ""
    customer_id: str | None = Field(default=None, max_length=64)
    customer_email: str | None = Field(default=None, max_length=254, pattern=EMAIL_PATTERN)
    language: str | None = Field(default=None, pattern=r"^[a-z]{2}$")
    external_id: str | None = Field(default=None, max_length=255)
    source: str | None = Field(default=None, max_length=100)
    created_at: UtcDatetime | None = None
    metadata: dict[str, Any] = Field(default_factory=dict)

    @field_validator("customer_id", "customer_email", "external_id", "source", "language")
    @classmethod
    def _blank_is_none(cls, value: str | None) -> str | None:
        return value or None

    @field_validator("metadata")
    @classmethod
    def _no_reserved_key(cls, value: dict[str, Any]) -> dict[str, Any]:
        if NOTES_KEY in value:
            raise ValueError(f"{NOTES_KEY!r} is reserved for DeskRoute's own notes")
        return value

    @field_validator("customer_email")
    @classmethod
    def _lower_email(cls, value: str | None) -> str | None:
        return value.lower() if value else value

    @model_validator(mode="after")
    def _has_text(self) -> TicketIn:
        if not self.subject and not self.body:
            raise ValueError("subject and body are both empty; a ticket needs some text")
        return self


LanguageSource = Literal["given", "detected", "default"]
"""Where a ticket's language came from: the caller, detection, or the policy default."""

OpenStatus = Literal["received", "routing"]
"""A ticket without an outcome yet; `routing` is one routing worker's claim."""
FinalStatus = Literal["routed", "escalated"]
"""A ticket with its outcome (escalated: a person owns it)."""
ReviewedStatus = Literal["resolved"]
"""An escalated ticket a person has decided."""
TicketStatus = Literal[OpenStatus, FinalStatus, ReviewedStatus]
"""received -> [routing ->] routed | escalated, once; escalated -> resolved by a review."""
OPEN_STATUSES: tuple[OpenStatus, ...] = get_args(OpenStatus)


class TicketView(BaseModel):
    """The normalised ticket the graph works on (serialisable, immutable in the state)."""

    model_config = ConfigDict(frozen=True)

    id: str
    channel: Channel
    subject: str
    body: str
    customer_id: str | None
    customer_email: str | None
    language: str
    language_source: LanguageSource
    external_id: str | None = None
    source: str | None = None
    created_at: datetime = Field(default_factory=lambda: datetime.now(UTC))
    notes: list[str] = Field(default_factory=list)
    """What intake changed that a reviewer should know, e.g. that a too long text was cut."""

    @property
    def text(self) -> str:
        """Subject and body as one text, the input of classifiers and rules."""
        if self.subject and self.body:
            return f"{self.subject}\n{self.body}"
        return self.subject or self.body
