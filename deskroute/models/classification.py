"""What classifiers and policy rules say about a ticket."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

ClassifierSource = Literal["rules", "local", "llm"]

EscalationReason = Literal[
    "low_confidence",
    "sensitive_action",
    "loop_detected",
    "multiple_intents",
    "human_requested",
    "policy_rule",
    "classifier_error",
    "internal_error",
]
"""The fixed vocabulary of escalation reasons. `internal_error` marks a ticket that a failing
component (store, tool, bug) handed to a human rather than dropping it."""

LLMOutcome = Literal[
    "decided",
    "no_fit",
    "not_among_candidates",
    "invalid",
    "unavailable",
    "replied",
    "handed_off",
    "step_limit",
    "ungrounded",
]
"""How one LLM consultation ended (classifier: the first four; specialist: the rest)."""

UncategorisedReason = Literal["loop_detected", "classifier_error", "internal_error"]
"""The reasons that leave no trustworthy category, so the ticket's queue comes from the reason
(`reason_queues` in routing.yaml) rather than from a category."""


class Candidate(BaseModel):
    category: str
    score: float = Field(ge=0.0, le=1.0)


class SentenceIntent(Candidate):
    """A category that one sentence of a ticket is about on its own, with that sentence's
    score: a second problem in a ticket the model reads, as a whole, as about another."""

    sentence: str = Field(max_length=300)


class Prediction(BaseModel):
    """A classifier's verdict: the best category with a calibrated probability."""

    kind: Literal["prediction"] = "prediction"
    category: str
    confidence: float = Field(ge=0.0, le=1.0)
    candidates: list[Candidate] = Field(description="Top categories, best first, with scores.")
    source: ClassifierSource
    model_version: str
    sentence_intents: list[SentenceIntent] = Field(
        default_factory=list,
        description="Other specialists' categories that a sentence of the ticket is about.",
    )

    def secondary_intents(self, category: str | None, floor: float) -> list[Candidate]:
        """What else the ticket is about besides `category`: the model's runners-up scoring
        at least `floor`, then the categories of its sentences that are about another
        specialist's work (which stand in for a runner-up of their category: they quote the
        ticket's words)."""
        said = {s.category: s for s in self.sentence_intents if s.category != category}
        found: list[Candidate] = [
            said.pop(c.category, c)
            for c in self.candidates[1:]
            if c.category != category and (c.score >= floor or c.category in said)
        ]
        return found + list(said.values())


class NoFit(BaseModel):
    """A classifier's verdict that no category of the taxonomy fits the ticket."""

    kind: Literal["no_fit"] = "no_fit"
    reason: str
    candidates: list[Candidate] = Field(default_factory=list)
    source: ClassifierSource
    model_version: str


ClassifierResult = Prediction | NoFit


class RuleHit(BaseModel):
    """A policy rule that matched the ticket, and what it demands."""

    rule: str
    action: Literal["force_category", "escalate"]
    matched: str
    category: str | None = None
    reason: EscalationReason | None = None
    queue: str | None = None


class LLMCall(BaseModel):
    """One consultation of an LLM (classifier or specialist), as the outcome records it."""

    role: Literal["classifier", "specialist"]
    model: str
    """Provider, model and prompt version."""
    outcome: LLMOutcome
    method: str | None = None
    """Structured-output method used (json_schema, function_calling, json_mode, tool_calling)."""
    calls: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    ms: float = 0.0
    detail: str | None = None
