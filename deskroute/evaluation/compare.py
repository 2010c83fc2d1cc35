"""Side-by-side comparison of two models on the same tickets."""

from __future__ import annotations

from pydantic import BaseModel

from deskroute.evaluation.metrics import EvalResult

HEADLINE = (
    "accuracy",
    "macro_f1",
    "coverage",
    "covered_accuracy",
    "escalation_rate",
    "oos_recall",
    "in_scope_routed_accuracy",
)


class LabelDelta(BaseModel):
    label: str
    f1: float
    precision: float
    recall: float
    support: int


class Comparison(BaseModel):
    headline: dict[str, float | None]
    """Model minus other, per headline metric (None where either is undefined)."""
    per_label: list[LabelDelta]
    """Sorted by the size of the F1 change."""


def compare(model: EvalResult, other: EvalResult) -> Comparison:
    headline: dict[str, float | None] = {}
    for key in HEADLINE:
        a, b = getattr(model, key), getattr(other, key)
        headline[key] = None if a is None or b is None else round(a - b, 4)
    labels = sorted(model.per_label.keys() | other.per_label.keys())
    deltas = []
    for label in labels:
        mine, theirs = model.per_label.get(label), other.per_label.get(label)
        deltas.append(
            LabelDelta(
                label=label,
                f1=round((mine.f1 if mine else 0.0) - (theirs.f1 if theirs else 0.0), 4),
                precision=round(
                    (mine.precision if mine else 0.0) - (theirs.precision if theirs else 0.0), 4
                ),
                recall=round(
                    (mine.recall if mine else 0.0) - (theirs.recall if theirs else 0.0), 4
                ),
                support=mine.support if mine else theirs.support if theirs else 0,
            )
        )
    deltas.sort(key=lambda d: (-abs(d.f1), d.label))
    return Comparison(headline=headline, per_label=deltas)
