"""Which human queue owns an escalated ticket."""

from __future__ import annotations

from deskroute.escalation import choose_queue
from deskroute.models.classification import Candidate, Prediction, RuleHit
from deskroute.models.outcome import ReasonDetail


def prediction(category: str, confidence: float) -> Prediction:
    return Prediction(
        category=category,
        confidence=confidence,
        source="local",
        model_version="m",
        candidates=[Candidate(category=category, score=confidence)],
    )


def test_escalation_queue_choice(policies) -> None:
    low = [ReasonDetail(reason="low_confidence", detail="d")]

    def queue(reasons, classification=None, category=None, rule_hits=()):
        return choose_queue(
            policies,
            rule_hits=rule_hits,
            reasons=reasons,
            classification=classification,
            category=category,
        )

    assert queue(low, prediction("billing", 0.5)) == ("finance-review", "billing")
    assert queue(low, prediction("billing", 0.2)) == ("triage", None)
    loop = [ReasonDetail(reason="loop_detected", detail="d")]
    assert queue(loop, category="billing") == ("triage", None)


def test_a_rule_naming_a_queue_wins(policies) -> None:
    hit = RuleHit(
        rule="legal", action="escalate", matched="lawyer", reason="policy_rule", queue="legal"
    )
    reasons = [ReasonDetail(reason="low_confidence", detail="d")]
    assert choose_queue(
        policies,
        rule_hits=[hit],
        reasons=reasons,
        classification=prediction("billing", 0.9),
        category="billing",
    ) == ("legal", None)
