"""The cascade: rules decide outright, else the local model; failures become data."""

from __future__ import annotations

from helpers import view

from deskroute.classify.cascade import Cascade
from deskroute.classify.local import LocalClassifier, LocalModel
from deskroute.runtime import UnavailableClassifier


def test_rule_forces_category_and_keeps_model_candidates(policies, demo_model) -> None:
    cascade = Cascade(policies.rules, LocalClassifier(LocalModel.load(demo_model)))
    verdict = cascade.classify(
        view(policies, body="We had a data breach, someone exported our customer list")
    )
    assert verdict.result is not None and verdict.result.source == "rules"
    assert verdict.result.category == "security" and verdict.result.confidence == 1.0
    assert verdict.result.model_version == "rule:data-breach"
    assert len(verdict.result.candidates) > 1
    assert [h.rule for h in verdict.rule_hits] == ["data-breach"]


def test_local_model_decides_without_rules(policies, demo_model) -> None:
    cascade = Cascade(policies.rules, LocalClassifier(LocalModel.load(demo_model)))
    verdict = cascade.classify(view(policies, body="How do I schedule a weekly PDF report?"))
    assert verdict.result is not None and verdict.result.source == "local"
    assert verdict.error is None and verdict.rule_hits == []


def test_model_failure_is_reported_with_rule_hits(policies) -> None:
    cascade = Cascade(policies.rules, UnavailableClassifier("model file gone"))
    verdict = cascade.classify(view(policies, body="I want to talk to a human about my bill"))
    assert verdict.result is None and verdict.error == "model file gone"
    assert [h.rule for h in verdict.rule_hits] == ["human-requested"]
