"""Inference for linear models over TF-IDF n-gram views, in plain numpy.

Training uses scikit-learn; prediction does not. The trained vectorisers and linear weights are
exported into this form, so loading a model needs no scikit-learn import and scoring one ticket
takes a fraction of a millisecond (scikit-learn's per-call validation costs several). The
n-gram analysers reproduce scikit-learn's exactly; a test holds them to it.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
from scipy import sparse
from scipy.special import softmax

_WHITE_SPACES = re.compile(r"\s\s+")


def _strip_accents(text: str) -> str:
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@dataclass(frozen=True)
class NgramView:
    """One TF-IDF block: how to cut a text into n-grams, their columns and idf weights."""

    analyzer: Literal["word", "char_wb"]
    ngram_range: tuple[int, int]
    lowercase: bool
    strip_accents: bool
    token_pattern: str
    sublinear_tf: bool
    vocabulary: dict[str, int]
    idf: np.ndarray

    def __post_init__(self) -> None:
        object.__setattr__(self, "_token_re", re.compile(self.token_pattern))

    @classmethod
    def from_vectorizer(cls, vectorizer: Any) -> NgramView:
        """Export a fitted scikit-learn TfidfVectorizer (norm l2, smooth idf)."""
        if vectorizer.analyzer not in ("word", "char_wb") or vectorizer.norm != "l2":
            raise ValueError(f"unsupported vectoriser settings: {vectorizer.analyzer}")
        if vectorizer.strip_accents not in (None, "unicode"):
            raise ValueError("only strip_accents=None or 'unicode' is supported")
        return cls(
            analyzer=vectorizer.analyzer,
            ngram_range=tuple(vectorizer.ngram_range),
            lowercase=bool(vectorizer.lowercase),
            strip_accents=vectorizer.strip_accents == "unicode",
            token_pattern=vectorizer.token_pattern,
            sublinear_tf=bool(vectorizer.sublinear_tf),
            vocabulary={str(k): int(v) for k, v in vectorizer.vocabulary_.items()},
            idf=np.asarray(vectorizer.idf_, dtype=np.float64),
        )

    @property
    def size(self) -> int:
        return len(self.idf)

    def columns(self, text: str) -> list[int]:
        """Vocabulary columns of the text's n-grams, one per occurrence."""
        if self.lowercase:
            text = text.lower()
        if self.strip_accents:
            text = _strip_accents(text)
        get = self.vocabulary.get
        low, high = self.ngram_range
        found: list[int] = []
        if self.analyzer == "word":
            tokens: list[str] = self._token_re.findall(text)  # type: ignore[attr-defined]
            if low == 1:
                found += [c for t in tokens if (c := get(t)) is not None]
            for n in range(max(low, 2), min(high, len(tokens)) + 1):
                found += [
                    c
                    for i in range(len(tokens) - n + 1)
                    if (c := get(" ".join(tokens[i : i + n]))) is not None
                ]
            return found
        for word in _WHITE_SPACES.sub(" ", text).split():
            padded = f" {word} "
            length = len(padded)
            for n in range(low, high + 1):
                found += [
                    c
                    for i in range(max(1, length - n + 1))
                    if (c := get(padded[i : i + n])) is not None
                ]
                if length <= n:  # scikit-learn counts a word shorter than n once, then stops
                    break
        return found

    def row(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """Column indices and L2-normalised TF-IDF values of one text."""
        counts = Counter(self.columns(text))
        if not counts:
            return np.empty(0, dtype=np.int64), np.empty(0)
        cols = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
        tf = np.fromiter(counts.values(), dtype=np.float64, count=len(counts))
        if self.sublinear_tf:
            tf = np.log(tf) + 1.0
        values = tf * self.idf[cols]
        return cols, values / np.sqrt(values @ values)


@dataclass(frozen=True)
class LinearTextModel:
    """Scores = [view_1 | view_2 | ...] @ weights + bias; probabilities = softmax(scores / T)."""

    views: tuple[NgramView, ...]
    weights: np.ndarray
    bias: np.ndarray
    temperature: float
    classes: tuple[str, ...]

    def features(self, texts: Sequence[str]) -> sparse.csr_matrix:
        indptr, indices, data = [0], [], []
        offsets = np.cumsum([0, *[v.size for v in self.views]])
        for text in texts:
            for view, offset in zip(self.views, offsets, strict=False):
                cols, values = view.row(text)
                indices.append(cols + offset)
                data.append(values)
            indptr.append(indptr[-1] + sum(len(c) for c in indices[-len(self.views) :]))
        shape = (len(texts), int(offsets[-1]))
        if not indices:
            return sparse.csr_matrix(shape)
        return sparse.csr_matrix(
            (np.concatenate(data), np.concatenate(indices), indptr), shape=shape
        )

    def scores(self, texts: Sequence[str]) -> np.ndarray:
        return np.asarray(self.features(texts) @ self.weights) + self.bias

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        return softmax(self.scores(texts) / self.temperature, axis=1)
