"""Small helpers shared by tests (importable because `tests/` is on pytest's pythonpath)."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from deskroute.classify.linear import LinearTextModel, NgramView
from deskroute.classify.local import LocalModel, ModelMeta
from deskroute.classify.thresholds import Thresholds

from deskroute.intake.prepare import prepare_ticket
from deskroute.models.ticket import TicketIn, TicketView
from deskroute.policies import Policies
from deskroute.settings import PROJECT_ROOT


def view(policies: Policies, **fields: Any) -> TicketView:
    """A normalised ticket, as intake hands it to the graph."""
    return prepare_ticket(TicketIn(**fields), policies.intake)


def copy_tree(name: str, target: Path) -> Path:
    """A private copy of `policies/` or `prompts/` that a test may break."""
    destination = target / name
    shutil.copytree(PROJECT_ROOT / name, destination)
    return destination


def edit_yaml(path: Path, change: Any) -> None:
    """Load a YAML file, let `change(data)` modify it, write it back."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def keyword_model(
    global_threshold: float = 0.6, per_category: dict[str, float] | None = None
) -> LocalModel:
    """A hand-made model whose predictions a test can work out on paper: each class has one
    keyword (weight 4 on its own class); with temperature 1 and one keyword in a text, the
    confidence is e^4 / (e^4 + 2) = 0.9646, and with no keyword it is 1/3."""
    vocabulary = {"invoice": 0, "login": 1, "refund": 2}
    view = NgramView(analyzer="word", ngram_range=(1, 1), lowercase=True, strip_accents=False,
                     token_pattern=r"(?u)\b\w+\b", sublinear_tf=False, vocabulary=vocabulary,
                     idf=np.ones(3))
    model = LinearTextModel(views=(view,), weights=np.eye(3, dtype=np.float32) * 4.0,
                            bias=np.zeros(3), temperature=1.0,
                            classes=("billing", "account_access", "refunds_cancellations"))
    thresholds = Thresholds(target_precision=0.9, global_threshold=global_threshold,
                            per_category=per_category or {}, calibration_rows=0,
                            expected_coverage=0.0, expected_precision=1.0)
    meta = ModelMeta(name="keywords", version="keywords-1", trained_at=datetime.now(UTC),
                     source="hand-made", data_digest="0", rows=0, label_counts={},
                     libraries={}, train_seconds=0.0, thresholds=thresholds)
    return LocalModel(meta=meta, model=model)
