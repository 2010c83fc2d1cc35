"""From a validated `TicketIn` to the normalised `TicketView` the workflow routes, and to what
the store keeps of it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from deskroute.ids import new_id
from deskroute.intake.at_rest import AtRestRedactor
from deskroute.intake.language import detect_language
from deskroute.intake.normalize import fit_text, normalize_body, normalize_subject
from deskroute.models.ticket import NOTES_KEY, Channel, LanguageSource, TicketIn, TicketView
from deskroute.policies.schema import Intake


def prepare_ticket(
    ticket: TicketIn,
    intake: Intake,
    *,
    ticket_id: str | None = None,
    notes: list[str] | None = None,
) -> TicketView:
    """Normalise; the body limit applies to the normalised text, which is cut (with a note),
    not refused, when even that is too long."""
    subject = normalize_subject(ticket.subject)
    body, cut = fit_text(
        normalize_body(
            ticket.body, is_email=ticket.channel == Channel.EMAIL, subject=ticket.subject
        ),
        intake.max_body_bytes,
    )
    language_source: LanguageSource
    if ticket.language:
        language, language_source = ticket.language, "given"
    else:
        detected = detect_language(f"{subject}\n{body}", tuple(intake.languages))
        language = detected or intake.default_language
        language_source = "detected" if detected else "default"
    created = ticket.created_at or datetime.now(UTC)  # validated as UTC already
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
        notes=[*cut, *(notes or [])],
    )


@dataclass(frozen=True)
class Stored:
    """What the store keeps of a submitted ticket."""

    view: TicketView
    raw_body: str
    meta: dict[str, Any]


def prepare_stored(
    ticket: TicketIn, intake: Intake, *, max_raw_bytes: int, redact: bool = False
) -> Stored:
    """The normalised ticket, its raw text (cut at the transport limit, which only a file or
    the CLI can reach) and its metadata, which carries intake's notes. With `redact`, card
    numbers and IBANs are masked in all of them before anything is derived from the text."""
    notes: list[str] = []
    if redact:
        redactor = AtRestRedactor()
        ticket = ticket.model_copy(
            update={
                "subject": redactor.text(ticket.subject),
                "body": redactor.text(ticket.body),
                "metadata": redactor.value(ticket.metadata),
            }
        )
        notes += redactor.notes()
    raw_body, raw_cut = fit_text(ticket.body, max_raw_bytes)
    notes += [f"raw text: {note}" for note in raw_cut]
    view = prepare_ticket(ticket, intake, notes=notes)
    meta = {**ticket.metadata, NOTES_KEY: view.notes} if view.notes else ticket.metadata
    return Stored(view=view, raw_body=raw_body, meta=meta)
