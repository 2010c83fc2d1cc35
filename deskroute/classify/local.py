"""The trained local model on disk (model + metadata) and the classifier that uses it."""

from __future__ import annotations

import hashlib
import os
import platform
import tempfile
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

import joblib
import numpy as np
import sklearn
from pydantic import BaseModel, Field

from deskroute.classify.model import TextModel
from deskroute.errors import BadInputError, ClassifierError
from deskroute.models.classification import Candidate, Prediction
from deskroute.models.ticket import TicketView

FORMAT = 1


class ModelMeta(BaseModel):
    """What a model was trained on, stored beside it so results can be traced."""

    name: str
    version: str
    trained_at: datetime
    source: str
    data_digest: str
    rows: int
    label_counts: dict[str, int]
    libraries: dict[str, str]
    train_seconds: float
    thresholds: dict[str, float] = Field(default_factory=dict)


@dataclass
class LocalModel:
    meta: ModelMeta
    model: TextModel

    @property
    def classes(self) -> list[str]:
        return [str(c) for c in self.model.classes_]

    def save(self, path: Path) -> None:
        """Write atomically, so a concurrent reader never sees half a file."""
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        os.close(fd)
        try:
            joblib.dump(
                {"format": FORMAT, "meta": self.meta.model_dump(mode="json"), "model": self.model},
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
        except Exception as exc:  # unpickling can fail in many ways; all mean "unreadable"
            raise ClassifierError(f"model file {path} is unreadable: {exc}") from exc
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise ClassifierError(f"model file {path} is not a DeskRoute model (format {FORMAT})")
        return cls(meta=ModelMeta.model_validate(data["meta"]), model=data["model"])


def data_digest(texts: list[str], labels: list[str]) -> str:
    digest = hashlib.sha256()
    for text, label in zip(texts, labels, strict=True):
        digest.update(text.encode() + b"\x1f" + label.encode() + b"\x1e")
    return digest.hexdigest()[:16]


def train_local(texts: list[str], labels: list[str], *, name: str, source: str) -> LocalModel:
    """Fit a model on labelled texts and describe it."""
    if len(set(labels)) < 2:
        raise BadInputError("training needs at least two different categories", field="labels")
    started = datetime.now(UTC)
    model = TextModel().fit(texts, labels)
    seconds = (datetime.now(UTC) - started).total_seconds()
    digest = data_digest(texts, labels)
    meta = ModelMeta(
        name=name,
        version=f"{name}-{digest[:8]}",
        trained_at=started,
        source=source,
        data_digest=digest,
        rows=len(texts),
        label_counts=dict(sorted(Counter(labels).items())),
        libraries={
            "python": platform.python_version(),
            "scikit-learn": sklearn.__version__,
            "numpy": np.__version__,
        },
        train_seconds=round(seconds, 3),
    )
    return LocalModel(meta=meta, model=model)


class LocalClassifier:
    """Wraps a `LocalModel` behind the `Classifier` interface."""

    source: Literal["local"] = "local"

    def __init__(self, model: LocalModel, top_k: int = 5) -> None:
        self.model = model
        self.top_k = top_k

    @property
    def version(self) -> str:
        return self.model.meta.version

    def classify(self, ticket: TicketView) -> Prediction:
        probs = self.model.model.predict_proba([ticket.text])[0]
        order = np.argsort(-probs)[: self.top_k]
        classes = self.model.model.classes_
        candidates = [Candidate(category=str(classes[i]), score=float(probs[i])) for i in order]
        return Prediction(
            category=candidates[0].category,
            confidence=candidates[0].score,
            candidates=candidates,
            source="local",
            model_version=self.version,
        )
