"""Second problems: a sentence of a ticket that is about another specialist's work.

"We are billed for 200 seats but only 150 of us use it. Separately, the Salesforce connector
is broken." is a billing ticket to the model, which reads the ticket as a whole: the connector
shows only in its own sentence. So when a sentence of the ticket opens a new topic ("also",
"separately", "another issue"), each of its sentences is classified on its own, and one that
the model gives to another specialist's categories with at least the confidence at which a
ticket goes to a category's people (routing.yaml `fallback_floor`) is a second problem: a
person then sees that both are answered. Without such a marker the sentences are read as one
problem: short sentences alone ("Could you look into it?") land anywhere.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from deskroute.classify.base import Classifier
from deskroute.errors import ClassifierError
from deskroute.models.classification import Prediction, SentenceIntent
from deskroute.models.ticket import TicketView

_MARKERS = (
    r"(?:also|and also|and|plus|besides|separately|in addition|additionally|"
    r"another (?:issue|problem|question|thing)|one more thing|on top of that|secondly|p\.?s\b|"
    r"und|außerdem|ausserdem|zusätzlich|zudem|auch|et|aussi|également|par ailleurs|en outre|"
    r"de plus|y|además|también|ook|daarnaast|verder|bovendien)\b"
)
NEW_TOPIC = re.compile(rf"^\W*{_MARKERS}", re.IGNORECASE)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
_BREAK = re.compile(
    rf"\n[ \t]*\n|\n(?=[ \t]*(?:[-*•]|\d+[.)])\s)|\n(?=[^\w\n]{{0,3}}{_MARKERS})", re.IGNORECASE
)
"""A blank line, or a line break before a list item or a new topic. A line break elsewhere
is where an e-mail client wrapped a sentence, and half a sentence is classified wrongly."""
_WORD = re.compile(r"[^\W\d_]{2,}")
MIN_WORDS = 5
"""Shorter sentences say too little on their own to be classified."""
MAX_SENTENCES = 12


@dataclass(frozen=True)
class SecondProblems:
    classifier: Classifier
    specialist_of: Mapping[str, str]
    """Category -> the specialist that handles it (the taxonomy's)."""
    floor: float
    """The share of a sentence's probability another specialist's categories need."""

    def find(self, ticket: TicketView, category: str) -> list[SentenceIntent]:
        """The other specialists' problems in the ticket's sentences, one per specialist."""
        sentences = [
            s.strip()
            for paragraph in _BREAK.split(ticket.body)
            for s in _SENTENCE_END.split(" ".join(paragraph.split()))
        ]
        if not any(NEW_TOPIC.search(s) for s in sentences):
            return []
        handled = self.specialist_of.get(category)
        found: dict[str, SentenceIntent] = {}
        for sentence in [s for s in sentences if len(_WORD.findall(s)) >= MIN_WORDS][
            :MAX_SENTENCES
        ]:
            intent = self._intent(ticket.model_copy(update={"subject": "", "body": sentence}))
            if intent is None:
                continue
            specialist = self.specialist_of[intent.category]
            kept = found.get(specialist)
            if specialist != handled and (kept is None or kept.score < intent.score):
                found[specialist] = intent
        return list(found.values())

    def without(self, ticket: TicketView, intents: list[SentenceIntent]) -> TicketView | None:
        """The ticket without the sentences of these problems; None when nothing is left or
        a sentence is not found (it was cut to its first 300 characters)."""
        body = " ".join(ticket.body.split())
        for intent in intents:
            if intent.sentence not in body:
                return None
            body = body.replace(intent.sentence, " ")
        body = " ".join(body.split())
        return ticket.model_copy(update={"body": body}) if body else None

    def _intent(self, sentence: TicketView) -> SentenceIntent | None:
        """The sentence's best category, if its specialist's categories together reach the
        floor (an outage and a technical issue are one team's)."""
        try:
            verdict = self.classifier.classify(sentence)
        except ClassifierError:
            return None
        if not isinstance(verdict, Prediction):
            return None
        shares: dict[str, float] = {}
        best: dict[str, str] = {}
        for candidate in verdict.candidates:
            specialist = self.specialist_of.get(candidate.category)
            if specialist is None:
                continue
            shares[specialist] = shares.get(specialist, 0.0) + candidate.score
            best.setdefault(specialist, candidate.category)
        if not shares:
            return None
        specialist = max(shares, key=shares.__getitem__)
        score = min(shares[specialist], 1.0)
        if score < self.floor:
            return None
        return SentenceIntent(
            category=best[specialist], score=round(score, 4), sentence=sentence.body[:300]
        )
