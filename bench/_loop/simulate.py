"""One review order's rounds: route the unlabelled pool with the served model, let a simulated
reviewer (the true label) work the escalation queue and spot-check routed tickets, retrain on
every label so far through the product's label merge, and promote only through the gates.

Only people's labels count as labels used: the start set, reviewed escalations (confirmed or
corrected) and misroute flags. With `implicit`, routed tickets nobody flagged also train, as
the category they were routed to (a ticket handled where it was sent, not reassigned, is a
tacit confirmation); they are re-derived each round from the served model's routing, never
counted as labels, never used to set thresholds, and include the misroutes the spot checks
missed.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from time import perf_counter
from typing import Any, Literal

import numpy as np

from bench._loop.split import Split
from deskroute.classify.local import LocalModel, fit_local, train_local
from deskroute.policies.models import ModelsPolicy
from deskroute.registry.gates import EvalReport, decide, evaluate
from deskroute.registry.labels import ReviewerLabel, TrainingRows, merge_labels, text_key
from deskroute.review.learning import LearningItem, learning_order

Order = Literal["learning", "oldest"]
ORDERS: tuple[Order, ...] = ("learning", "oldest")
CLOCK = datetime(2025, 1, 6, 9, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Settings:
    budget: int
    """Escalations the reviewer resolves per round."""
    inspect: float
    """Share of routed tickets the reviewer looks at per round."""
    target_precision: float
    implicit: bool
    policy: ModelsPolicy
    seed: int
    embeddings: bool = False
    """Train with the sentence-embedding view (the `embeddings` extra)."""


def figures(report: EvalReport) -> dict[str, Any]:
    return {
        "version": report.model,
        "accuracy": round(report.accuracy, 4),
        "coverage": round(report.coverage, 4),
        "covered_accuracy": None
        if report.covered_accuracy is None
        else round(report.covered_accuracy, 4),
    }


@dataclass
class Run:
    """One review order, from the shared initial model to the label cap."""

    order: Order
    data: Split
    settings: Settings
    served: LocalModel
    served_report: EvalReport
    human: dict[int, str] = field(default_factory=dict)
    """Pool row -> the label a person gave it (the start set included)."""
    reviewed: list[ReviewerLabel] = field(default_factory=list)
    rounds: list[dict[str, Any]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.human = {i: self.data.pool_labels[i] for i in self.data.start}
        self.rng = np.random.default_rng([self.settings.seed, 1])

    @property
    def labels(self) -> int:
        return len(self.human)

    def _route(self, rest: list[int]) -> tuple[list[str], np.ndarray]:
        proba = self.served.model.predict_proba([self.data.pool_texts[i] for i in rest])
        classes = self.served.model.classes
        predicted = [classes[p] for p in proba.argmax(axis=1)]
        cut = np.array([self.served.meta.thresholds.for_category(c) for c in predicted])
        return predicted, proba.max(axis=1) >= cut

    def _queue(self, escalated: list[int]) -> list[int]:
        if self.order == "oldest":
            return escalated
        items = [LearningItem(key=str(i), text=self.data.pool_texts[i]) for i in escalated]
        return [int(item.key) for item in learning_order(items, self.served)]

    def _label(self, row: int) -> None:
        category = self.data.pool_labels[row]
        self.human[row] = category
        number = len(self.reviewed) + 1
        self.reviewed.append(
            ReviewerLabel(
                id=number,
                text=self.data.pool_texts[row],
                category=category,
                reviewer="reviewer",
                at=CLOCK + timedelta(minutes=number),
            )
        )

    def step(self) -> dict[str, Any]:
        """One round; the served model changes only when the candidate passes the gates."""
        settings, pool = self.settings, self.data.pool_labels
        rest = [i for i in range(len(pool)) if i not in self.human]
        predicted, routed = self._route(rest)
        guess = dict(zip(rest, predicted, strict=True))
        escalated = [i for i, r in zip(rest, routed, strict=True) if not r]
        sent = [i for i, r in zip(rest, routed, strict=True) if r]
        resolved = self._queue(escalated)[: settings.budget]
        inspected = [
            int(i)
            for i in self.rng.choice(sent, size=round(settings.inspect * len(sent)), replace=False)
        ]
        flagged = [i for i in inspected if guess[i] != pool[i]]
        for labelled in [*resolved, *flagged]:
            self._label(labelled)
        implicit = [i for i in sent if i not in self.human] if settings.implicit else []
        base = [*self.data.start, *implicit]
        rows = merge_labels(
            [self.data.pool_texts[i] for i in base],
            [pool[i] for i in self.data.start] + [guess[i] for i in implicit],
            self.reviewed,
            weight=settings.policy.training.correction_weight,
        )
        started = perf_counter()
        candidate = self._train(rows)
        seconds = perf_counter() - started
        report = self._evaluate(candidate)
        decision = decide(report, self.served_report, settings.policy)
        if decision.passed:
            self.served, self.served_report = candidate, report
        interval = decision.comparison
        row: dict[str, Any] = {
            "round": len(self.rounds),
            "labels": self.labels,
            "share": round(self.labels / len(pool), 4),
            "escalated": len(escalated),
            "reviewed": len(resolved),
            "corrected": sum(guess[i] != pool[i] for i in resolved),
            "inspected": len(inspected),
            "flagged": len(flagged),
            "implicit": len(implicit),
            "implicit_wrong": sum(guess[i] != pool[i] for i in implicit),
            "train_rows": len(rows.texts),
            "train_seconds": round(seconds, 2),
            "candidate": figures(report),
            "promoted": decision.passed,
            "failures": decision.failures,
            "comparison": None
            if interval is None
            else {
                "difference": round(interval.difference, 4),
                "low": round(interval.low, 4),
                "high": round(interval.high, 4),
            },
            **figures(self.served_report),
        }
        self.rounds.append(row)
        return row

    def _train(self, rows: TrainingRows) -> LocalModel:
        """Thresholds come from the out-of-fold predictions of people's labels only: routed
        tickets agree with the model that routed them by construction, so calibrating on them
        too would set thresholds that route far more than the target precision allows."""
        calibration = fit_local(
            rows.texts,
            rows.labels,
            name=f"{self.order}-r{len(self.rounds)}",
            source="banking77-learning-loop",
            sample_weight=rows.weights,
            embeddings=self.settings.embeddings,
        )
        people = {text_key(self.data.pool_texts[i]) for i in self.human}
        mine = np.array([text_key(text) in people for text in rows.texts])
        calibrated = replace(
            calibration, proba=calibration.proba[mine], truth=calibration.truth[mine]
        )
        return calibrated.at(self.settings.target_precision)

    def _evaluate(self, model: LocalModel) -> EvalReport:
        return evaluate(
            model, self.data.eval_texts, self.data.eval_labels, eval_set=self.data.eval_set
        )


def initial(data: Split, settings: Settings) -> tuple[LocalModel, EvalReport, list[str], float]:
    """The model of the labelled start, served whatever its gates say (there is nothing else
    to serve), with the failures the gates would name."""
    started = perf_counter()
    model = train_local(
        [data.pool_texts[i] for i in data.start],
        [data.pool_labels[i] for i in data.start],
        name="start",
        source="banking77-learning-loop",
        target_precision=settings.target_precision,
        embeddings=settings.embeddings,
    )
    seconds = perf_counter() - started
    report = evaluate(model, data.eval_texts, data.eval_labels, eval_set=data.eval_set)
    return model, report, decide(report, None, settings.policy).failures, seconds
