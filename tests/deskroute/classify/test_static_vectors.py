"""Static token vectors: read offline from the installed wheel, normalised, meaningful."""

from __future__ import annotations

import numpy as np

from deskroute.classify import static_vectors


def test_vectors_load_offline_and_are_unit_length() -> None:
    # The suite blocks the network, so this also proves nothing is downloaded.
    vectors = static_vectors.encode(["I lost my card", "Why was I charged twice?"])
    assert vectors.shape == (2, static_vectors.DIMENSIONS) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


def test_one_text_and_a_batch_agree() -> None:
    texts = ["My card has not arrived yet", "Überweisung fehlt", "", "?!"]
    batch = static_vectors.encode(texts)
    for text, row in zip(texts, batch, strict=True):
        assert np.allclose(static_vectors.encode_one(text), row, atol=1e-6), text


def test_a_text_without_tokens_is_zero() -> None:
    assert not static_vectors.encode_one("").any()


def test_paraphrases_are_closer_than_unrelated_requests() -> None:
    lost, missing, rate = static_vectors.encode(
        [
            "I lost my card and need a new one",
            "my card is missing, please send a replacement",
            "what exchange rate do you use for euros",
        ]
    )
    assert lost @ missing > lost @ rate + 0.05
