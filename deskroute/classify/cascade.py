"""The classification cascade: policy rules first, then the local model.

The LLM stage of a later issue slots in after the local model, consulted only when the local
model is below its threshold; the result records which stage decided.
"""

from __future__ import annotations

from dataclasses import dataclass

from deskroute.classify.base import Classifier
from deskroute.classify.rules import forced_category, text_rule_hits
from deskroute.errors import ClassifierError
from deskroute.models.classification import Candidate, ClassifierResult, Prediction, RuleHit
from deskroute.models.ticket import TicketView
from deskroute.policies.schema import Rules


@dataclass(frozen=True)
class CascadeResult:
    """The verdict (None when every stage failed), the rules that fired, and the failure."""

    result: ClassifierResult | None
    rule_hits: list[RuleHit]
    error: str | None = None


@dataclass
class Cascade:
    rules: Rules
    local: Classifier

    def classify(self, ticket: TicketView) -> CascadeResult:
        hits = text_rule_hits(ticket.text, self.rules)
        forced = forced_category(hits)
        try:
            model_result: ClassifierResult | None = self.local.classify(ticket)
            error = None
        except ClassifierError as exc:
            model_result, error = None, str(exc)
        if forced is not None and forced.category is not None:
            # A rule decides; the model's other candidates still inform secondary intents.
            others = [
                c
                for c in (model_result.candidates if model_result else [])
                if c.category != forced.category
            ]
            result = Prediction(
                category=forced.category,
                confidence=1.0,
                candidates=[Candidate(category=forced.category, score=1.0), *others],
                source="rules",
                model_version=f"rule:{forced.rule}",
            )
            return CascadeResult(result=result, rule_hits=hits)
        return CascadeResult(result=model_result, rule_hits=hits, error=error)
