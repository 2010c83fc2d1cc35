"""Pydantic models for the files in `policies/`; every model refuses unknown keys."""

from __future__ import annotations

import re
from decimal import Decimal
from functools import cached_property
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    Field,
    PlainValidator,
    StringConstraints,
    field_validator,
    model_validator,
)

from deskroute.classify.thresholds import Thresholds as LearnedThresholds
from deskroute.models.classification import UncategorisedReason
from deskroute.models.context import RaisedUrgency, Tier, Urgency
from deskroute.models.specialists import SPECIALIST_NAMES, SpecialistName
from deskroute.policies.alerts import AlertsPolicy
from deskroute.policies.assignment import AssignmentPolicy
from deskroute.policies.base import Priority, Probability, Strict
from deskroute.policies.models import ModelsPolicy
from deskroute.policies.notifications import Notifications
from deskroute.policies.phrases import Phrase, PhraseMatcher
from deskroute.policies.sla import SlaPolicy

Identifier = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")]
QueueName = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9-]*$")]
CurrencyCode = Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]


def _threshold(value: object) -> float | Literal["auto"]:
    if value == "auto":
        return "auto"
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
        raise ValueError("must be a number from 0 to 1, or auto")
    return float(value)


Threshold = Annotated[float | Literal["auto"], PlainValidator(_threshold)]
"""A confidence in [0, 1], or `auto`: the model's threshold calibrated for its target precision."""


def _phrase(value: str) -> str:
    Phrase.compile(value)
    return value


PhraseText = Annotated[str, StringConstraints(min_length=2), AfterValidator(_phrase)]
"""Words matched on their stems, with small gaps (`deskroute/policies/phrases.py`)."""


def _pattern(value: str) -> str:
    try:
        re.compile(value)
    except re.error as exc:
        raise ValueError(f"not a valid regular expression: {exc}") from exc
    return value


PatternText = Annotated[str, AfterValidator(_pattern)]
"""A regular expression, matched case-insensitively, for what must match exactly."""


class Category(Strict):
    name: str
    description: str
    queue: QueueName
    escalation_queue: QueueName
    specialist: SpecialistName
    threshold: Threshold | None = None
    base_urgency: Urgency = "normal"


class Taxonomy(Strict):
    version: int
    default_threshold: Threshold
    secondary_intent_floor: Probability
    min_examples: int = Field(default=10, ge=2)
    categories: dict[Identifier, Category] = Field(min_length=2)

    def threshold(self, category: str, learned: LearnedThresholds | None) -> float:
        """The category's threshold; `auto` takes the model's calibrated one."""
        configured = self.categories[category].threshold
        value = self.default_threshold if configured is None else configured
        if value != "auto":
            return value
        if learned is None:
            raise ValueError("threshold 'auto' needs a model with calibrated thresholds")
        return learned.for_category(category)


class Rule(Strict):
    """A policy rule: text phrases/patterns or a category that forces a category or escalation."""

    id: Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*$")]
    description: str
    phrases: list[PhraseText] = Field(default_factory=list)
    patterns: list[str] = Field(default_factory=list)
    when_category: Identifier | None = None
    action: Literal["force_category", "escalate"]
    category: Identifier | None = None
    reason: Literal["policy_rule", "human_requested"] = "policy_rule"
    queue: QueueName | None = None

    @model_validator(mode="after")
    def _coherent(self) -> Rule:
        if not (self.phrases or self.patterns or self.when_category):
            raise ValueError("a rule needs phrases, patterns or when_category")
        if self.when_category and (self.phrases or self.patterns):
            raise ValueError("when_category rules cannot also match phrases or patterns")
        if self.action == "force_category" and not self.category:
            raise ValueError("action force_category needs a category")
        for i, pattern in enumerate(self.patterns):
            try:
                re.compile(pattern)
            except re.error as exc:
                raise ValueError(f"patterns[{i}] is not a valid regular expression: {exc}") from exc
        return self

    @cached_property
    def matcher(self) -> PhraseMatcher:
        return PhraseMatcher.compile(self.phrases, self.patterns)


class Rules(Strict):
    rules: list[Rule]

    @model_validator(mode="after")
    def _unique_ids(self) -> Rules:
        seen: set[str] = set()
        for rule in self.rules:
            if rule.id in seen:
                raise ValueError(f"rule id {rule.id!r} is used twice")
            seen.add(rule.id)
        return self


class LLMStage(Strict):
    top_candidates: int = Field(default=3, ge=1, le=20)
    min_confidence: Probability = 0.7
    examples: int = Field(default=6, ge=0, le=30)


class Routing(Strict):
    company: str = Field(
        min_length=1,
        max_length=100,
        description="The organisation's name, as prompts and replies show it (`{company}`).",
    )
    triage_queue: QueueName
    max_handoffs: int = Field(ge=1, le=10)
    fallback_floor: Probability = Field(
        description="Below the threshold but above this score, a ticket goes to the top "
        "candidate's human queue instead of triage."
    )
    reason_queues: dict[UncategorisedReason, QueueName] = Field(default_factory=dict)
    priority: dict[Tier | Literal["unknown"], dict[Urgency, Priority]]
    llm: LLMStage = Field(default_factory=LLMStage)

    @model_validator(mode="after")
    def _full_matrix(self) -> Routing:
        for tier in ("standard", "business", "enterprise", "unknown"):
            row = self.priority.get(tier)
            if row is None:
                raise ValueError(f"priority needs a row for tier {tier!r}")
            missing = {"low", "normal", "high", "critical"} - set(row)
            if missing:
                raise ValueError(f"priority.{tier} lacks urgency levels {sorted(missing)}")
        return self


class Signal(Strict):
    weight: int = Field(ge=1, le=10)
    phrases: list[PhraseText] = Field(default_factory=list)
    patterns: list[PatternText] = Field(default_factory=list)

    @cached_property
    def matcher(self) -> PhraseMatcher:
        return PhraseMatcher.compile(self.phrases, self.patterns)


class RepeatContact(Strict):
    window_days: int = Field(ge=1)
    min_tickets: int = Field(ge=1)
    weight: int = Field(ge=1, le=10)


class SignalsPolicy(Strict):
    signals: dict[Identifier, Signal]
    repeat_contact: RepeatContact
    urgency_scores: dict[RaisedUrgency, int]
    negative_signals: list[Identifier]
    positive_phrases: list[PhraseText] = Field(default_factory=list)

    @cached_property
    def positive_matcher(self) -> PhraseMatcher:
        return PhraseMatcher.compile(self.positive_phrases)


class Handoff(Strict):
    to: Identifier
    phrases: list[PhraseText]

    @cached_property
    def matcher(self) -> PhraseMatcher:
        return PhraseMatcher.compile(self.phrases)

    @property
    def regex(self) -> PhraseMatcher:
        """The name the graph's specialist node and the duplicate check still read."""
        return self.matcher


class CreditCap(Strict):
    """The most that credits granted without a person may add up to, per customer, over the
    last `period_days`, in each account currency. A credit beyond it, or in a currency not
    listed, waits for a person's approval."""

    period_days: int = Field(ge=1, le=366)
    amounts: dict[CurrencyCode, Annotated[Decimal, Field(ge=0, max_digits=12, decimal_places=2)]]


class SpecialistPolicy(Strict):
    description: str
    tools: list[Identifier] = Field(min_length=1)
    require_approval: list[Identifier] = Field(
        default_factory=list,
        description="Safe tools this organisation still wants a human to approve.",
    )
    credit_limit: float | None = Field(default=None, ge=0)
    credit_cap: CreditCap | None = Field(
        default=None,
        description="Without one, every credit this specialist grants waits for approval.",
    )
    handoffs: list[Handoff] = Field(default_factory=list)


class Specialists(Strict):
    max_tool_steps: int = Field(ge=1, le=20)
    specialists: dict[SpecialistName, SpecialistPolicy]

    @field_validator("specialists")
    @classmethod
    def _whole_roster(
        cls, value: dict[SpecialistName, SpecialistPolicy]
    ) -> dict[SpecialistName, SpecialistPolicy]:
        """Every specialist of the graph needs its tools and limits declared here."""
        if missing := [name for name in SPECIALIST_NAMES if name not in value]:
            raise ValueError(f"missing specialists: {', '.join(missing)}")
        return value


class Intake(Strict):
    max_body_bytes: int = Field(ge=1)
    customer_id_pattern: str
    languages: list[Annotated[str, StringConstraints(pattern=r"^[a-z]{2}$")]] = Field(min_length=1)
    default_language: Annotated[str, StringConstraints(pattern=r"^[a-z]{2}$")]
    duplicate_window_hours: int = Field(default=72, ge=1)
    free_mail_domains: frozenset[
        Annotated[str, StringConstraints(pattern=r"^[a-z0-9-]+(\.[a-z0-9-]+)+$")]
    ] = Field(
        description="Domains anyone can have an address at: a sender there is never taken for "
        "a colleague of the customer whose contact uses the same domain."
    )

    @cached_property
    def customer_id_regex(self) -> re.Pattern[str]:
        return re.compile(self.customer_id_pattern)


class Examples(Strict):
    category: Identifier
    examples: list[Annotated[str, StringConstraints(strip_whitespace=True, min_length=3)]]


class Policies(Strict):
    """All policy files of one organisation, cross-checked."""

    taxonomy: Taxonomy
    rules: Rules
    routing: Routing
    signals: SignalsPolicy
    specialists: Specialists
    intake: Intake
    assignment: AssignmentPolicy
    notifications: Notifications
    sla: SlaPolicy
    models: ModelsPolicy
    alerts: AlertsPolicy
    examples: dict[str, list[str]]
    digest: str = Field(description="Hash of every policy file, for cache and model checks.")
    examples_digest: str

    def category(self, name: str) -> Category:
        return self.taxonomy.categories[name]

    def specialist_for(self, category: str) -> SpecialistName:
        return self.taxonomy.categories[category].specialist

    @cached_property
    def queues(self) -> frozenset[str]:
        """Every queue a ticket can land in: team and human queues, triage, and the queues
        that routing reasons and escalation rules name."""
        named = {self.routing.triage_queue, *self.routing.reason_queues.values()}
        for category in self.taxonomy.categories.values():
            named |= {category.queue, category.escalation_queue}
        named |= {rule.queue for rule in self.rules.rules if rule.queue}
        return frozenset(named)
