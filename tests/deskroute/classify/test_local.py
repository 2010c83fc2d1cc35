"""The local model: calibrated probabilities, persistence with metadata, clear load errors."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import joblib
import numpy as np
import pytest
from helpers import view

from deskroute.classify import embeddings as encoder
from deskroute.classify.demo import ensure_demo_model
from deskroute.classify.local import LocalClassifier, LocalModel, train_local
from deskroute.errors import ClassifierError

TEXTS = [
    "invoice is wrong",
    "charged twice on the invoice",
    "invoice missing VAT",
    "cannot log in",
    "password reset mail never came",
    "locked out of my account",
    "dashboard is empty",
    "export to csv fails",
    "chart shows wrong numbers",
] * 4
LABELS = ["billing"] * 3 + ["access"] * 3 + ["technical"] * 3
LABELS = LABELS * 4


def test_probabilities_are_a_distribution() -> None:
    model = train_local(TEXTS, LABELS, name="t", source="test")
    probs = model.model.predict_proba(["my invoice is wrong", "i cannot log in"])
    assert probs.shape == (2, 3)
    assert np.allclose(probs.sum(axis=1), 1.0) and (probs >= 0).all() and (probs <= 1).all()
    assert [model.classes[i] for i in probs.argmax(axis=1)] == ["billing", "access"]


def test_metadata(tmp_path: Path) -> None:
    model = train_local(TEXTS, LABELS, name="t", source="test.csv")
    meta = model.meta
    assert meta.rows == len(TEXTS) and meta.label_counts == {
        "access": 12,
        "billing": 12,
        "technical": 12,
    }
    assert meta.version.startswith("t-") and "scikit-learn" in meta.libraries
    path = tmp_path / "m.joblib"
    model.save(path)
    loaded = LocalModel.load(path)
    assert loaded.meta == meta
    assert np.allclose(
        loaded.model.predict_proba(["cannot log in"]), model.model.predict_proba(["cannot log in"])
    )
    assert loaded.model.static_weight == model.model.static_weight > 0


def test_every_block_weight_survives_a_round_trip(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(encoder, "installed", lambda: True)  # loading checks for the extra
    model = train_local(TEXTS, LABELS, name="t", source="test")
    # As a model trained with the `embeddings` extra would be (not used to predict here).
    extra = replace(model, model=replace(model.model, embedding_weight=2.0))
    extra.save(tmp_path / "m.joblib")
    loaded = LocalModel.load(tmp_path / "m.joblib").model
    assert (loaded.static_weight, loaded.embedding_weight) == (model.model.static_weight, 2.0)


def test_a_model_with_other_static_vectors_must_be_retrained(tmp_path: Path) -> None:
    path = tmp_path / "m.joblib"
    train_local(TEXTS, LABELS, name="t", source="test").save(path)
    data = joblib.load(path)
    data["model"]["static_vectors"] = "another-table"
    joblib.dump(data, path)
    with pytest.raises(ClassifierError, match=r"m\.joblib uses static vectors 'another-table'"):
        LocalModel.load(path)


def test_missing_and_corrupt_files(tmp_path: Path) -> None:
    with pytest.raises(ClassifierError, match="does not exist"):
        LocalModel.load(tmp_path / "nope.joblib")
    corrupt = tmp_path / "bad.joblib"
    corrupt.write_bytes(b"garbage")
    with pytest.raises(ClassifierError, match="unreadable"):
        LocalModel.load(corrupt)


def test_classifier_gives_candidates(policies, demo_model: Path) -> None:
    classifier = LocalClassifier(LocalModel.load(demo_model))
    result = classifier.classify(
        view(policies, body="Please send me a copy of invoice INV-2026-0101, I can't find it")
    )
    assert result.category == "billing" and result.source == "local"
    assert result.candidates[0].category == "billing"
    assert [c.score for c in result.candidates] == sorted(
        (c.score for c in result.candidates), reverse=True
    )


def test_demo_model_is_rebuilt_when_examples_change(tmp_path: Path, policies) -> None:
    path = tmp_path / "demo.joblib"
    first = ensure_demo_model(path, policies)
    assert ensure_demo_model(path, policies).meta.version == first.meta.version
    changed = policies.model_copy(
        update={
            "examples": {
                **policies.examples,
                "sales": [*policies.examples["sales"], "how much for 500 seats"],
            }
        }
    )
    assert ensure_demo_model(path, changed).meta.data_digest != first.meta.data_digest


def test_sample_weights_decide_between_conflicting_labels() -> None:
    texts = [*TEXTS, *["invoice refund request"] * 8, *["refund my money back"] * 4]
    labels = [*LABELS, *["billing"] * 4, *["refunds"] * 4, *["refunds"] * 4]

    def predicted(weights: list[float]) -> str:
        model = train_local(texts, labels, name="t", source="test", sample_weight=weights)
        return model.classes[int(model.model.predict_proba(["invoice refund request"]).argmax())]

    plain = [1.0] * len(TEXTS)
    assert predicted([*plain, *[5.0] * 4, *[1.0] * 4, *[1.0] * 4]) == "billing"
    assert predicted([*plain, *[1.0] * 4, *[5.0] * 4, *[1.0] * 4]) == "refunds"
    with pytest.raises(ValueError, match="sample weights"):
        train_local(texts, labels, name="t", source="test", sample_weight=[1.0])
