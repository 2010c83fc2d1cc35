"""Language detection with lingua (its models ship inside the wheel; nothing is downloaded)."""

from __future__ import annotations

import re
from functools import lru_cache

from lingua import IsoCode639_1, Language, LanguageDetector, LanguageDetectorBuilder

OWN_SCRIPTS = (
    "ja zh ko ru uk bg be mk sr kk mn el ar fa ur he hi mr bn pa gu ta te th ka hy".split()
)
"""Languages written in a script of their own (CJK, Cyrillic, Greek, Arabic, Hebrew, Indic,
Thai, Georgian, Armenian). The detector always knows them, so that a Japanese ticket is
recognised as Japanese instead of being forced onto the closest listed language or left
undetermined. They cannot be confused with Latin-script text, so detection among the listed
languages is unchanged; Latin-script languages outside the list are not added, since in
low-accuracy mode they would take short English texts."""


MIN_CONFIDENCE = 0.9
"""Below this, the text's language is undetermined. Replies follow the detected language, so a
guess costs more than a default: in low-accuracy mode short English questions ("Which file
formats can I export to?") come out German or French at 0.5-0.87, while German, French and
Spanish tickets of a sentence or more score 0.99 and above."""

MAX_WORD_CHARS = 1000
"""Longer words reach the detector in pieces of this size. Its time grows with the square of a
word's length (a 100 kB word took seconds); no word of any language is this long."""
_LONG_WORD = re.compile(rf"(?<!\S)\S{{{MAX_WORD_CHARS + 1},}}")


@lru_cache(maxsize=4)
def _detector(languages: tuple[str, ...]) -> LanguageDetector:
    # Low-accuracy mode keeps memory near 30 MB and a call well under a millisecond.
    isos = [IsoCode639_1.from_str(code) for code in dict.fromkeys((*languages, *OWN_SCRIPTS))]
    return LanguageDetectorBuilder.from_iso_codes_639_1(*isos).with_low_accuracy_mode().build()


def _pieces(match: re.Match[str]) -> str:
    word = match.group()
    return " ".join(word[i : i + MAX_WORD_CHARS] for i in range(0, len(word), MAX_WORD_CHARS))


def detection_text(text: str) -> str:
    """The text as the detector reads it: words over `MAX_WORD_CHARS` cut into pieces."""
    return _LONG_WORD.sub(_pieces, text)


def detect_language(text: str, languages: tuple[str, ...]) -> str | None:
    """ISO 639-1 code of the text's language, or None when unsure: one of `languages`, or a
    language with a script of its own (`ja`, `zh`, `ko`, `ru`, ...) even when not listed."""
    found = _detector(languages).compute_language_confidence_values(detection_text(text))
    if not found or found[0].value < MIN_CONFIDENCE:
        return None
    return found[0].language.iso_code_639_1.name.lower()


def language_name(code: str) -> str:
    """The English name of a language (`de` -> German); the code itself if lingua lacks it."""
    try:
        return Language.from_iso_code_639_1(IsoCode639_1.from_str(code)).name.title()
    except ValueError:
        return code
