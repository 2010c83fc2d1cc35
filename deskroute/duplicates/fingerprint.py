"""A ticket's fingerprint: everything pair scoring needs of one ticket, computed once.

The intake node compares a new ticket with each of the sender's open tickets; cutting each
text into words, trigrams, specifics and cue-carrying sentences once per ticket keeps a pair
comparison to set arithmetic.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from deskroute.duplicates.frequency import idf
from deskroute.duplicates.lexicon import (
    CANON,
    FOLLOW_UP,
    GREETING,
    NEW_ISSUE,
    REPLY_PREFIX,
    SOLVED,
)
from deskroute.duplicates.specifics import spec_text, specifics
from deskroute.duplicates.words import (
    char_grams,
    content_words,
    tokens,
    topic_words,
    trigrams,
    vocabulary,
)
from deskroute.intake.normalize import normalize_body

_NAME_WORD = r"(?:[A-ZÀ-Ý][\w.'-]*|de|van|der|von|du|da|di|del|la|le|ten|ter)[,.]?"
_CLOSING_LINE = re.compile(rf"[^\S\n]*{_NAME_WORD}(?:[^\S\n]+{_NAME_WORD}){{0,3}}[^\S\n]*")
"""A line of at most four capitalised words (or name particles): a sign-off or a name."""
_SENTENCE = re.compile(r"(?<=[.!?;:])\s+|\n+|(?<!\s)\s+-\s+")  # a dash from a space run's start


@dataclass(frozen=True)
class Sentence:
    """One sentence of the customer's own text with the cues it carries."""

    trigrams: frozenset[tuple[str, ...]]
    words: frozenset[str]
    follow_up: bool
    new_issue: bool
    solved: bool


@dataclass(frozen=True)
class Fingerprint:
    """What the comparison needs of one ticket, computed once."""

    words: frozenset[str]
    """Content words of the subject and the full text (quotes included)."""
    own_words: frozenset[str]
    """Content words of the customer's own text, synonyms folded together."""
    own_weight: float
    """Sum of the IDF of `own_words`."""
    grams: Counter[str]
    trigrams: frozenset[tuple[str, ...]]
    """Word trigrams of the full body (quotes included)."""
    subject_trigrams: frozenset[tuple[str, ...]]
    subject_words: frozenset[str]
    reply: bool
    """The subject carries a reply or forward prefix."""
    body_words: frozenset[str]
    specifics: dict[str, frozenset[str]]
    """Typed specifics of the customer's own text."""
    spec_text: str
    """The full text, normalised for looking up another ticket's specifics."""
    all_specifics: frozenset[str]
    """Specifics of any kind in the full text (subject and quotes included)."""
    sentences: tuple[Sentence, ...]
    topic: frozenset[str]
    """Words of the customer's own text that name the problem (see `words.topic_words`),
    closing lines (sign-off, name) left out: the same sender signs both tickets alike."""
    vocabulary: frozenset[str]
    """Every word of the full text (subject and quotes included), for looking up topics."""

    @property
    def follow_up(self) -> bool:
        return any(s.follow_up for s in self.sentences)

    @property
    def new_issue(self) -> bool:
        return any(s.new_issue or s.solved for s in self.sentences)


def _sentences(text: str) -> tuple[Sentence, ...]:
    out = []
    for part in _SENTENCE.split(text):
        if not part.strip():
            continue
        out.append(
            Sentence(
                trigrams=trigrams(part),
                words=frozenset(tokens(part)),
                follow_up=bool(FOLLOW_UP.search(part)),
                new_issue=bool(NEW_ISSUE.search(part)),
                solved=bool(SOLVED.search(part)),
            )
        )
    return tuple(out)


def _without_closing(text: str) -> str:
    """The text without its last lines when these are a sign-off and a name."""
    lines = text.rstrip().splitlines()
    for _ in range(3):
        if len(lines) < 2 or len(lines[-1]) > 60 or not _CLOSING_LINE.fullmatch(lines[-1]):
            break
        lines.pop()
        while lines and not lines[-1].strip():
            lines.pop()
    return "\n".join(lines)


def fingerprint(*, subject: str, body: str, raw_body: str, is_email: bool) -> Fingerprint:
    """`body` is the normalised text (quotes and signature gone), `raw_body` the full one."""
    reply = bool(REPLY_PREFIX.search(subject))
    subject = REPLY_PREFIX.sub("", subject).strip()
    body = body or normalize_body(raw_body, is_email=is_email)
    own_body = GREETING.sub("", body)
    own_text = f"{subject}\n{own_body}"
    own_tokens = tokens(own_text)
    own_words = frozenset(CANON.get(t, t) for t in own_tokens)
    full = f"{subject}\n{raw_body}"
    return Fingerprint(
        words=frozenset(tokens(full)),
        own_words=own_words,
        own_weight=sum(idf(w) for w in own_words),
        grams=char_grams(own_tokens),
        trigrams=trigrams(raw_body),
        subject_trigrams=trigrams(subject),
        subject_words=frozenset(content_words(subject)),
        reply=reply,
        body_words=frozenset(content_words(own_body)),
        specifics=specifics(own_text),
        spec_text=spec_text(full),
        all_specifics=frozenset(v for values in specifics(full).values() for v in values),
        sentences=_sentences(f"{subject}\n{body}"),
        topic=topic_words(FOLLOW_UP.sub(" ", f"{subject}\n{_without_closing(own_body)}")),
        vocabulary=vocabulary(full),
    )
