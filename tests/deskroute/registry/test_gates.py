"""Quality gates: each check passes or fails with a reason that names the figure and limit,
and the comparison with the served version refuses only a candidate worse beyond noise."""

from __future__ import annotations

import pytest
from helpers import keyword_model

from deskroute.policies.models import ComparePolicy, GatesPolicy, ModelsPolicy
from deskroute.registry.gates import CategoryRecall, EvalReport, decide, evaluate

POLICY = ModelsPolicy(
    gates=GatesPolicy(
        min_accuracy=0.8,
        min_covered_accuracy=0.9,
        min_recall=0.5,
        recall_floors={"security": 0.9},
        recall_min_support=5,
        min_oos_escalated=0.5,
        max_escalation_rate=0.4,
    )
)


def report(model: str = "cand", correct: list[bool] | None = None, **fields: object) -> EvalReport:
    correct = correct if correct is not None else [True] * 90 + [False] * 10
    base: dict[str, object] = {
        "model": model,
        "eval_set": "set-1",
        "rows": len(correct),
        "in_scope": len(correct),
        "oos": 0,
        "accuracy": sum(correct) / max(len(correct), 1),
        "coverage": 0.8,
        "covered_accuracy": 0.96,
        "escalation_rate": 0.2,
        "oos_escalated": None,
        "target_precision": 0.95,
        "recall": {"billing": CategoryRecall(recall=0.9, support=50)},
        "correct": correct,
    }
    return EvalReport.model_validate(base | fields)


def test_a_good_candidate_with_nothing_served_passes_every_gate() -> None:
    decision = decide(report(), None, POLICY)
    assert decision.passed and decision.failures == [] and decision.against is None
    names = [check.name for check in decision.checks]
    assert names == ["min_accuracy", "min_covered_accuracy", "recall_floors", "max_escalation_rate"]
    assert decision.checks[0].reason == "accuracy 0.900 >= 0.800"


def test_each_failed_gate_says_why() -> None:
    bad = report(
        correct=[True] * 70 + [False] * 30,
        covered_accuracy=0.85,
        escalation_rate=0.5,
        oos=10,
        oos_escalated=0.3,
        recall={
            "billing": CategoryRecall(recall=0.4, support=20),
            "security": CategoryRecall(recall=0.8, support=6),
            "sales": CategoryRecall(recall=0.0, support=2),  # too few rows to judge
        },
    )
    decision = decide(bad, None, POLICY)
    assert not decision.passed
    assert decision.failures == [
        "accuracy 0.700 < 0.800",
        "covered accuracy at target precision 0.95 0.850 < 0.900",
        "recall below its floor in 2 categories: billing 0.40 < 0.50, security 0.80 < 0.90",
        "out-of-scope rows escalated 0.300 < 0.500",
        "escalation rate 0.500 > 0.400",
    ]


def test_a_candidate_is_refused_only_when_worse_beyond_noise() -> None:
    current = report("v1", [True] * 180 + [False] * 20)
    slightly_worse = report("v2", [True] * 178 + [False] * 22)
    decision = decide(slightly_worse, current, POLICY)
    assert decision.passed and decision.against == "v1"
    assert decision.comparison is not None and decision.comparison.low < 0
    assert "not worse" in decision.checks[-1].reason

    much_worse = report("v3", [True] * 150 + [False] * 50)
    refused = decide(much_worse, current, POLICY)
    assert not refused.passed
    assert refused.failures[-1].startswith("worse beyond noise: accuracy -0.150 against v1")


def test_better_requires_a_gain_beyond_noise_and_off_skips_the_comparison() -> None:
    current = report("v1", [True] * 180 + [False] * 20)
    same = report("v2", [True] * 180 + [False] * 20)
    better = ModelsPolicy(gates=POLICY.gates, compare=ComparePolicy(require="better"))
    assert not decide(same, current, better).passed
    gained = report("v3", [True] * 200)
    assert decide(gained, current, better).passed
    off = ModelsPolicy(gates=POLICY.gates, compare=ComparePolicy(require="off"))
    assert decide(same, current, off).against is None


def test_reports_on_different_rows_are_not_compared() -> None:
    with pytest.raises(ValueError, match="same rows"):
        decide(report("v2"), report("v1", eval_set="set-2"), POLICY)


def test_an_empty_evaluation_set_fails() -> None:
    empty = report(correct=[], accuracy=0.0, covered_accuracy=None, recall={})
    decision = decide(empty, None, ModelsPolicy())
    assert not decision.passed
    assert "no in-scope rows" in decision.failures[0]


def test_evaluate_scores_a_model_through_its_thresholds() -> None:
    model = keyword_model(global_threshold=0.6)
    texts = ["my invoice", "login fails", "refund please", "invoice again", "hello", "weather"]
    labels = ["billing", "account_access", "billing", "billing", "account_access", "out"]
    scored = evaluate(model, texts, labels, eval_set="abc", oos_label="out")
    assert (scored.model, scored.eval_set, scored.rows, scored.in_scope, scored.oos) == (
        "keywords-1",
        "abc",
        6,
        5,
        1,
    )
    assert scored.correct == [True, True, False, True, False]
    assert scored.accuracy == 0.6
    assert scored.coverage == pytest.approx(4 / 6, abs=1e-4)  # no keyword: 1/3 < 0.6
    assert scored.covered_accuracy == 0.75 and scored.oos_escalated == 1.0
    assert scored.recall["billing"] == CategoryRecall(recall=0.6667, support=3)
    assert scored.recall["account_access"] == CategoryRecall(recall=0.5, support=2)
