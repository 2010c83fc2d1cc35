"""The classification cascade: policy rules, then the local model, then (optionally) an LLM.

Rules that force a category decide outright. Otherwise the local model answers; only when it is
unsure (below its category's threshold) or unavailable is the LLM consulted, so most tickets
never cost a call. The LLM may only choose among the local model's best candidates. If the
provider is down, the local verdict stands (the gate escalates it if unsure) and the result
says so; if the LLM answers nonsense twice, it is a classifier error, never a guess. Whoever
decided, a sentence about another specialist's work is recorded beside the verdict.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from deskroute.classify.base import Classifier
from deskroute.classify.problems import SecondProblems
from deskroute.classify.rules import forced_category, text_rule_hits
from deskroute.errors import ClassifierError
from deskroute.llm.errors import InvalidAnswer, LLMUnavailable
from deskroute.models.classification import (
    Candidate,
    ClassifierResult,
    LLMCall,
    LLMOutcome,
    NoFit,
    Prediction,
    RuleHit,
)
from deskroute.models.ticket import TicketView
from deskroute.policies.schema import Rules

if TYPE_CHECKING:  # the LLM stage and its provider clients load only when one is configured
    from deskroute.classify.llm import LLMClassifier, Verdict
    from deskroute.llm.structured import Structured


def _call(llm: LLMClassifier, answer: Structured[Verdict], outcome: LLMOutcome) -> LLMCall:
    usage = answer.usage
    return LLMCall(
        role="classifier",
        model=llm.version,
        outcome=outcome,
        method=answer.method,
        calls=usage.calls,
        input_tokens=usage.input_tokens,
        output_tokens=usage.output_tokens,
        ms=round(usage.seconds * 1000, 1),
    )


@dataclass(frozen=True)
class CascadeResult:
    """The verdict (None when every stage failed), the rules that fired, the failure, and the
    LLM consultation if there was one."""

    result: ClassifierResult | None
    rule_hits: list[RuleHit]
    error: str | None = None
    llm: LLMCall | None = None


@dataclass
class Cascade:
    rules: Rules
    local: Classifier
    llm: LLMClassifier | None = None
    threshold: Callable[[str], float] | None = None
    """The gate's confidence threshold for a category; below it the LLM is consulted."""
    top_candidates: int = 3
    problems: SecondProblems | None = None
    """Finds a second problem for another specialist in the ticket's sentences."""

    def classify(self, ticket: TicketView) -> CascadeResult:
        verdict = self._classify(ticket)
        result = verdict.result
        if self.problems is None or not isinstance(result, Prediction):
            return verdict
        if intents := self.problems.find(ticket, result.category):
            result = self._main_problem(
                ticket, result.model_copy(update={"sentence_intents": intents})
            )
            return replace(verdict, result=result)
        return verdict

    def _main_problem(self, ticket: TicketView, result: Prediction) -> Prediction:
        """A ticket the model is unsure of may be unsure only because it holds a second
        problem: read without that problem's sentences, its main problem's confidence is the
        ticket's (the second problem is in `sentence_intents`, for a person to see answered)."""
        if (
            self.problems is None
            or self.threshold is None
            or result.source != "local"
            or result.confidence >= self.threshold(result.category)
        ):
            return result
        rest = self.problems.without(ticket, result.sentence_intents)
        try:
            main = self.local.classify(rest) if rest is not None else None
        except ClassifierError:
            return result
        if not isinstance(main, Prediction) or main.category != result.category:
            return result
        return result.model_copy(update={"confidence": main.confidence})

    def _classify(self, ticket: TicketView) -> CascadeResult:
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
        local = model_result if isinstance(model_result, Prediction) else None
        if self.llm is not None and (local is None or self._unsure(local)):
            return self._consult(self.llm, ticket, local, model_result, error, hits)
        return CascadeResult(result=model_result, rule_hits=hits, error=error)

    def _unsure(self, local: Prediction) -> bool:
        return self.threshold is not None and local.confidence < self.threshold(local.category)

    def _consult(
        self,
        llm: LLMClassifier,
        ticket: TicketView,
        local: Prediction | None,
        model_result: ClassifierResult | None,
        error: str | None,
        hits: list[RuleHit],
    ) -> CascadeResult:
        try:
            verdict, answer = llm.classify(ticket, local)
        except LLMUnavailable as exc:
            call = LLMCall(
                role="classifier", model=llm.version, outcome="unavailable", detail=str(exc)[:300]
            )
            return CascadeResult(result=model_result, rule_hits=hits, error=error, llm=call)
        except InvalidAnswer as exc:
            call = _call(llm, exc.answer, "invalid").model_copy(update={"detail": str(exc)[:300]})
            return CascadeResult(result=None, rule_hits=hits, error=str(exc), llm=call)
        call = _call(llm, answer, "decided")
        if isinstance(verdict, NoFit):
            return CascadeResult(
                result=verdict, rule_hits=hits, llm=call.model_copy(update={"outcome": "no_fit"})
            )
        allowed = [c.category for c in (local.candidates[: self.top_candidates] if local else [])]
        if local is not None and verdict.category not in allowed:
            reason = (
                f"the LLM chose {verdict.category}, outside the local model's top "
                f"{self.top_candidates} ({', '.join(allowed)})"
            )
            result = NoFit(
                reason=reason, source="llm", model_version=llm.version, candidates=local.candidates
            )
            return CascadeResult(
                result=result,
                rule_hits=hits,
                llm=call.model_copy(update={"outcome": "not_among_candidates", "detail": reason}),
            )
        return CascadeResult(result=verdict, rule_hits=hits, llm=call)
