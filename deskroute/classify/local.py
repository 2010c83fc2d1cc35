"""The trained local model on disk (weights + metadata) and the classifier that uses it.

Files hold plain numpy arrays and dicts, so loading one needs neither scikit-learn nor the
training code, and a model trained by one version reads the same in another.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections import Counter
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

import joblib
import numpy as np
from pydantic import BaseModel

from deskroute.classify import embeddings as encoder
from deskroute.classify import static_vectors
from deskroute.classify.linear import LinearTextModel, NgramView
from deskroute.classify.thresholds import Thresholds, fit_thresholds
from deskroute.errors import BadInputError, ClassifierError
from deskroute.models.classification import Candidate, Prediction
from deskroute.models.ticket import TicketView

FORMAT = 3
DEFAULT_TARGET_PRECISION = 0.95


class CorrectionsUsed(BaseModel):
    """The reviewers' labels a model was trained with, so that a retrain knows what is new."""

    count: int
    """Reviewers' labels in the training rows (each text once)."""
    ids: list[int]
    """The corrections those labels came from."""
    newest_at: datetime | None
    through_id: int
    """The newest correction there was (used or not): any later one is a new label."""
    settled_through: datetime | None = None
    """The newest lead's settlement there was."""
    weight: float
    conflicts: int = 0
    """Texts left out because reviewers disagreed and no lead had settled them."""


class ModelMeta(BaseModel):
    """What a model was trained on, stored beside it so results can be traced."""

    name: str
    version: str
    trained_at: datetime
    source: str
    data_digest: str
    rows: int
    label_counts: dict[str, int]
    oos_label: str | None = None
    libraries: dict[str, str]
    train_seconds: float
    thresholds: Thresholds
    corrections: CorrectionsUsed | None = None
    """Set when reviewers' labels were trained on."""
    embeddings: str | None = None
    """The sentence encoder whose embeddings the model reads (the `embeddings` extra), if any."""


def _dump_model(model: LinearTextModel) -> dict[str, Any]:
    return {
        "static_vectors": static_vectors.NAME,
        "static_weight": model.static_weight,
        "embedding_weight": model.embedding_weight,
        "views": [asdict(v) for v in model.views],
        "weights": model.weights,
        "bias": model.bias,
        "temperature": model.temperature,
        "classes": list(model.classes),
    }


def _load_model(data: dict[str, Any], path: Path) -> LinearTextModel:
    if data["static_weight"] and data["static_vectors"] != static_vectors.NAME:
        raise ClassifierError(
            f"model file {path} uses static vectors {data['static_vectors']!r}, this version has "
            f"{static_vectors.NAME!r}; train it again"
        )
    if data["embedding_weight"] and not encoder.installed():
        raise ClassifierError(
            f"model file {path} was trained with sentence embeddings ({encoder.NAME}), "
            f"which are not installed; {encoder.INSTALL}"
        )
    views = tuple(NgramView(**{**v, "ngram_range": tuple(v["ngram_range"])}) for v in data["views"])
    return LinearTextModel(
        views=views,
        weights=data["weights"],
        bias=data["bias"],
        temperature=float(data["temperature"]),
        classes=tuple(data["classes"]),
        static_weight=float(data["static_weight"]),
        embedding_weight=float(data["embedding_weight"]),
    )


@dataclass
class LocalModel:
    meta: ModelMeta
    model: LinearTextModel

    @property
    def classes(self) -> list[str]:
        return list(self.model.classes)

    def save(self, path: Path) -> None:
        """Write atomically, so a concurrent reader never sees half a file."""
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        os.close(fd)
        try:
            joblib.dump(
                {
                    "format": FORMAT,
                    "meta": self.meta.model_dump(mode="json"),
                    "model": _dump_model(self.model),
                },
                tmp,
            )
            os.replace(tmp, path)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)

    @classmethod
    def load(cls, path: Path) -> LocalModel:
        if not path.is_file():
            raise ClassifierError(f"model file {path} does not exist")
        try:
            data = joblib.load(path)
        except Exception as exc:  # noqa: BLE001 - unpickling fails in many ways, all "unreadable"
            raise ClassifierError(f"model file {path} is unreadable: {exc}") from exc
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise ClassifierError(
                f"model file {path} is not a DeskRoute model (format {FORMAT}); train it again"
            )
        meta = ModelMeta.model_validate(data["meta"])
        return cls(meta=meta, model=_load_model(data["model"], path))


def data_digest(texts: list[str], labels: list[str]) -> str:
    digest = hashlib.sha256()
    for text, label in zip(texts, labels, strict=True):
        digest.update(text.encode() + b"\x1f" + label.encode() + b"\x1e")
    return digest.hexdigest()[:16]


@dataclass(frozen=True)
class Calibration:
    """A fitted model and the held-out evidence its thresholds are chosen from."""

    model: LinearTextModel
    proba: np.ndarray
    truth: np.ndarray
    """Class index per calibration row, -1 for out-of-scope rows."""
    meta: dict[str, Any]

    def at(self, target_precision: float) -> LocalModel:
        """The model with thresholds that reach `target_precision` on the calibration rows."""
        thresholds = fit_thresholds(
            self.proba, self.truth, list(self.model.classes), target_precision
        )
        return LocalModel(meta=ModelMeta(**self.meta, thresholds=thresholds), model=self.model)


def fit_local(
    texts: list[str],
    labels: list[str],
    *,
    name: str,
    source: str,
    oos_label: str | None = None,
    embeddings: bool = False,
    sample_weight: list[float] | None = None,
) -> Calibration:
    """Fit on in-scope rows; out-of-scope rows are only scored, to calibrate escalation.
    `sample_weight` (one per row) weighs rows in the fit, e.g. reviewers' labels above 1."""
    # Imported here so that loading and using a model never imports scikit-learn.
    from deskroute.classify.model import fit_text_model, library_versions

    if sample_weight is not None and len(sample_weight) != len(texts):
        raise ValueError(f"{len(sample_weight)} sample weights for {len(texts)} rows")
    if embeddings:
        encoder.require("training with --embeddings")
    in_scope = [i for i, label in enumerate(labels) if label != oos_label]
    oos = [texts[i] for i, label in enumerate(labels) if label == oos_label]
    in_texts, in_labels = [texts[i] for i in in_scope], [labels[i] for i in in_scope]
    if len(set(in_labels)) < 2:
        raise BadInputError("training needs at least two different categories", field="labels")
    if rare := sorted(k for k, n in Counter(in_labels).items() if n < 2):
        raise BadInputError(
            f"every category needs at least 2 examples; too few: {rare[:5]}", field="labels"
        )
    started = datetime.now(UTC)
    in_weight = None if sample_weight is None else [sample_weight[i] for i in in_scope]
    fitted = fit_text_model(in_texts, in_labels, embeddings=embeddings, sample_weight=in_weight)
    proba, truth = fitted.oof_proba, fitted.oof_labels
    if oos:
        # Out-of-scope rows were never trained on, so the final model scores them honestly.
        proba = np.vstack([proba, fitted.model.predict_proba(oos)])
        truth = np.concatenate([truth, np.full(len(oos), -1)])
    digest = data_digest(texts, labels)
    meta = {
        "name": name,
        "version": f"{name}-{digest[:8]}",
        "trained_at": started,
        "source": source,
        "data_digest": digest,
        "rows": len(texts),
        "label_counts": dict(sorted(Counter(labels).items())),
        "oos_label": oos_label,
        "libraries": library_versions(),
        "train_seconds": round((datetime.now(UTC) - started).total_seconds(), 3),
        "embeddings": encoder.NAME if embeddings else None,
    }
    return Calibration(model=fitted.model, proba=proba, truth=truth, meta=meta)


def train_local(
    texts: list[str],
    labels: list[str],
    *,
    name: str,
    source: str,
    target_precision: float = DEFAULT_TARGET_PRECISION,
    oos_label: str | None = None,
    embeddings: bool = False,
    sample_weight: list[float] | None = None,
) -> LocalModel:
    """Fit and calibrate in one step: what `deskroute train` does."""
    calibration = fit_local(
        texts,
        labels,
        name=name,
        source=source,
        oos_label=oos_label,
        embeddings=embeddings,
        sample_weight=sample_weight,
    )
    return calibration.at(target_precision)


class LocalClassifier:
    """Wraps a `LocalModel` behind the `Classifier` interface."""

    source: Literal["local"] = "local"

    def __init__(self, model: LocalModel, top_k: int = 5) -> None:
        self.model = model
        self.top_k = top_k

    @property
    def version(self) -> str:
        return self.model.meta.version

    @property
    def thresholds(self) -> Thresholds:
        return self.model.meta.thresholds

    def classify(self, ticket: TicketView) -> Prediction:
        probs = self.model.model.predict_proba([ticket.text])[0]
        order = np.argsort(-probs)[: self.top_k]
        classes = self.model.model.classes
        candidates = [Candidate(category=classes[i], score=float(probs[i])) for i in order]
        return Prediction(
            category=candidates[0].category,
            confidence=candidates[0].score,
            candidates=candidates,
            source="local",
            model_version=self.version,
        )
