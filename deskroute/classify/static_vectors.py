"""Static token vectors: a ticket's meaning as the mean of its tokens' vectors.

The table is WordLlama's "L2 supercat" (32,000 tokens x 256, distilled from large language
models' token embeddings), which ships inside the `wordllama` wheel, so it loads offline with
no torch. The files are read here directly: the package's own loader looks for the tokenizer
in a folder that does not exist and then tries to download it, and DeskRoute must never touch
the network to classify.

Cost: about 30,000 tickets/s in batches; a few microseconds for one ticket.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from importlib.resources import files
from typing import Any

import numpy as np

NAME = "wordllama-l2-supercat-256"
DIMENSIONS = 256


@lru_cache(maxsize=1)
def _table() -> tuple[Any, np.ndarray]:
    from safetensors import safe_open
    from tokenizers import Tokenizer

    package = files("wordllama")
    tokenizer = Tokenizer.from_file(str(package / "tokenizers/l2_supercat_tokenizer_config.json"))
    tokenizer.no_padding()
    tokenizer.no_truncation()
    with safe_open(str(package / "weights/l2_supercat_256.safetensors"), framework="np") as f:
        vectors = f.get_tensor("embedding.weight")  # float16: half the memory of float32
    if vectors.shape[1] != DIMENSIONS:
        raise RuntimeError(f"{NAME}: expected {DIMENSIONS} dimensions, got {vectors.shape[1]}")
    return tokenizer, vectors


@lru_cache(maxsize=200_000)
def _word_ids(word: str) -> tuple[int, ...]:
    return tuple(_table()[0].encode(word, add_special_tokens=False).ids)


def _ids(text: str) -> list[int]:
    """Token ids, word by word: the tokenizer marks each word's start the same way inside a
    text as alone, and a cache of words is several times faster than the tokenizer on a
    ticket (whose tables fall out of the CPU cache between tickets)."""
    return [i for word in text.split() for i in _word_ids(word)]


def _mean(vectors: np.ndarray, ids: list[int]) -> np.ndarray:
    if not ids:
        return np.zeros(DIMENSIONS, dtype=np.float32)
    mean = vectors[ids].astype(np.float32).mean(axis=0)
    norm = float(np.sqrt(mean @ mean))
    return mean / norm if norm else mean


def encode_one(text: str) -> np.ndarray:
    """The L2-normalised mean token vector of one text (zeros for a text with no tokens)."""
    return _mean(_table()[1], _ids(text))


def encode(texts: Sequence[str]) -> np.ndarray:
    """One row per text, as `encode_one` gives it."""
    vectors = _table()[1]
    out = np.empty((len(texts), DIMENSIONS), dtype=np.float32)
    for i, text in enumerate(texts):
        out[i] = _mean(vectors, _ids(text))
    return out
