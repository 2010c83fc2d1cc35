"""From a validated `TicketIn` to the normalised `TicketView` the workflow routes."""

from __future__ import annotations

from datetime import UTC, datetime

from deskroute.ids import new_id
from deskroute.intake.language import detect_language
from deskroute.intake.normalize import normalize_body, normalize_subject
from deskroute.models.ticket import Channel, LanguageSource, TicketIn, TicketView
from deskroute.policies.schema import Intake


def prepare_ticket(ticket: TicketIn, intake: Intake, *, ticket_id: str | None = None) -> TicketView:
    subject = normalize_subject(ticket.subject)
    body = normalize_body(
        ticket.body, is_email=ticket.channel == Channel.EMAIL, subject=ticket.subject
    )
    language_source: LanguageSource
    if ticket.language:
        language, language_source = ticket.language, "given"
    else:
        detected = detect_language(f"{subject}\n{body}", tuple(intake.languages))
        language = detected or intake.default_language
        language_source = "detected" if detected else "default"
    created = ticket.created_at or datetime.now(UTC)
    if created.tzinfo is None:
        created = created.replace(tzinfo=UTC)
    return TicketView(
        id=ticket_id or new_id("tkt"),
        channel=ticket.channel,
        subject=subject,
        body=body,
        customer_id=ticket.customer_id,
        customer_email=ticket.customer_email,
        language=language,
        language_source=language_source,
        external_id=ticket.external_id,
        source=ticket.source,
        created_at=created,
    )
