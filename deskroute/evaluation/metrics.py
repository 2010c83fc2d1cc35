"""Evaluation of a local model on labelled tickets, through the same confidence gate as live
routing: what it would route, how accurate that is, and what it would escalate."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from time import perf_counter

import numpy as np
from pydantic import BaseModel

from deskroute.classify.local import LocalModel

BATCH = 512


class LabelMetrics(BaseModel):
    precision: float
    recall: float
    f1: float
    support: int


class ThresholdInfo(BaseModel):
    target_precision: float
    global_threshold: float
    per_category: dict[str, float]
    calibration_rows: int
    oos_rows: int


class EvalResult(BaseModel):
    model: str
    n: int
    in_scope: int
    oos: int
    accuracy: float
    """Top-1 accuracy over in-scope rows, ignoring the gate."""
    macro_f1: float
    coverage: float
    """Share of all rows the gate auto-routes."""
    covered_accuracy: float | None
    """Accuracy among auto-routed in-scope rows."""
    escalation_rate: float
    oos_recall: float | None
    """Share of out-of-scope rows escalated (None without an out-of-scope label)."""
    in_scope_routed_accuracy: float
    """Correct auto-routed in-scope rows / all in-scope rows."""
    per_label: dict[str, LabelMetrics]
    threshold: ThresholdInfo
    unknown_labels: list[str]
    """Labels in the data that the model cannot predict (always counted wrong)."""
    tickets_per_s: float


@dataclass(frozen=True)
class Predictions:
    """Row-level results, kept for reports."""

    texts: list[str]
    truth: list[str | None]
    """The label, or None for out-of-scope rows."""
    predicted: np.ndarray
    confidence: np.ndarray
    routed: np.ndarray
    classes: tuple[str, ...]

    @property
    def in_scope(self) -> np.ndarray:
        return np.array([t is not None for t in self.truth], dtype=bool)

    @property
    def correct(self) -> np.ndarray:
        return np.array(
            [t == self.classes[p] for t, p in zip(self.truth, self.predicted, strict=True)],
            dtype=bool,
        )


def predict(
    model: LocalModel, texts: Sequence[str], on_batch: Callable[[int], None] = lambda _n: None
) -> np.ndarray:
    """Probabilities for every text, in batches (the callback drives a progress bar)."""
    parts = []
    for start in range(0, len(texts), BATCH):
        chunk = texts[start : start + BATCH]
        parts.append(model.model.predict_proba(chunk))
        on_batch(len(chunk))
    return np.vstack(parts) if parts else np.empty((0, len(model.classes)))


def _safe(numerator: float, denominator: float) -> float:
    return numerator / denominator if denominator else 0.0


def per_label_metrics(truth: list[str], predicted: list[str]) -> dict[str, LabelMetrics]:
    """Precision, recall and F1 per label (labels that occur as truth or prediction)."""
    hits = Counter(t for t, p in zip(truth, predicted, strict=True) if t == p)
    supports, predictions = Counter(truth), Counter(predicted)
    result = {}
    for label in sorted(supports.keys() | predictions.keys()):
        support = supports[label]
        precision, recall = _safe(hits[label], predictions[label]), _safe(hits[label], support)
        f1 = _safe(2 * precision * recall, precision + recall)
        result[label] = LabelMetrics(
            precision=round(precision, 4), recall=round(recall, 4), f1=round(f1, 4), support=support
        )
    return result


def evaluate(
    model: LocalModel,
    texts: list[str],
    labels: list[str],
    *,
    oos_label: str | None = None,
    on_batch: Callable[[int], None] = lambda _n: None,
) -> tuple[EvalResult, Predictions]:
    started = perf_counter()
    proba = predict(model, texts, on_batch)
    seconds = perf_counter() - started
    thresholds = model.meta.thresholds
    classes = model.model.classes
    predicted = proba.argmax(axis=1)
    confidence = proba.max(axis=1)
    cut = np.array([thresholds.for_category(classes[p]) for p in predicted])
    rows = Predictions(
        texts=texts,
        truth=[None if label == oos_label else label for label in labels],
        predicted=predicted,
        confidence=confidence,
        routed=confidence >= cut,
        classes=classes,
    )
    in_scope, correct, routed = rows.in_scope, rows.correct, rows.routed
    n_in, n_oos = int(in_scope.sum()), int((~in_scope).sum())
    truth_in = [t for t in rows.truth if t is not None]
    predicted_in = [classes[p] for p, keep in zip(predicted, in_scope, strict=True) if keep]
    per_label = per_label_metrics(truth_in, predicted_in)
    routed_in = routed & in_scope
    result = EvalResult(
        model=model.meta.version,
        n=len(texts),
        in_scope=n_in,
        oos=n_oos,
        accuracy=round(_safe(correct[in_scope].sum(), n_in), 4),
        macro_f1=round(float(np.mean([m.f1 for m in per_label.values()])) if per_label else 0.0, 4),
        coverage=round(float(routed.mean()) if len(routed) else 0.0, 4),
        covered_accuracy=round(float(correct[routed_in].mean()), 4) if routed_in.any() else None,
        escalation_rate=round(float(1 - routed.mean()) if len(routed) else 0.0, 4),
        oos_recall=round(float((~routed[~in_scope]).mean()), 4)
        if oos_label is not None and n_oos
        else None,
        in_scope_routed_accuracy=round(_safe((correct & routed_in).sum(), n_in), 4),
        per_label=per_label,
        threshold=ThresholdInfo(
            target_precision=thresholds.target_precision,
            global_threshold=round(thresholds.global_threshold, 4),
            per_category={k: round(v, 4) for k, v in thresholds.per_category.items()},
            calibration_rows=thresholds.calibration_rows,
            oos_rows=thresholds.oos_rows,
        ),
        unknown_labels=sorted(set(truth_in) - set(classes)),
        tickets_per_s=round(len(texts) / seconds, 1) if seconds else 0.0,
    )
    return result, rows


def coverage_curve(rows: Predictions, points: int = 101) -> list[tuple[float, float, float]]:
    """(threshold, coverage, routed precision) for global thresholds from 0 to 1; routing an
    out-of-scope row counts as an error."""
    ok = rows.correct & rows.in_scope
    curve = []
    for threshold in np.linspace(0.0, 1.0, points):
        routed = rows.confidence >= threshold
        if not routed.any():
            break
        curve.append((float(threshold), float(routed.mean()), float(ok[routed].mean())))
    return curve


def confused_pairs(rows: Predictions, top: int = 20) -> list[tuple[str, str, int, list[str]]]:
    """(true, predicted, count, up to three example texts), most frequent first."""
    pairs: dict[tuple[str, str], list[str]] = {}
    for text, truth, p in zip(rows.texts, rows.truth, rows.predicted, strict=True):
        if truth is not None and truth != rows.classes[p]:
            pairs.setdefault((truth, rows.classes[p]), []).append(text)
    ranked = sorted(pairs.items(), key=lambda item: (-len(item[1]), item[0]))[:top]
    return [(t, p, len(texts), texts[:3]) for (t, p), texts in ranked]
