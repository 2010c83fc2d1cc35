"""Words of a ticket as duplicate detection counts them: content words, trigrams, n-grams.

One tokeniser for every overlap feature, so that the words of the document-frequency table,
of a fingerprint and of a pair's features are cut the same way.
"""

from __future__ import annotations

import re
from collections import Counter

from deskroute.duplicates.lexicon import CANON, STOP_WORDS, stem

_WORD = re.compile(r"[^\W_]+(?:[-_'.][^\W_]+)*")


def _words(text: str) -> list[str]:
    return [m.group().lower().replace("\u2019", "'") for m in _WORD.finditer(text)]


def tokens(text: str) -> list[str]:
    """Stemmed words without stop words and single letters."""
    return [stem(w) for w in _words(text) if w not in STOP_WORDS and len(w) > 1]


def content_words(text: str) -> list[str]:
    """Content words with synonyms folded: the unit of the overlap features and of `word_df`."""
    return [CANON.get(t, t) for t in tokens(text)]


def char_grams(words: list[str], n: int = 4) -> Counter[str]:
    """Character n-grams of each word padded with a space, counted: misspellings and
    inflections still overlap."""
    grams: Counter[str] = Counter()
    for word in words:
        padded = f" {word} "
        for i in range(max(1, len(padded) - n + 1)):
            grams[padded[i : i + n]] += 1
    return grams


def trigrams(text: str) -> frozenset[tuple[str, ...]]:
    """Word trigrams with stop words kept: the evidence of copied text."""
    words = _words(text)
    return frozenset(tuple(words[i : i + 3]) for i in range(len(words) - 2))
