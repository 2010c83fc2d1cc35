"""The `embeddings` extra: without it, training with it and loading a model that reads it fail
naming the extra; a model records the encoder it reads; and the NumPy encoder gives the vectors
sentence-transformers gave for the same weights (recorded in data/minilm_reference.json), quietly,
whatever the batch."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from helpers import stand_in_encode

from deskroute.classify import embeddings as encoder
from deskroute.classify.local import LocalModel, train_local
from deskroute.classify.minilm import MAX_TOKENS
from deskroute.errors import ClassifierError

REFERENCE = Path(__file__).with_name("data") / "minilm_reference.json"

TEXTS = [
    "invoice is wrong",
    "charged twice on the invoice",
    "cannot log in",
    "password reset mail never came",
] * 3
LABELS = ["billing", "billing", "access", "access"] * 3
INSTALL = "install with: uv sync --extra embeddings"


@pytest.fixture
def without_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    """The extra as if missing, wherever it is installed."""
    monkeypatch.setattr(encoder, "installed", lambda: False)


@pytest.fixture
def with_extra() -> None:
    if not encoder.installed():
        pytest.skip("the embeddings extra is not installed (uv sync --extra embeddings)")


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


@pytest.mark.usefixtures("with_extra")
def test_the_numpy_encoder_gives_sentence_transformers_vectors(
    capfd: pytest.CaptureFixture[str],
) -> None:
    reference = json.loads(REFERENCE.read_text())
    vectors = encoder.encode(reference["texts"])
    expected = np.array(reference["vectors"], dtype=np.float32)
    assert vectors.shape == expected.shape == (4, encoder.DIMENSIONS)
    assert np.abs(vectors - expected).max() < 1e-5
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    # The two tickets about a card that has not come are nearer each other than either is to
    # the 2FA or the double-charge ticket.
    near = float(vectors[0] @ vectors[1])
    assert near > 0.5 and near > max(float(vectors[0] @ vectors[i]) for i in (2, 3))
    assert capfd.readouterr() == ("", "")  # no progress bar, no log line


@pytest.mark.usefixtures("with_extra")
def test_a_vector_does_not_depend_on_its_batch_and_long_text_is_truncated() -> None:
    model = encoder._encoder()
    long_text = "The app crashes whenever I open my statements. " * 100
    short = ["hi", "card declined abroad", "", "I want to close my account and delete my data"]
    together = model.encode([long_text, *short])
    alone = np.vstack([model.encode([text]) for text in [long_text, *short]])
    assert np.abs(together - alone).max() < 1e-5
    words = model.encode([long_text[: len(long_text) // 2]])
    assert len(long_text.split()) > MAX_TOKENS
    assert float(words[0] @ together[0]) > 0.99  # past 256 tokens the rest is not read
