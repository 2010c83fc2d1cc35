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
from functools import cached_property
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

from deskroute.classify import static_vectors

if TYPE_CHECKING:
    from scipy import sparse


def softmax(scores: np.ndarray, axis: int) -> np.ndarray:
    shifted = np.exp(scores - scores.max(axis=axis, keepdims=True))
    return shifted / shifted.sum(axis=axis, keepdims=True)


_WHITE_SPACES = re.compile(r"\s\s+")

WORDS_REMEMBERED = 50_000
"""Words whose character n-gram columns a view keeps (per view, at most about 20 MB; a help
desk's tickets use far fewer distinct words)."""


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

    @cached_property
    def _token_re(self) -> re.Pattern[str]:
        return re.compile(self.token_pattern)

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
            tokens: list[str] = self._token_re.findall(text)
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
            found += self._word_columns(word)
        return found

    @cached_property
    def _words_seen(self) -> dict[str, list[int]]:
        return {}

    def _word_columns(self, word: str) -> list[int]:
        """Columns of one word's padded character n-grams (`char_wb`), remembered: words
        repeat from ticket to ticket, and cutting one into n-grams costs many lookups."""
        seen = self._words_seen
        if (known := seen.get(word)) is not None:
            return known
        get = self.vocabulary.get
        low, high = self.ngram_range
        padded = f" {word} "
        length = len(padded)
        found: list[int] = []
        for n in range(low, high + 1):
            found += [
                c
                for i in range(max(1, length - n + 1))
                if (c := get(padded[i : i + n])) is not None
            ]
            if length <= n:  # scikit-learn counts a word shorter than n once, then stops
                break
        if len(seen) >= WORDS_REMEMBERED:
            seen.clear()
        seen[word] = found
        return found

    def _weigh(self, counts: np.ndarray, cols: np.ndarray) -> np.ndarray:
        tf = np.log(counts) + 1.0 if self.sublinear_tf else counts
        return tf * self.idf[cols]

    def row(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """Column indices and L2-normalised TF-IDF values of one text."""
        counts = Counter(self.columns(text))
        if not counts:
            return np.empty(0, dtype=np.int64), np.empty(0)
        cols = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
        values = self._weigh(
            np.fromiter(counts.values(), dtype=np.float64, count=len(counts)), cols
        )
        return cols, values / np.sqrt(values @ values)

    def matrix(self, texts: Sequence[str]) -> sparse.csr_matrix:
        """All texts at once: n-grams per text in Python, the arithmetic vectorised."""
        from scipy import sparse  # batches only; routing one ticket never needs scipy

        indptr = [0]
        indices: list[int] = []
        data: list[int] = []
        for text in texts:
            counts = Counter(self.columns(text))
            indices += counts.keys()
            data += counts.values()
            indptr.append(len(indices))
        cols = np.asarray(indices, dtype=np.int64)
        values = self._weigh(np.asarray(data, dtype=np.float64), cols)
        x = sparse.csr_matrix((values, cols, indptr), shape=(len(texts), self.size))
        norms = np.sqrt(np.asarray(x.multiply(x).sum(axis=1)).ravel())
        norms[norms == 0] = 1.0
        return sparse.csr_matrix(sparse.diags(1.0 / norms) @ x, dtype=np.float32)


@dataclass(frozen=True)
class LinearTextModel:
    """Scores = [view_1 | view_2 | ... | s * static vector | w * sentence embedding] @ weights
    + bias; probabilities = softmax(scores / T). A block whose weight is 0 is absent: the
    static block (`static_vectors`) is in every model trained since it was added, the
    sentence block only in models trained with the `embeddings` extra."""

    views: tuple[NgramView, ...]
    weights: np.ndarray
    bias: np.ndarray
    temperature: float
    classes: tuple[str, ...]
    static_weight: float = 0.0
    embedding_weight: float = 0.0

    def features(self, texts: Sequence[str]) -> sparse.csr_matrix:
        from scipy import sparse

        blocks = [view.matrix(texts) for view in self.views]
        if self.static_weight:
            blocks.append(sparse.csr_matrix(self.static_weight * static_vectors.encode(texts)))
        if self.embedding_weight:
            from deskroute.classify.embeddings import encode  # only models that use the extra

            embedded = self.embedding_weight * encode(texts)
            blocks.append(sparse.csr_matrix(embedded.astype(np.float32)))
        return sparse.hstack(blocks, format="csr")

    def scores(self, texts: Sequence[str]) -> np.ndarray:
        if len(texts) == 1 and not self.embedding_weight:
            return self._single(texts[0])[None, :]
        return np.asarray(self.features(texts) @ self.weights) + self.bias

    def _single(self, text: str) -> np.ndarray:
        """One ticket (the routing hot path): gather its weight rows, no sparse matrix."""
        scores = self.bias.astype(np.float64, copy=True)
        offset = 0
        for view in self.views:
            cols, values = view.row(text)
            if len(cols):
                scores += values @ self.weights[cols + offset]
            offset += view.size
        if self.static_weight:
            block = self.weights[offset : offset + static_vectors.DIMENSIONS]
            scores += (self.static_weight * static_vectors.encode_one(text)) @ block
        return scores

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        return softmax(self.scores(texts) / self.temperature, axis=1)
