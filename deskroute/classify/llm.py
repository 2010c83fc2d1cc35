"""The LLM stage of the cascade: consulted when the local model is unsure (or absent).

The prompt (`prompts/classifier.yaml`) shows the taxonomy, the local model's best candidates
with their scores, and the most similar labelled tickets. The answer is typed: a category from
the taxonomy (or "none"), a confidence, secondary intents and a one-sentence rationale; the
category is an enum in the schema, so servers with grammar-constrained output cannot leave it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from langchain_core.messages import HumanMessage, SystemMessage
from pydantic import BaseModel, Field, create_model

from deskroute.classify.examples import ExampleIndex
from deskroute.llm.errors import InvalidAnswer
from deskroute.llm.redact import Redactor
from deskroute.llm.runtime import LLMRuntime
from deskroute.llm.structured import Structured, ask
from deskroute.models.classification import Candidate, ClassifierResult, NoFit, Prediction
from deskroute.models.ticket import TicketView
from deskroute.policies.schema import Policies
from deskroute.prompts import Prompt

NONE = "none"


class Verdict(BaseModel):
    """What the model answers (the category field is narrowed to the taxonomy at run time)."""

    category: str = Field(description="One category id from the taxonomy, or 'none'.")
    confidence: float = Field(ge=0.0, le=1.0, description="How sure you are, 0 to 1.")
    secondary: list[str] = Field(default_factory=list, description="Other categories touched.")
    rationale: str = Field(max_length=400, description="One sentence: why.")


def verdict_schema(categories: list[str]) -> type[Verdict]:
    """Categories become enums, so grammar-constrained servers cannot answer outside them."""
    # Built at run time from the taxonomy, so a type checker cannot follow them.
    choice: Any = Literal[tuple([*categories, NONE])]
    other: Any = Literal[tuple(categories)]
    return create_model(
        "TicketCategory",
        __base__=Verdict,
        category=(choice, Field(description="One category id, or 'none'.")),
        secondary=(
            list[other],
            Field(default_factory=list, description="Other categories touched."),
        ),
    )


@dataclass
class LLMClassifier:
    llm: LLMRuntime
    prompt: Prompt
    policies: Policies
    examples: ExampleIndex
    company: str
    """The organisation's name in the prompt (`company` in policies/routing.yaml)."""

    @property
    def version(self) -> str:
        return f"{self.llm.config.label}+{self.prompt.version}"

    def messages(
        self, ticket: TicketView, local: Prediction | None, redactor: Redactor
    ) -> list[SystemMessage | HumanMessage]:
        settings = self.policies.routing.llm
        taxonomy = "\n".join(
            f"- {name}: {c.description}" for name, c in self.policies.taxonomy.categories.items()
        )
        candidates = (
            "\n".join(f"- {c.category}: {c.score:.2f}" for c in local.candidates[:5])
            if local
            else "(no local model is available)"
        )
        shots = "\n".join(
            f"- [{e.label}] {redactor.redact(e.text[:240])}"
            for e in self.examples.nearest(ticket.text, settings.examples)
        )
        system = self.prompt.render_instructions(
            company=self.company,
            taxonomy=taxonomy,
            candidates=candidates,
            examples=shots or "(none)",
        )
        human = self.prompt.render("ticket", ticket=redactor.redact(ticket.text))
        return [SystemMessage(system), HumanMessage(human)]

    def classify(
        self, ticket: TicketView, local: Prediction | None
    ) -> tuple[ClassifierResult, Structured[Verdict]]:
        """Raises `LLMUnavailable` (take the embedded path) or `ClassifierError` (escalate)."""
        schema = verdict_schema(list(self.policies.taxonomy.categories))
        redactor = Redactor(enabled=self.llm.config.redact)
        answer = ask(self.llm, schema, self.messages(ticket, local, redactor))
        if answer.value is None:
            raise InvalidAnswer(
                f"{self.llm.config.label} answered invalid output twice "
                f"({answer.method}): {'; '.join(answer.errors)[:300]}",
                answer,
            )
        verdict = answer.value
        if verdict.category == NONE:
            return NoFit(
                reason=redactor.restore(verdict.rationale),
                source="llm",
                model_version=self.version,
                candidates=local.candidates if local else [],
            ), answer
        secondary = [
            Candidate(category=c, score=0.0) for c in verdict.secondary if c != verdict.category
        ]
        return Prediction(
            category=verdict.category,
            confidence=verdict.confidence,
            candidates=[Candidate(category=verdict.category, score=verdict.confidence), *secondary],
            source="llm",
            model_version=self.version,
        ), answer


def llm_classifier(llm: LLMRuntime, prompt: Prompt, policies: Policies) -> LLMClassifier:
    """The LLM stage over the taxonomy's examples (its few-shot index)."""
    from deskroute.classify.demo import examples_of

    texts, labels = examples_of(policies)
    return LLMClassifier(
        llm=llm,
        prompt=prompt,
        policies=policies,
        examples=ExampleIndex(texts, labels),
        company=policies.routing.company,
    )
