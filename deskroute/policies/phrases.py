"""Policy phrases matched on word forms, not on literal text.

"lawyer" must also catch "lawyers", and "terminate our contract" also "terminate the contract"
or "terminate this annual contract". A text is split into words once (`analyse`, cached for the
few matchers that read the same ticket); a phrase is a sequence of words, each matching a text
word with the same Snowball stem (PyStemmer) in one of the shipped languages: the policies'
phrases are multilingual, and the matchers are not told a ticket's language. Between two phrase
words up to `MAX_GAP` other words may stand, never a negation ("is not down" is no outage) and
never a clause break; determiners and possessives in a phrase ("our", "the") are left out, so any
other one may take their place. Words of up to three letters ("is", "no", "bot") are stemmed as
English only: in the other languages' stemmers such words only meet by accident ("are", "area").

Matching is linear in the text: every word is indexed once under its first letters, a phrase is
only tried where its first word's letters occur, and each try looks at most a fixed number of
words ahead. Stemming, the slow part, runs only on those candidate words and is memoised.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import Stemmer

STEMMERS: dict[str, str] = {
    "en": "english",
    "de": "german",
    "fr": "french",
    "es": "spanish",
    "it": "italian",
    "pt": "portuguese",
    "nl": "dutch",
    "pl": "polish",
}
"""The shipped languages (`policies/intake.yaml`) and their Snowball stemmers."""

MAX_GAP = 2
"""Words that may stand between two words of a phrase."""

SHORT_WORD = 3
"""Words up to this length are stemmed as English only."""

OPTIONAL_WORDS = frozenset("a an the this that these those my our your their his her its".split())
"""Left out of phrases: "terminate our contract" holds for any determiner or possessive."""

NEGATIONS = frozenset(
    "not no never nor nothing nobody none cannot "  # en
    "nicht kein keine keinen keinem keiner nie niemals "  # de
    "pas jamais aucun aucune rien "  # fr
    "nunca nada ningún ninguna "  # es
    "non mai niente nessun nessuna "  # it
    "não nem nenhum nenhuma "  # pt
    "niet geen nooit "  # nl
    "nie nigdy żaden żadna".split()  # pl
)
"""Words a gap may not skip (with English "n't" forms): they turn a phrase's meaning around."""

_WORD = re.compile(r"\w+(?:['’]\w+)*")
_CLAUSE_BREAK = re.compile(r"[.!?;:,()\[\]{}…]")


def _fold(word: str) -> str:
    """Lower-case letters without accents, for the index only (stemmers need the accents)."""
    if word.isascii():
        return word
    decomposed = unicodedata.normalize("NFKD", word.replace("ß", "ss"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _normal(word: str) -> str:
    return word.lower().replace("’", "'")


@lru_cache(maxsize=1 << 16)
def _stem(language: str, word: str) -> str:
    """A fresh stemmer per call (without its own cache): a stemmer keeps state, so it must not
    be shared between threads, and one costs about a microsecond to make."""
    return str(Stemmer.Stemmer(STEMMERS[language], 0).stemWord(word))


@dataclass(frozen=True, slots=True)
class Document:
    """A text's words, and where words starting with each two or three letters stand."""

    starts: tuple[int, ...]
    ends: tuple[int, ...]
    words: tuple[str, ...]
    """Lower case, typographic apostrophes made plain."""
    breaks: tuple[int, ...]
    """Offsets of clause breaks (. , ; ! ? …): a phrase never spans one."""
    positions: dict[str, list[int]]

    def same_clause(self, first: int, second: int) -> bool:
        return bisect_left(self.breaks, self.ends[first]) == bisect_left(
            self.breaks, self.starts[second]
        )


def _negation(word: str) -> bool:
    return word in NEGATIONS or word.endswith("n't")


@lru_cache(maxsize=32)
def analyse(text: str) -> Document:
    """Split a text into words once; the rules, signals and hand-offs of one ticket share it."""
    lowered = _normal(text)
    # Lower case keeps offsets but for a few letters ("İ"); then each word is lowered alone.
    source = lowered if len(lowered) == len(text) else text
    ascii_only = source.isascii()
    starts: list[int] = []
    ends: list[int] = []
    words: list[str] = []
    positions: dict[str, list[int]] = {}
    for index, match in enumerate(_WORD.finditer(source)):
        word = match.group() if source is lowered else _normal(match.group())
        starts.append(match.start())
        ends.append(match.end())
        words.append(word)
        folded = word if ascii_only else _fold(word)
        positions.setdefault(folded[:2], []).append(index)
        if len(folded) > 2:
            positions.setdefault(folded[:3], []).append(index)
    breaks = tuple(m.start() for m in _CLAUSE_BREAK.finditer(source))
    return Document(tuple(starts), tuple(ends), tuple(words), breaks, positions)


@dataclass(frozen=True, slots=True)
class PhraseWord:
    word: str
    stems: tuple[tuple[str, str, str], ...]
    """(language, stem, prefix) for every shipped language, English only for a short word. A stem
    keeps the word's first letters, but its last one may change ("try" -> "tri"): a text word
    is only stemmed when it starts with the prefix, the stem without its last letter."""
    keys: frozenset[str]
    """The two or three first letters a text word of the same stem starts with."""

    @classmethod
    def of(cls, word: str) -> PhraseWord:
        folded = _fold(word)
        languages = ("en",) if len(word) <= SHORT_WORD else tuple(STEMMERS)
        stems = tuple((language, _stem(language, word)) for language in languages)
        folded_stems = {_fold(stem) for _, stem in stems}
        keys = {folded[:3]} | {s[:3] if len(s) > SHORT_WORD else s[:2] for s in folded_stems}
        return cls(
            word,
            tuple((language, stem, _fold(stem)[: len(stem) - 1]) for language, stem in stems),
            frozenset(keys),
        )

    def matches(self, word: str) -> bool:
        if word == self.word:
            return True
        folded = _fold(word)
        return any(
            folded.startswith(prefix) and _stem(language, word) == stem
            for language, stem, prefix in self.stems
        )


@dataclass(frozen=True, slots=True)
class Phrase:
    text: str
    words: tuple[PhraseWord, ...]

    @classmethod
    def compile(cls, text: str) -> Phrase:
        """Raises ValueError for a phrase without words."""
        words = [_normal(w) for w in _WORD.findall(text)]
        if not words:
            raise ValueError(f"phrase {text!r} has no words")
        kept = [w for w in words if w not in OPTIONAL_WORDS] or words
        return cls(text, tuple(PhraseWord.of(w) for w in kept))

    def match_at(self, document: Document, first: int) -> int | None:
        """The index of the last word of a match starting at `first`, if one does."""
        if not self.words[0].matches(document.words[first]):
            return None
        return self._rest(document, 1, first)

    def _rest(self, document: Document, index: int, after: int) -> int | None:
        if index == len(self.words):
            return after
        words = document.words
        for position in range(after + 1, min(after + 2 + MAX_GAP, len(words))):
            if not document.same_clause(after, position):
                return None
            if self.words[index].matches(words[position]):
                end = self._rest(document, index + 1, position)
                if end is not None:
                    return end
            if _negation(words[position]):
                return None
        return None


@dataclass(frozen=True, slots=True)
class PhraseMatch:
    """Where a phrase or pattern matched, and the text it covered (gap words included)."""

    start: int
    end: int
    text: str

    def group(self, index: int = 0) -> str:
        """The matched text, as `re.Match.group(0)` gives it to callers written for regexes."""
        if index != 0:
            raise IndexError("a phrase match has no groups")
        return self.text


@dataclass(frozen=True)
class PhraseMatcher:
    """Phrases matched on word forms, and regular expressions for what must match exactly."""

    phrases: tuple[Phrase, ...]
    pattern: re.Pattern[str] | None
    first_words: dict[str, tuple[int, ...]]
    """Index of the phrases by the keys of their first word."""

    @classmethod
    def compile(cls, phrases: Sequence[str], patterns: Sequence[str] = ()) -> PhraseMatcher:
        compiled = tuple(Phrase.compile(p) for p in phrases)
        first_words: dict[str, list[int]] = {}
        for index, phrase in enumerate(compiled):
            for key in phrase.words[0].keys:
                first_words.setdefault(key, []).append(index)
        pattern = (
            re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE) if patterns else None
        )
        return cls(compiled, pattern, {k: tuple(v) for k, v in first_words.items()})

    def search(self, text: str) -> PhraseMatch | None:
        """The leftmost match; at one place, phrases in file order, then patterns."""
        found = self._phrase(text) if self.phrases else None
        if self.pattern is not None and (match := self.pattern.search(text)):
            if found is None or match.start() < found.start:
                return PhraseMatch(match.start(), match.end(), match.group(0))
        return found

    def _phrase(self, text: str) -> PhraseMatch | None:
        document = analyse(text)
        first_words, positions = self.first_words, document.positions
        keys = first_words.keys() if len(first_words) < len(positions) else positions.keys()
        starts: set[tuple[int, int]] = set()
        for key in keys:
            if key in first_words and key in positions:
                starts.update((p, i) for p in positions[key] for i in first_words[key])
        for position, index in sorted(starts):
            last = self.phrases[index].match_at(document, position)
            if last is not None:
                start, end = document.starts[position], document.ends[last]
                return PhraseMatch(start, end, text[start:end])
        return None
