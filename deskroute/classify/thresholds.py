"""Confidence thresholds that make auto-routed tickets reach a target precision.

Fitted on out-of-fold predictions of the training data, never on test data. Rows labelled
out-of-scope (class -1) count as errors whenever they would be routed, so they push thresholds
up exactly as far as needed to escalate them.
"""

from __future__ import annotations

import numpy as np
from pydantic import BaseModel, Field

SHRINKAGE = 100.0
"""Pseudo-rows pulling a category's own cut-off towards the global one: with ~100 calibration
rows per category the raw per-category cut-off is noisy, and shrunk ones generalise better."""


class Thresholds(BaseModel):
    target_precision: float = Field(ge=0.0, le=1.0)
    global_threshold: float
    per_category: dict[str, float] = Field(
        default_factory=dict, description="Shrunk towards the global cut by their support."
    )
    calibration_rows: int
    oos_rows: int = 0
    expected_coverage: float = Field(description="Share of calibration rows auto-routed.")
    expected_precision: float = Field(description="Precision of those rows.")

    def for_category(self, category: str) -> float:
        return self.per_category.get(category, self.global_threshold)


def _cutoff(confidence: np.ndarray, correct: np.ndarray, target: float) -> float:
    """The lowest confidence at which the rows at or above it reach the target precision
    (just above the highest confidence when no cut-off does)."""
    order = np.argsort(-confidence, kind="stable")
    ranked_conf, ranked_ok = confidence[order], correct[order]
    precision = np.cumsum(ranked_ok) / np.arange(1, len(ranked_ok) + 1)
    # A cut-off must not split rows with equal confidence: only the last of a run counts.
    last_of_run = np.append(ranked_conf[1:] != ranked_conf[:-1], True)
    good = np.flatnonzero((precision >= target) & last_of_run)
    if len(good) == 0:
        return float(np.nextafter(ranked_conf[0], np.inf)) if len(ranked_conf) else 1.0
    return float(ranked_conf[good[-1]])


def fit_thresholds(
    proba: np.ndarray, labels: np.ndarray, classes: list[str], target: float
) -> Thresholds:
    """`labels` are class indices, or -1 for out-of-scope rows."""
    confidence = proba.max(axis=1)
    predicted = proba.argmax(axis=1)
    correct = predicted == labels
    global_threshold = _cutoff(confidence, correct, target)
    per_category = {}
    for index, name in enumerate(classes):
        mine = predicted == index
        support = int(mine.sum())
        own = min(_cutoff(confidence[mine], correct[mine], target), 1.0) if support else 1.0
        per_category[name] = (support * own + SHRINKAGE * global_threshold) / (support + SHRINKAGE)
    cut = np.array([per_category.get(classes[p], global_threshold) for p in predicted])
    routed = confidence >= cut
    return Thresholds(
        target_precision=target,
        global_threshold=global_threshold,
        per_category=per_category,
        calibration_rows=len(labels),
        oos_rows=int((labels < 0).sum()),
        expected_coverage=float(routed.mean()) if len(routed) else 0.0,
        expected_precision=float(correct[routed].mean()) if routed.any() else 1.0,
    )
