"""Words of a ticket as duplicate detection counts them: content words, trigrams, n-grams.

One tokeniser for every overlap feature, so that the words of the document-frequency table,
of a fingerprint and of a pair's features are cut the same way.
"""

from __future__ import annotations

import re
from collections import Counter

from deskroute.duplicates.lexicon import CANON, GENERIC, STOP_WORDS, stem

_WORD = re.compile(r"[^\W_]+(?:[-_'.][^\W_]+)*")
_JOINED = re.compile(r"[-'.]")


def _words(text: str) -> list[str]:
    return [m.group().lower().replace("\u2019", "'") for m in _WORD.finditer(text)]


def tokens(text: str) -> list[str]:
    """Stemmed words without stop words and single letters."""
    return [stem(w) for w in _words(text) if w not in STOP_WORDS and len(w) > 1]


def content_words(text: str) -> list[str]:
    """Content words with synonyms folded: the unit of the overlap features and of `word_df`."""
    return [CANON.get(t, t) for t in tokens(text)]


def _parts(word: str) -> list[str]:
    """A word joined by hyphens, apostrophes or dots ("salesforce-koppeling", "l'import",
    "oliver.grant") as its parts, unless a part holds a digit (an id like "inv-2026-0402" stays
    whole)."""
    parts = _JOINED.split(word)
    if len(parts) == 1 or not all(part.isalpha() for part in parts):
        return [word]
    return [part for part in parts if len(part) > 1 and part not in STOP_WORDS]


def vocabulary(text: str) -> frozenset[str]:
    """Every word of a text as stemmed and as folded, joined words also split: what another
    ticket's topic words are looked up in."""
    out: set[str] = set()
    for word in _words(text):
        for part in {word, *_parts(word)}:
            if part not in STOP_WORDS and len(part) > 1:
                stemmed = stem(part)
                out.update((stemmed, CANON.get(stemmed, stemmed)))
    return frozenset(out)


def topic_words(text: str) -> frozenset[str]:
    """Content words that name a problem (joined words split, synonyms folded; e-mail
    addresses, whose domain every colleague shares, bare numbers and words of any request such
    as "update", "question" out): what a follow-up must share with the ticket it follows up."""
    out: set[str] = set()
    without_addresses = " ".join(chunk for chunk in text.split() if "@" not in chunk)
    for word in _words(without_addresses):
        for part in _parts(word):
            stemmed = stem(part)
            if part not in STOP_WORDS and part not in GENERIC and stemmed not in GENERIC:
                out.add(CANON.get(stemmed, stemmed))
    return frozenset(w for w in out if len(w) > 1 and not w.isdigit())


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
