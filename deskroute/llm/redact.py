"""PII redaction for calls to non-local model providers.

E-mail addresses, phone numbers, card numbers (Luhn-checked) and IBANs (mod-97 checked) become
typed placeholders such as `<EMAIL_1>`; the same value always gets the same placeholder within
one conversation, and `restore` puts the originals back into what the model wrote.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from deskroute.pii import CARD as _CARD
from deskroute.pii import IBAN as _IBAN
from deskroute.pii import iban_ok, luhn_ok
from deskroute.textscan import RunScanner

__all__ = ["Redactor", "iban_ok", "luhn_ok"]  # the checks live in deskroute.pii, shared

# E-mail addresses and phone numbers are scanned once per run of their characters, not from
# every position: started later in a run, these patterns read the same rest of the run and fail
# alike, and a long run (`a.a.a.`, `(1-(1-`) would otherwise cost time quadratic in its length.
_EMAIL = RunScanner(
    pattern=re.compile(r"\b[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}\b"),
    run=re.compile(r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+(?=@)"),
    start=re.compile(r"\b[A-Za-z0-9._%+-]"),
)
_PHONE = RunScanner(
    pattern=re.compile(r"(?<![\w/.-])\+?\(?\d[\d ()./-]{6,}\d(?![\w/-])"),
    # Runs with a digit; "+" only in front of one: a match cannot cross it.
    run=re.compile(r"(?:\+|(?<![\d ()./+-]))[ ()./-]*\d[\d ()./-]*"),
    start=re.compile(r"(?<![\w/.-])\+?\(?\d"),
)
_PLACEHOLDER = re.compile(r"<(EMAIL|PHONE|CARD|IBAN)_\d+>")
_NOT_A_PHONE = re.compile(
    r"^\d{4}[-/.]\d{1,2}[-/.]\d{1,2}$|^\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}$"  # dates
    r"|^\d{1,3}(?:\.\d{1,3}){3}$"  # IPv4 addresses
)


@dataclass
class Redactor:
    """Replaces PII with placeholders and restores it; one instance per conversation."""

    enabled: bool = True
    originals: dict[str, str] = field(default_factory=dict)
    _by_value: dict[tuple[str, str], str] = field(default_factory=dict)

    def _placeholder(self, kind: str, value: str) -> str:
        key = (kind, value)
        if key not in self._by_value:
            count = sum(1 for k, _ in self._by_value if k == kind) + 1
            self._by_value[key] = f"<{kind}_{count}>"
            self.originals[self._by_value[key]] = value
        return self._by_value[key]

    def redact(self, text: str) -> str:
        if not self.enabled or not text:
            return text
        text = _EMAIL.sub(lambda m: self._placeholder("EMAIL", m.group(0)), text)
        text = _IBAN.sub(
            lambda m: self._placeholder("IBAN", m.group(0)) if iban_ok(m.group(0)) else m.group(0),
            text,
        )

        def card(match: re.Match[str]) -> str:
            digits = re.sub(r"\D", "", match.group(0))
            return self._placeholder("CARD", match.group(0)) if luhn_ok(digits) else match.group(0)

        text = _CARD.sub(card, text)

        def phone(match: re.Match[str]) -> str:
            value = match.group(0)
            digits = re.sub(r"\D", "", value)
            if not 7 <= len(digits) <= 15 or _NOT_A_PHONE.match(value.strip()):
                return value
            return self._placeholder("PHONE", value)

        return _PHONE.sub(phone, text)

    def restore(self, text: str) -> str:
        if not self.originals:
            return text
        return _PLACEHOLDER.sub(lambda m: self.originals.get(m.group(0), m.group(0)), text)
