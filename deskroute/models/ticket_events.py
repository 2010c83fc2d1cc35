"""What the helpdesk tells DeskRoute about a ticket after routing (`POST
/v1/tickets/{id}/events`): the events that start, stop and satisfy its SLA clocks."""

from __future__ import annotations

from typing import Literal

from pydantic import ConfigDict, Field

from deskroute.models.ticket import NulFree
from deskroute.models.times import UtcDatetime

TicketEventKind = Literal[
    "first_response", "resolved", "reopened", "waiting_on_customer", "customer_replied"
]


class TicketEventIn(NulFree):
    """One event. `at`: when it happened (default: now); never in the future, never before the
    ticket was created."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    kind: TicketEventKind
    at: UtcDatetime | None = None
    note: str | None = Field(default=None, max_length=2000)
