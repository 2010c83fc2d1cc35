"""A reply may only state facts that a tool returned: invoice numbers, issue ids, amounts."""

from __future__ import annotations

import re
from collections.abc import Iterable

_IDS = re.compile(r"\b(?:INV-\d{4}-\d{4}|KI-\d+|HC-\d+|C-\d{4,})\b", re.IGNORECASE)
_AMOUNT = re.compile(r"\b\d{1,3}(?:[,.]\d{3})*(?:[.,]\d{1,2})\b|\b\d+\.\d{1,2}\b")


def _amount(text: str) -> float:
    """An amount as a reply writes it; its last separator is the decimal one, so `1,240.50`
    and `1.240,50` are both 1240.5 (`_AMOUNT` only matches amounts with decimals)."""
    cut = max(text.rfind(","), text.rfind("."))
    whole = text[:cut].replace(",", "").replace(".", "")
    return round(float(f"{whole}.{text[cut + 1 :]}"), 2)


def ungrounded(reply: str, evidence: Iterable[str]) -> list[str]:
    """Facts in the reply that appear in none of the tool results."""
    corpus = "\n".join(evidence)
    known_ids = {m.upper() for m in _IDS.findall(corpus)}
    # Tool results are JSON: a decimal point and no thousands separators.
    known_numbers = {round(float(m), 2) for m in re.findall(r"-?\d+(?:\.\d+)?", corpus)}
    missing = [m for m in dict.fromkeys(_IDS.findall(reply)) if m.upper() not in known_ids]
    missing += [m for m in dict.fromkeys(_AMOUNT.findall(reply)) if _amount(m) not in known_numbers]
    return missing
