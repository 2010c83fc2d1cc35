"""Money as customers write it: "€1,000", "1.000,00 EUR", "1 000 €", "EUR 49.-", "$1,234.56".

Whether `.` or `,` is the decimal mark depends on the currency (dollars and pounds: `.`) and on
the writer's language (English: `.`; German, French, Spanish and most of Europe: `,`). Most
amounts read the same under every convention ("49,90 €", "1.000,00 EUR"). When the reading
depends on a convention that neither the currency nor the language gives, or on two that
disagree, the result is `Ambiguous` with both readings: "€1,000" is a thousand euros to an
English reader and one euro to a German one, and code must ask a person rather than guess.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

CURRENCIES = {
    "€": "EUR",
    "eur": "EUR",
    "euro": "EUR",
    "euros": "EUR",
    "$": "USD",
    "us$": "USD",
    "usd": "USD",
    "dollar": "USD",
    "dollars": "USD",
    "£": "GBP",
    "gbp": "GBP",
    "pound": "GBP",
    "pounds": "GBP",
    # the other currencies accounts are billed in, by their ISO codes
    "aud": "AUD",
    "a$": "AUD",
    "cad": "CAD",
    "chf": "CHF",
    "jpy": "JPY",
    "¥": "JPY",
    "sek": "SEK",
    "nok": "NOK",
    "dkk": "DKK",
    "pln": "PLN",
}
CURRENCY_DECIMAL_MARK = {"USD": ".", "GBP": ".", "AUD": ".", "CAD": ".", "CHF": ".", "JPY": "."}
LANGUAGE_DECIMAL_MARK = {
    "en": ".",
    "de": ",",
    "fr": ",",
    "es": ",",
    "it": ",",
    "pt": ",",
    "nl": ",",
    "pl": ",",
}
_GROUPING = "'’\u00a0\u202f "  # apostrophes (Swiss), no-break and narrow no-break spaces, space
# Digits with separators; a plain space only where three digits follow ("1 000", not "20 30").
_NUMBER = r"\d+(?:(?:[.,'’\u00a0\u202f]| (?=\d{3}(?!\d)))\d+)*(?:[.,][-–])?"
_CODES = r"eur|usd|gbp|aud|cad|chf|jpy|sek|nok|dkk|pln"
_BEFORE = rf"us\$|a\$|€|\$|£|¥|{_CODES}"
_AFTER = rf"€|\$|£|¥|{_CODES}|euros?|dollars?|pounds?"
_MENTION = re.compile(
    rf"(?<![\w$€£¥])(?P<pre>{_BEFORE})\s?(?P<n1>{_NUMBER})(?![\d.,]\d)"
    rf"|(?<![\w.,'’-])(?P<n2>{_NUMBER})\s?(?P<post>{_AFTER})(?![^\W\d_])",
    re.IGNORECASE,
)
_CENT = Decimal("0.01")


@dataclass(frozen=True)
class Amount:
    value: Decimal
    currency: str
    written: str = field(default="", compare=False)

    def __str__(self) -> str:
        return f"{self.value:,.2f} {self.currency}"


@dataclass(frozen=True)
class Ambiguous:
    """An amount that cannot be read with certainty; `readings` are the plausible values."""

    written: str
    problem: str
    readings: tuple[Decimal, ...] = ()


def decimal_mark(currency: str, language: str | None) -> str | None:
    """The decimal mark the currency and the language agree on; None if neither says or they
    disagree (dollars in a German ticket)."""
    marks = {CURRENCY_DECIMAL_MARK.get(currency), LANGUAGE_DECIMAL_MARK.get(language or "")}
    marks.discard(None)
    return marks.pop() if len(marks) == 1 else None


def _grouped(digits: str, marks: str) -> Decimal | None:
    """A whole number whose thousands may be separated by any of `marks` (groups of three)."""
    groups = re.split(f"[{re.escape(marks)}]", digits) if marks else [digits]
    if not all(g.isdigit() for g in groups):
        return None
    if len(groups) > 1 and not (
        1 <= len(groups[0]) <= 3
        and not groups[0].startswith("0")
        and all(len(g) == 3 for g in groups[1:])
    ):
        return None
    return Decimal("".join(groups))


def _fraction(whole: str, cents: str, marks: str) -> Decimal | None:
    units = _grouped(whole, marks)
    if units is None or not cents.isdigit():
        return None
    return units + Decimal(f"0.{cents}")


def _other(mark: str) -> str:
    return "," if mark == "." else "."


def read_number(number: str, mark: str | None) -> Decimal | tuple[str, tuple[Decimal, ...]]:
    """The value of `number` given the decimal mark in use (None: unknown), or why it cannot
    be read and the values it could mean."""
    if re.search(r"[.,][-–]$", number):  # "49.-": the mark before the dash is the decimal one
        value = _grouped(number[:-2], _other(number[-2]) + _GROUPING)
        return value if value is not None else ("is not a well-formed amount", ())
    points = [c for c in number if c in ".,"]
    if not points:
        value = _grouped(number, _GROUPING)
        return value if value is not None else ("is not a well-formed amount", ())
    last = points[-1]
    if len(set(points)) == 2:  # "1.000,00", "1,234.56": the last mark is the decimal one
        whole, cents = number.rsplit(last, 1)
        value = (
            _fraction(whole, cents, _other(last) + _GROUPING)
            if points.count(last) == 1 and len(cents) <= 2
            else None
        )
        return value if value is not None else ("is not a well-formed amount", ())
    if len(points) > 1:  # "1.000.000": only a thousands separator repeats
        value = _grouped(number, last + _GROUPING)
        return value if value is not None else ("is not a well-formed amount", ())
    whole, cents = number.split(last)
    if len(cents) <= 2:  # "49,90", "12.5": a two-digit group cannot be thousands
        value = _fraction(whole, cents, _GROUPING)
        return value if value is not None else ("is not a well-formed amount", ())
    thousands = _grouped(number, last + _GROUPING)
    if len(cents) != 3 or thousands is None:
        return "is not a well-formed amount", ()
    if mark == _other(last):
        return thousands
    readings = (thousands / 1000, thousands)
    why = (
        "the currency and the language do not settle which mark is the decimal one"
        if mark is None
        else "in this language a money amount would not have a third decimal"
    )
    return f"could mean {_readings(readings)}: {why}", readings


def _readings(values: tuple[Decimal, ...]) -> str:
    return " or ".join(f"{v.quantize(_CENT):,}" for v in values)


def parse_amount(written: str, *, language: str | None = None) -> Amount | Ambiguous:
    """One amount with its currency, e.g. "€1,000" or "1.000,00 EUR"."""
    match = _MENTION.fullmatch(written.strip())
    if match is None:
        return Ambiguous(written, "is not an amount with a currency")
    return _amount(match, language)


def _amount(match: re.Match[str], language: str | None) -> Amount | Ambiguous:
    written = match.group(0)
    marker = (match.group("pre") or match.group("post")).lower()
    currency = CURRENCIES[marker]
    value = read_number(match.group("n1") or match.group("n2"), decimal_mark(currency, language))
    if isinstance(value, tuple):
        problem, readings = value
        return Ambiguous(written, f"{written!r} {problem}", readings)
    return Amount(value, currency, written)


def find_amounts(text: str, *, language: str | None = None) -> list[Amount | Ambiguous]:
    """Every amount with a currency in the text, in order."""
    return [_amount(m, language) for m in _MENTION.finditer(text)]


_TIMES = re.compile(r"(?P<count>\d{1,4})\s*[x×*]\s*$", re.IGNORECASE)
_EQUALS = re.compile(r"\s*=\s*")


def _asked_amounts(text: str, language: str | None) -> list[Amount | Ambiguous]:
    """The amounts of the text, less the unit prices of a sum it works out itself
    ("3 x 45 EUR = 135 EUR" asks for 135 EUR): a unit price is left out only when the count
    times it is the total that follows."""
    mentions = list(_MENTION.finditer(text))
    amounts = [_amount(m, language) for m in mentions]
    kept = []
    for i, (mention, amount) in enumerate(zip(mentions, amounts, strict=True)):
        total = amounts[i + 1] if i + 1 < len(amounts) else None
        times = _TIMES.search(text, 0, mention.start())
        if (
            isinstance(amount, Amount)
            and isinstance(total, Amount)
            and total.currency == amount.currency
            and times is not None
            and _EQUALS.fullmatch(text, mention.end(), mentions[i + 1].start())
            and amount.value * int(times.group("count")) == total.value
        ):
            continue
        kept.append(amount)
    return kept


def requested_amount(text: str, *, language: str | None = None) -> Amount | Ambiguous | None:
    """The one amount a text asks for: None if it names none, `Ambiguous` if one of its amounts
    is, or if it names different amounts (which of them is meant is for a person to say)."""
    found = _asked_amounts(text, language)
    if not found:
        return None
    if unclear := next((a for a in found if isinstance(a, Ambiguous)), None):
        return unclear
    amounts = [a for a in found if isinstance(a, Amount)]
    if len(set(amounts)) > 1:
        listed = ", ".join(str(a) for a in dict.fromkeys(amounts))
        return Ambiguous(", ".join(a.written for a in amounts), f"the text names {listed}")
    return amounts[0]
