"""Raw RFC 822 messages to tickets: sender, subject, the readable body, thread ids and the
attachments' names (attachments themselves are not stored).

Quote and signature stripping is not done here: the ticket keeps the full text as its raw body
and `deskroute.intake.normalize` strips it like any other e-mail ticket.
"""

from __future__ import annotations

import re
from email import policy
from email.errors import MessageError
from email.message import EmailMessage, Message
from email.parser import BytesParser
from email.utils import getaddresses, parseaddr
from typing import Any

from deskroute.errors import BadInputError
from deskroute.intake.html_text import html_to_text
from deskroute.models.ticket import EMAIL_PATTERN, Channel, NulFree

_MESSAGE_ID = re.compile(r"<([^<>\s]{1,250})>")
_EMAIL = re.compile(EMAIL_PATTERN)
_MAX_THREAD_IDS = 50
MAX_NESTING = 30
"""Levels of parts within parts; real clients use a handful (a forward of a forward ...)."""


class Attachment(NulFree):
    filename: str | None
    content_type: str
    size: int


class ParsedEmail(NulFree):
    message_id: str | None
    thread_ids: list[str]
    """Message-IDs this one replies to, nearest first (In-Reply-To, then References)."""
    sender_name: str | None
    sender: str
    to: list[str]
    cc: list[str]
    subject: str
    text: str
    date: str | None
    attachments: list[Attachment]

    def ticket_fields(self, source: str) -> dict[str, Any]:
        """The `TicketIn` fields of a new ticket started by this message."""
        return {
            "channel": Channel.EMAIL,
            "subject": self.subject,
            "body": self.text,
            "customer_email": self.sender,
            "external_id": self.message_id,
            "source": source,
            "metadata": {"email": self.meta()},
        }

    def meta(self) -> dict[str, Any]:
        """What is kept of the message besides its text."""
        return {
            "message_id": self.message_id,
            "from": self.sender,
            "from_name": self.sender_name,
            "to": self.to,
            "cc": self.cc,
            "date": self.date,
            "in_reply_to": self.thread_ids[:1],
            "attachments": [a.model_dump() for a in self.attachments],
        }


def _bad(message: str, field: str = "message") -> BadInputError:
    return BadInputError(message, field=field, code="malformed_email")


def _header(msg: Message, name: str) -> str:
    """A decoded header (RFC 2047 words and raw UTF-8 alike); undecodable bytes become U+FFFD,
    as mail clients show them, rather than losing the message."""
    value = msg.get(name)
    return " ".join(str(value).split()) if value is not None else ""


def _ids(value: str) -> list[str]:
    return _MESSAGE_ID.findall(value)


def _text_of(part: Message) -> str:
    try:
        content = part.get_content()  # type: ignore[attr-defined]
    except LookupError as exc:
        raise _bad(f"unknown charset {part.get_content_charset()!r}", "Content-Type") from exc
    if not isinstance(content, str):
        raise _bad("the message body is not text", "Content-Type")
    return content


def _body(msg: EmailMessage) -> str:
    part = msg.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    text = _text_of(part)
    return html_to_text(text) if part.get_content_subtype() == "html" else text


def _attachments(msg: Message, body: Message | None) -> list[Attachment]:
    """Every part that is not the chosen body or a container, without reading it further;
    an attached e-mail (message/rfc822) is one attachment, not searched inside."""
    found: list[Attachment] = []

    def visit(part: Message) -> None:
        if part is body:
            return
        if part.is_multipart() and part.get_content_maintype() == "multipart":
            for sub in part.get_payload():
                if isinstance(sub, Message):
                    visit(sub)
            return
        disposition = part.get_content_disposition()
        filename = part.get_filename()
        is_alternative_text = part.get_content_maintype() == "text" and disposition is None
        if is_alternative_text and not filename:
            return
        payload = part.get_payload(decode=True)
        size = len(payload) if isinstance(payload, bytes) else len(str(part.get_payload()))
        found.append(Attachment(filename=filename, content_type=part.get_content_type(), size=size))

    if msg.is_multipart():
        visit(msg)
    return found


def _too_deep() -> BadInputError:
    return _bad(f"the message nests its parts more than {MAX_NESTING} levels deep", "Content-Type")


def _check_nesting(msg: Message) -> None:
    """Refuse a message nested deeper than anything real, walking it without recursion, so
    that the recursive look-ups after this (body, attachments) stay shallow."""
    pending = [(msg, 1)]
    while pending:
        part, level = pending.pop()
        if level > MAX_NESTING:
            raise _too_deep()
        payload = part.get_payload() if part.is_multipart() else None
        if isinstance(payload, list):
            pending.extend((sub, level + 1) for sub in payload if isinstance(sub, Message))


def parse_email(raw: bytes) -> ParsedEmail:
    """Parse one message; anything unusable is a `BadInputError` naming the header."""
    if not raw.strip():
        raise BadInputError("the message is empty", field="message", code="empty")
    try:
        msg = BytesParser(policy=policy.default).parsebytes(raw)
    except RecursionError as exc:
        # The stdlib parser descends one generator per level of nesting.
        raise _too_deep() from exc
    except (MessageError, ValueError, TypeError) as exc:
        raise _bad(f"not an RFC 822 message: {exc}") from exc
    if not isinstance(msg, EmailMessage) or not msg.keys():
        raise _bad("not an RFC 822 message: no headers found")
    _check_nesting(msg)
    try:
        sender_name, sender = parseaddr(_header(msg, "From"))
        if not sender or not _EMAIL.match(sender):
            raise _bad("the From header has no valid address", "From")
        body_part = msg.get_body(preferencelist=("plain", "html"))
        text = _body(msg)
        attachments = _attachments(msg, body_part)
        message_ids = _ids(_header(msg, "Message-ID"))
        in_reply_to = _ids(_header(msg, "In-Reply-To"))
        references = list(reversed(_ids(_header(msg, "References"))))
        to = [a for _, a in getaddresses([_header(msg, "To")]) if a]
        cc = [a for _, a in getaddresses([_header(msg, "Cc")]) if a]
        subject = _header(msg, "Subject")
        date = _header(msg, "Date") or None
    except (MessageError, ValueError, TypeError, IndexError, AttributeError) as exc:
        # The stdlib's lenient parser raises these on broken structure (bad boundaries,
        # malformed address lists); they are the sender's fault, not ours.
        raise _bad(f"malformed message: {exc}") from exc
    return ParsedEmail(
        message_id=message_ids[0] if message_ids else None,
        thread_ids=list(dict.fromkeys([*in_reply_to, *references]))[:_MAX_THREAD_IDS],
        sender_name=sender_name or None,
        sender=sender.lower(),
        to=to,
        cc=cc,
        subject=subject,
        text=text,
        date=date,
        attachments=attachments,
    )
