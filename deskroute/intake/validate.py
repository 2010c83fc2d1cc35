"""Turn what a caller sent into a valid `TicketIn`, or a `BadInputError` naming the field."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError

from deskroute.errors import BadInputError
from deskroute.models.ticket import TicketIn
from deskroute.policies.schema import Intake


def _field_of(loc: tuple[int | str, ...]) -> str:
    return ".".join(str(part) for part in loc) or "ticket"


def parse_ticket(data: Mapping[str, Any] | TicketIn, intake: Intake) -> TicketIn:
    """Validate structure (pydantic) and the organisation's intake policy.

    The body's size is not refused here: its limit applies to the new text once quotes and
    signatures are gone, and too long a text is cut rather than refused (`prepare`)."""
    if isinstance(data, TicketIn):
        ticket = data
    else:
        try:
            ticket = TicketIn.model_validate(dict(data))
        except ValidationError as exc:
            first = exc.errors()[0]
            field = _field_of(first["loc"])
            message = first["msg"].removeprefix("Value error, ")
            if first["type"] == "extra_forbidden":
                message = "unknown field"
            elif first["type"] == "string_pattern_mismatch" and field == "customer_email":
                message = "not a valid e-mail address"
            elif first["type"] == "string_pattern_mismatch" and field == "language":
                message = "must be a two-letter ISO 639-1 code such as 'en'"
            elif field == "ticket" and "empty" in message:
                field = "subject/body"
            raise BadInputError(message, field=field, code=first["type"]) from exc
    if ticket.customer_id is not None and not intake.customer_id_regex.match(ticket.customer_id):
        raise BadInputError(
            f"{ticket.customer_id!r} is not a customer id of the form {intake.customer_id_pattern}",
            field="customer_id",
            code="bad_format",
        )
    if ticket.language is not None and ticket.language not in intake.languages:
        raise BadInputError(
            f"language {ticket.language!r} is not one of {', '.join(intake.languages)}",
            field="language",
            code="unsupported",
        )
    return ticket
