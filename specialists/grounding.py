"""A reply may only state facts that a tool returned: invoice numbers, issue ids, amounts."""

from __future__ import annotations

import re
from collections.abc import Iterable

_IDS = re.compile(r"\b(?:INV-\d{4}-\d{4}|KI-\d+|HC-\d+|C-\d{4,})\b", re.IGNORECASE)
_AMOUNT = re.compile(r"\b\d{1,3}(?:[,.]\d{3})*(?:[.,]\d{1,2})\b|\b\d+\.\d{1,2}\b")


def _number(text: str) -> float | None:
    digits = text.replace(",", "") if text.count(",") and "." in text else text.replace(",", ".")
    try:
        return round(float(digits), 2)
    except ValueError:
        return None


def ungrounded(reply: str, evidence: Iterable[str]) -> list[str]:
    """Facts in the reply that appear in none of the tool results."""
    corpus = "\n".join(evidence)
    known_ids = {m.upper() for m in _IDS.findall(corpus)}
    known_numbers = {
        n for m in re.findall(r"-?\d+(?:\.\d+)?", corpus) if (n := _number(m)) is not None
    }
    missing = [m for m in dict.fromkeys(_IDS.findall(reply)) if m.upper() not in known_ids]
    for amount in dict.fromkeys(_AMOUNT.findall(reply)):
        value = _number(amount)
        if value is not None and value not in known_numbers:
            missing.append(amount)
    return missing
