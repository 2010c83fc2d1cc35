"""Small text readers the embedded specialists use to pick tool arguments from a ticket."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime
from typing import Any

_INVOICE = re.compile(r"\b[A-Za-z]{3}-\d{4}-\d{4}\b")
_MONEY = re.compile(
    r"(?:(?:€|eur|\$|usd|£|gbp)\s?(\d{1,6}(?:[.,]\d{1,2})?))"
    r"|(?:(\d{1,6}(?:[.,]\d{1,2})?)\s?(?:€|eur|euros?|\$|usd|dollars?|£|gbp|pounds?)\b)",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s")


def words(*phrases: str) -> re.Pattern[str]:
    """A case-insensitive matcher for any of the phrases where a word starts (a letter may not
    precede it, so `issue_refund` still mentions a refund)."""
    return re.compile("|".join(rf"(?<![^\W_]){p}" for p in phrases), re.IGNORECASE)


def invoice_numbers(text: str) -> list[str]:
    seen: dict[str, None] = {}
    for match in _INVOICE.findall(text):
        seen.setdefault(match.upper(), None)
    return list(seen)


def money_amount(text: str) -> float | None:
    match = _MONEY.search(text)
    if match is None:
        return None
    return float((match.group(1) or match.group(2)).replace(",", "."))


def first_sentence(text: str, limit: int = 200) -> str:
    line = next((ln.strip() for ln in text.splitlines() if ln.strip()), "")
    sentence = _SENTENCE_END.split(line, maxsplit=1)[0]
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


def invoice_line(invoice: dict[str, Any]) -> str:
    return (
        f"{invoice['number']}: {money(invoice['amount'], invoice['currency'])}, "
        f"{invoice['status']}, issued {day(invoice['issued_at'])}"
    )
