"""Redaction at rest (`DESKROUTE_REDACT_AT_REST`): card numbers and IBANs are masked before a
ticket or message is stored, keeping their last four characters so that a reviewer can still
tell which card or account the customer meant (`[card ••••1111]`, `[IBAN ••••3000]`)."""

from __future__ import annotations

import re
from typing import Any

from deskroute.pii import CARD, IBAN, card_digits, iban_ok

_KINDS = (("card", "card number", "card numbers"), ("IBAN", "IBAN", "IBANs"))


class AtRestRedactor:
    """Masks what it finds and remembers it (distinct values), for the note a ticket gets."""

    def __init__(self) -> None:
        self._found: dict[str, set[str]] = {kind: set() for kind, _, _ in _KINDS}

    def _mask(self, kind: str, value: str) -> str:
        self._found[kind].add(value)
        return f"[{kind} ••••{value[-4:]}]"

    def text(self, text: str) -> str:
        def iban(match: re.Match[str]) -> str:
            value = match.group(0)
            return self._mask("IBAN", value.replace(" ", "")) if iban_ok(value) else value

        def card(match: re.Match[str]) -> str:
            digits = card_digits(match)
            return self._mask("card", digits) if digits else match.group(0)

        return CARD.sub(card, IBAN.sub(iban, text))

    def value(self, value: Any) -> Any:
        """Every string in plain data (metadata, a transcript), keys left as they are."""
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, dict):
            return {key: self.value(item) for key, item in value.items()}
        if isinstance(value, list):
            return [self.value(item) for item in value]
        return value

    def counts(self) -> dict[str, int]:
        return {kind: len(values) for kind, values in self._found.items() if values}

    def notes(self) -> list[str]:
        """One note naming what was masked, or none."""
        parts = [
            f"{len(values)} {one if len(values) == 1 else many}"
            for (kind, one, many) in _KINDS
            if (values := self._found[kind])
        ]
        return [f"redacted at rest: {', '.join(parts)} (last 4 kept)"] if parts else []
