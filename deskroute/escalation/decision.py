"""The gate's decision: route to the category's specialist only when the classification is
trustworthy, and collect every reason a person must take over (the specialist still drafts)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from deskroute.classify.rules import category_rule_hits
from deskroute.classify.thresholds import Thresholds
from deskroute.escalation.reasons import rule_reasons
from deskroute.models.classification import NoFit, Prediction, RuleHit
from deskroute.models.outcome import ReasonDetail
from deskroute.models.specialists import SpecialistName
from deskroute.policies.schema import Policies


@dataclass(frozen=True)
class GateDecision:
    target: SpecialistName | None
    """The specialist to run; None when no category can be trusted."""
    category: str | None
    reasons: list[ReasonDetail] = field(default_factory=list)
    rule_hits: list[RuleHit] = field(default_factory=list)
    """The text's rule hits plus the rules every ticket of the category triggers."""


def _trusted(
    verdict: Prediction | NoFit | None,
    classifier_error: str | None,
    policies: Policies,
    thresholds: Thresholds | None,
) -> Prediction | ReasonDetail:
    """The prediction when it may pick a specialist, else why it may not."""
    taxonomy = policies.taxonomy
    if verdict is None:
        return ReasonDetail(
            reason="classifier_error", detail=classifier_error or "no classifier result"
        )
    if isinstance(verdict, NoFit):
        return ReasonDetail(reason="low_confidence", detail=f"no category fits: {verdict.reason}")
    if verdict.category not in taxonomy.categories:
        return ReasonDetail(
            reason="classifier_error",
            detail=f"model {verdict.model_version} predicted {verdict.category!r}, "
            "which is not in taxonomy.yaml (retrain the model)",
        )
    threshold = (
        policies.routing.llm.min_confidence
        if verdict.source == "llm"
        else taxonomy.threshold(verdict.category, thresholds)
    )
    if verdict.source != "rules" and verdict.confidence < threshold:
        return ReasonDetail(
            reason="low_confidence",
            detail=f"{verdict.category} at {verdict.confidence:.2f} is below its threshold "
            f"{threshold:.2f}",
        )
    return verdict


def decide(
    verdict: Prediction | NoFit | None,
    *,
    classifier_error: str | None,
    rule_hits: Sequence[RuleHit],
    policies: Policies,
    thresholds: Thresholds | None,
) -> GateDecision:
    hits = list(rule_hits)
    trusted = _trusted(verdict, classifier_error, policies, thresholds)
    if isinstance(trusted, ReasonDetail):
        return GateDecision(
            target=None,
            category=None,
            reasons=[trusted, *_two_problems(verdict, policies), *rule_reasons(hits)],
            rule_hits=hits,
        )
    category_hits = category_rule_hits(trusted.category, policies.rules)
    return GateDecision(
        target=policies.specialist_for(trusted.category),
        category=trusted.category,
        reasons=[*rule_reasons(category_hits), *rule_reasons(hits)],
        rule_hits=[*hits, *category_hits],
    )


def _two_problems(verdict: Prediction | NoFit | None, policies: Policies) -> list[ReasonDetail]:
    """An unsure ticket whose own sentences raise another specialist's problem is unsure
    because it holds two: the person who takes it over is told so, with the sentence."""
    if not isinstance(verdict, Prediction) or verdict.category not in policies.taxonomy.categories:
        return []
    mine = policies.specialist_for(verdict.category)
    return [
        ReasonDetail(
            reason="multiple_intents",
            detail=f"the ticket reads as {verdict.category} but also raises {s.category} "
            f"({s.score:.2f}): {s.sentence!r}"[:500],
        )
        for s in verdict.sentence_intents
        if s.category in policies.taxonomy.categories
        and policies.specialist_for(s.category) != mine
    ]
