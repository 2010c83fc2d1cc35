"""The labelled tickets most similar to a new one, shown to the LLM as few-shot examples.

A small TF-IDF cosine index over words, in plain Python: a few thousand examples answer in
well under a millisecond, and it needs no trained model (the zero-shot case has none)."""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass

_WORD = re.compile(r"\w+")


def _tokens(text: str) -> Counter[str]:
    return Counter(_WORD.findall(text.lower()))


@dataclass(frozen=True)
class Example:
    text: str
    label: str


class ExampleIndex:
    def __init__(self, texts: list[str], labels: list[str]) -> None:
        self.examples = [Example(t, label) for t, label in zip(texts, labels, strict=True)]
        counts = [_tokens(t) for t in texts]
        documents = Counter(token for c in counts for token in c)
        self.idf = {t: math.log((1 + len(texts)) / (1 + n)) + 1 for t, n in documents.items()}
        self.postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
        for i, c in enumerate(counts):
            weights = {t: (1 + math.log(n)) * self.idf[t] for t, n in c.items()}
            norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
            for token, weight in weights.items():
                self.postings[token].append((i, weight / norm))

    def nearest(self, text: str, k: int) -> list[Example]:
        return [example for example, _score in self.scored(text, k)]

    def scored(self, text: str, k: int) -> list[tuple[Example, float]]:
        """The `k` most similar examples with their cosine similarity, best first; none
        when the text shares no word with any example."""
        query = {
            t: (1 + math.log(n)) * self.idf[t] for t, n in _tokens(text).items() if t in self.idf
        }
        norm = math.sqrt(sum(w * w for w in query.values())) or 1.0
        scores: dict[int, float] = defaultdict(float)
        for token, weight in query.items():
            for doc, doc_weight in self.postings[token]:
                scores[doc] += weight / norm * doc_weight
        best = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))[:k]
        return [(self.examples[i], score) for i, score in best]
