"""Specifics: what tells one request from a templated sibling.

Two tickets built from the same template (the same frame around another invoice, user, amount
or date) share most words; the ids, e-mail addresses, quoted names, amounts, dates and names
they carry are what differ. Each is kept in the normalised form `spec_text` gives the whole
text, so that a specific of one ticket can be looked up in the other's text.
"""

from __future__ import annotations

import re

from deskroute.textscan import RunScanner

# Each scanner tries its pattern once per run of the characters it is made of; started later
# in a run, these patterns read the same rest of the run and fail alike (see `RunScanner`).
_EMAIL = RunScanner(
    pattern=re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"),
    run=re.compile(r"(?<![\w.+-])[\w.+-]+(?=@)"),
    start=re.compile(r"[\w.+-]"),
)
_HOST = RunScanner(
    pattern=re.compile(r"\b(?:[a-z0-9-]+\.)+[a-z]{2,}\b"),
    run=re.compile(r"(?<![a-z0-9-])[a-z0-9-]+(?:\.[a-z0-9-]+)+"),  # labels joined by single dots
    start=re.compile(r"\b[a-z0-9-]"),
)
_ID = RunScanner(
    pattern=re.compile(
        r"(?<![\w@])(?=[\w./:-]*\d)(?=[\w./:-]*(?:[^\W\d_]|\d[-_/.:]\d))[\w]+(?:[-_/.:][\w]+)*"
    ),
    run=re.compile(r"(?<![\w./:-])[\w./:-]*?\d[\w./:-]*"),  # with a digit
    start=re.compile(r"(?<![\w@])\w"),
)
_QUOTED = re.compile(
    r"(?<!\w)'([^'\n]{2,40})'(?!\w)|\"([^\"\n]{2,40})\"|«\s?([^»\n]{2,40}?)\s?»|“([^”\n]{2,40})”"
)
_AMOUNT = re.compile(  # a number before a currency is at most 32 characters: linear in a run
    r"(?:[€$£]\s?\d[\d.,]*\d?|\b\d[\d.,]{0,31}\s?(?:eur|usd|gbp|chf|€|k)\b"
    r"|(?<![\d.,])\d+[.,]\d+(?![\d.,])|\b\d+\s?%)",
    re.IGNORECASE,
)
_NUMBER = re.compile(r"\b\d+\b")
_MONTH = re.compile(
    r"\b(?:jan(?:uary|vier|uar)?|feb(?:ruary|ruar)?|février|mar(?:ch|s)?|märz|apr(?:il)?|avril"
    r"|may|mai|june?|juin|juni|july?|juillet|juli|aug(?:ust)?|août|sep(?:tember|tembre)?"
    r"|oct(?:ober|obre)?|okt(?:ober)?|nov(?:ember|embre)?|dec(?:ember)?|décembre|dez(?:ember)?"
    r"|q[1-4])\b",
    re.IGNORECASE,
)
_NAME = re.compile(r"(?<=[a-z0-9,;'\"(][ \t])([A-Z][\w&]+(?:[ \t]+[A-Z][\w&]+)+)")
_SPEC_TOKEN = re.compile(r"[\w@]+(?:[-.:/,'@+][\w@]+)*")

STRONG = ("email", "id", "quoted", "amount")
"""Kinds that name one request: another value of the same kind means another request."""
WEAK = ("name", "month", "number")
"""Kinds that often differ between two messages about the same request."""


def spec_text(text: str) -> str:
    """The text as space-separated lower-case tokens, padded, for ` value ` look-ups."""
    return " " + " ".join(m.group().lower() for m in _SPEC_TOKEN.finditer(text)) + " "


def specifics(text: str) -> dict[str, frozenset[str]]:
    """Typed specifics, each in the normalised form `spec_text` would give it."""
    found: dict[str, set[str]] = {kind: set() for kind in (*STRONG, *WEAK)}
    for m in _EMAIL.finditer(text):
        found["email"].add(m.group().lower().strip("."))
    without_emails = _EMAIL.sub(lambda _: " ", text)
    for m in _ID.finditer(without_emails):
        found["id"].add(m.group().lower().strip(".:/-"))
    for m in _HOST.finditer(without_emails):
        found["id"].add(m.group())
    for m in _QUOTED.finditer(text):
        value = next(g for g in m.groups() if g is not None)
        found["quoted"].add(spec_text(value).strip())
    for m in _AMOUNT.finditer(text):
        found["amount"].add(spec_text(m.group()).strip())
    for m in _NAME.finditer(text):
        found["name"].add(spec_text(m.group(1)).strip())
    for m in _MONTH.finditer(text):
        found["month"].add(m.group().lower()[:3])
    for m in _NUMBER.finditer(without_emails):
        if len(m.group()) >= 2:
            found["number"].add(m.group())
    return {kind: frozenset(v for v in values if v) for kind, values in found.items()}
