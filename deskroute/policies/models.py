"""The schema of `policies/models.yaml`: which rows every model version is judged on, the
quality gates a version must pass before it is served, how it is compared with the served one,
and how much reviewers' labels weigh in training."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field

from deskroute.policies.base import Probability, Strict


class EvaluationPolicy(Strict):
    file: str | None = None
    """A labelled CSV or JSONL file, relative to the policies directory; None: a held-out
    split of the first registered training data, kept in the store."""
    text_col: str = "text"
    label_col: str = "category"
    holdout: float = Field(default=0.2, gt=0.0, lt=0.5)
    """Share of each category held out when the split is made (at least two rows of each
    category stay for training)."""

    def path(self, policies_dir: Path) -> Path | None:
        return None if self.file is None else (policies_dir / self.file).resolve()


class GatesPolicy(Strict):
    min_accuracy: Probability = 0.0
    """Top-1 accuracy over the in-scope evaluation rows."""
    min_covered_accuracy: Probability | None = None
    """Accuracy of the rows the model auto-routes at its calibrated thresholds."""
    min_recall: Probability | None = None
    """Recall floor for every category with at least `recall_min_support` evaluation rows."""
    recall_floors: dict[str, Probability] = Field(default_factory=dict)
    """Floors for named categories, instead of `min_recall`."""
    recall_min_support: int = Field(default=10, ge=1)
    min_oos_escalated: Probability | None = None
    """Share of out-of-scope evaluation rows that must be escalated (checked when there are
    such rows)."""
    max_escalation_rate: Probability | None = None
    """Share of all evaluation rows escalated, at most."""


class ComparePolicy(Strict):
    """A candidate against the served version, by a paired bootstrap of the accuracy
    difference on the evaluation rows (see `deskroute.registry.bootstrap`)."""

    require: Literal["not_worse", "better", "off"] = "not_worse"
    """not_worse: refused only when the whole interval lies below zero; better: promoted only
    when the whole interval lies above zero; off: no comparison."""
    resamples: int = Field(default=1000, ge=100, le=100_000)
    confidence: float = Field(default=0.95, ge=0.5, lt=1.0)
    seed: int = 0


class TrainingPolicy(Strict):
    correction_weight: float = Field(default=2.0, gt=0.0, le=100.0)
    """Sample weight of a reviewer's label against a base-data row's 1."""


class ModelsPolicy(Strict):
    evaluation: EvaluationPolicy = Field(default_factory=EvaluationPolicy)
    gates: GatesPolicy = Field(default_factory=GatesPolicy)
    compare: ComparePolicy = Field(default_factory=ComparePolicy)
    training: TrainingPolicy = Field(default_factory=TrainingPolicy)
