"""Detection of card numbers and IBANs, shared by redaction for LLM calls
(`deskroute.llm.redact`) and redaction at rest (`deskroute.intake.at_rest`).

A match counts only if its checksum holds (Luhn for cards, mod-97 for IBANs), so invoice
numbers, dates and phone numbers stay as they are.
"""

from __future__ import annotations

import re

IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]{4}){2,7}(?:[ ]?[A-Z0-9]{1,3})?\b")
CARD = re.compile(r"\b\d(?:[ -]?\d){12,18}\b")
"""13 to 19 digits, single spaces or dashes between them allowed."""


def luhn_ok(digits: str) -> bool:
    total = 0
    for i, char in enumerate(reversed(digits)):
        d = int(char)
        if i % 2 == 1:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def iban_ok(candidate: str) -> bool:
    compact = candidate.replace(" ", "")
    if not 15 <= len(compact) <= 34:
        return False
    rearranged = compact[4:] + compact[:4]
    number = "".join(str(int(c, 36)) for c in rearranged)
    return int(number) % 97 == 1


def card_digits(match: re.Match[str]) -> str | None:
    """The digits of a `CARD` match, if they pass the Luhn check."""
    digits = re.sub(r"\D", "", match.group(0))
    return digits if luhn_ok(digits) else None
