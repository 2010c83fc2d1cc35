"""Small text readers the embedded specialists use to pick tool arguments from a ticket."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime

from deskroute.models.ticket import TicketView
from deskroute.money import Ambiguous, Amount, requested_amount

_INVOICE = re.compile(r"\b[A-Za-z]{3}-\d{4}-\d{4}\b")
_EMAIL = re.compile(r"\b[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}\b")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s")
_BOUNDARY = re.compile(r"(?<=[.!?])\s+|\n\s*")
_PARAGRAPH = re.compile(r"\n[ \t]*\n")


def words(*phrases: str) -> re.Pattern[str]:
    """A case-insensitive matcher for any of the phrases where a word starts (a letter may not
    precede it, so `issue_refund` still mentions a refund)."""
    return re.compile("|".join(rf"(?<![^\W_]){p}" for p in phrases), re.IGNORECASE)


def invoice_numbers(text: str) -> list[str]:
    seen: dict[str, None] = {}
    for match in _INVOICE.findall(text):
        seen.setdefault(match.upper(), None)
    return list(seen)


def emails(text: str, *, besides: Iterable[str | None] = ()) -> list[str]:
    """The e-mail addresses the text names, in order, other than those in `besides`."""
    known = {e.lower() for e in besides if e}
    found = dict.fromkeys(m for m in _EMAIL.findall(text) if m.lower() not in known)
    return list(found)


_KEY = r"(?=[\w-]*[\d_])[A-Za-z0-9_-]{4,}"  # a key has digits or underscores
_QUOTE = r"\s*[:\"'`“‘]?\s*"
_KEY_PREFIX = re.compile(
    rf"(?i:start(?:s|ing)? with|begin(?:s|ning)? with|prefix(?:ed with| is)?|beginnt mit|"
    rf"commence par|empieza (?:por|con)|comienza (?:por|con)|begint met)"
    rf"{_QUOTE}(?P<key>{_KEY})"
)
_KEY_SUFFIX = re.compile(
    rf"(?i:end(?:s|ing)? (?:in|with)|last \w+ (?:characters|chars|digits)(?: are| is)?|"
    rf"endet (?:auf|mit)|(?:se )?termine par|finit par|termina (?:en|con)|eindigt (?:op|met))"
    rf"{_QUOTE}(?:\.\.\.|…)?(?P<key>{_KEY})"
)
# A key as written: letters, an underscore and digits ("bl_live_7f3a9d"), perhaps elided.
_KEY_TOKEN = re.compile(
    r"(?<![\w.…])(?P<key>[A-Za-z]{2,8}_[A-Za-z0-9_]*\d[A-Za-z0-9_]*)"
    r"(?:(?:\.\.\.|…)(?P<tail>[A-Za-z0-9_-]+))?"
)
_KEY_SHOWN = 12


def key_hint(text: str) -> str | None:
    """The part of an API key the text quotes, as `prefix…`, `…suffix` or `prefix…suffix`
    (a whole key is cut to its first and last characters, so it is not stored again)."""
    if match := _KEY_PREFIX.search(text):
        return f"{match.group('key')[:_KEY_SHOWN]}…"
    if match := _KEY_SUFFIX.search(text):
        return f"…{match.group('key')[-_KEY_SHOWN:]}"
    if match := _KEY_TOKEN.search(text):
        key, tail = match.group("key"), match.group("tail")
        if tail is not None:
            return f"{key[:_KEY_SHOWN]}…{tail[-4:]}"
        return key if len(key) <= _KEY_SHOWN + 4 else f"{key[:_KEY_SHOWN]}…{key[-4:]}"
    return None


def asked_amount(ticket: TicketView) -> Amount | Ambiguous | None:
    """The amount the ticket asks for, read with its language's conventions (a language the
    detector fell back to for want of text is no hint)."""
    language = ticket.language if ticket.language_source != "default" else None
    return requested_amount(ticket.text, language=language)


def first_sentence(text: str, limit: int = 200) -> str:
    """The text's first sentence; a line an e-mail client wrapped continues it."""
    paragraph = next((p for p in _PARAGRAPH.split(text) if p.strip()), "")
    sentence = _SENTENCE_END.split(" ".join(paragraph.split()), maxsplit=1)[0]
    return sentence if len(sentence) <= limit else sentence[: limit - 1].rstrip() + "…"


def sentence_at(text: str, index: int, limit: int = 200) -> str:
    """The sentence (or line) of `text` that holds position `index`, cut to `limit`."""
    start, end = 0, len(text)
    for boundary in _BOUNDARY.finditer(text):
        if boundary.start() >= index:
            end = boundary.start()
            break
        start = boundary.end()
    sentence = " ".join(text[start:end].split())
    return sentence if len(sentence) <= limit else sentence[: limit - 1].rstrip() + "…"


def money(amount: float, currency: str) -> str:
    return f"{amount:,.2f} {currency}"


def day(value: str | datetime | None) -> str:
    if value is None:
        return "unknown"
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    return moment.strftime("%Y-%m-%d")


def moment(value: str | datetime) -> str:
    stamp = datetime.fromisoformat(value) if isinstance(value, str) else value
    return stamp.strftime("%Y-%m-%d %H:%M UTC")


def mask_email(email: str | None) -> str:
    if not email or "@" not in email:
        return "your account's e-mail address"
    local, domain = email.split("@", 1)
    return f"{local[0]}***@{domain}"


def bullets(items: Iterable[str]) -> str:
    return "\n".join(f"- {item}" for item in items)
