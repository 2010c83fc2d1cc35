"""Language detection with lingua (its models ship inside the wheel; nothing is downloaded)."""

from __future__ import annotations

import re
from functools import lru_cache

from lingua import IsoCode639_1, LanguageDetector, LanguageDetectorBuilder

MAX_WORD_CHARS = 1000
"""Longer words reach the detector in pieces of this size. Its time grows with the square of a
word's length (a 100 kB word took seconds); no word of any language is this long."""
_LONG_WORD = re.compile(rf"(?<!\S)\S{{{MAX_WORD_CHARS + 1},}}")


@lru_cache(maxsize=4)
def _detector(languages: tuple[str, ...]) -> LanguageDetector:
    # Low-accuracy mode keeps memory near 30 MB and a call well under a millisecond; the
    # minimum relative distance makes short, ambiguous texts return "unknown" instead of a guess.
    isos = [IsoCode639_1.from_str(code) for code in languages]
    return (
        LanguageDetectorBuilder.from_iso_codes_639_1(*isos)
        .with_low_accuracy_mode()
        .with_minimum_relative_distance(0.1)
        .build()
    )


def _pieces(match: re.Match[str]) -> str:
    word = match.group()
    return " ".join(word[i : i + MAX_WORD_CHARS] for i in range(0, len(word), MAX_WORD_CHARS))


def detection_text(text: str) -> str:
    """The text as the detector reads it: words over `MAX_WORD_CHARS` cut into pieces."""
    return _LONG_WORD.sub(_pieces, text)


def detect_language(text: str, languages: tuple[str, ...]) -> str | None:
    """ISO 639-1 code of the text's language among `languages`, or None when unsure."""
    found = _detector(languages).detect_language_of(detection_text(text))
    return found.iso_code_639_1.name.lower() if found is not None else None
