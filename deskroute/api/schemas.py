"""Response bodies of the HTTP API (requests use `TicketIn` and `ChatTranscript`)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from deskroute.models.outcome import OutcomeRecord
from deskroute.models.ticket import TicketStatus


class ErrorDetail(BaseModel):
    code: str = Field(description="Machine-readable, e.g. `invalid_json`, `too_large`.")
    message: str
    field: str | None = Field(description="The offending field or header, if one is to blame.")


class ErrorBody(BaseModel):
    error: ErrorDetail


class TicketAccepted(BaseModel):
    """What a submit returns: `202` for a new ticket, `200` for a repeat, for an e-mail reply
    or follow-up added to an existing ticket, or with the outcome when `?wait=` saw it finish."""

    ticket_id: str
    status: TicketStatus
    status_url: str
    created: bool = Field(description="False: same external id, idempotency key or Message-ID.")
    attached: bool = Field(
        default=False,
        description="An e-mail reply, or new content under the same external id (a follow-up), "
        "added to the thread of this existing ticket; it is not routed again.",
    )
    outcome: OutcomeRecord | None = None


class MessageOut(BaseModel):
    """A later message in the ticket's thread."""

    message_id: str | None
    sender: str | None
    subject: str
    body: str
    received_at: datetime
    metadata: dict[str, Any]


class TicketOut(BaseModel):
    id: str
    status: TicketStatus
    channel: str
    subject: str
    body: str = Field(description="Normalised: quoted replies and signatures stripped.")
    customer_id: str | None
    customer_email: str | None
    language: str
    external_id: str | None
    source: str | None
    created_at: datetime
    received_at: datetime
    metadata: dict[str, Any]
    notes: list[str] = Field(
        description="What intake changed that a reviewer should know, e.g. a too long text cut."
    )
    messages: list[MessageOut]
    outcome: OutcomeRecord | None = Field(description="The latest outcome; null while routing.")


class OutcomePage(BaseModel):
    total: int
    limit: int
    offset: int
    items: list[OutcomeRecord]
    next_url: str | None = Field(description="The next page, if there is one.")


class Health(BaseModel):
    status: Literal["ok"]


class Readiness(BaseModel):
    status: Literal["ready", "not_ready"]
    store: bool
    model: bool
    model_version: str | None
