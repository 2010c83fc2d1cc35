"""The structured outcome record every ticket ends with, and the reviewer's context package."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field, model_validator

from deskroute.models.actions import ActionRecord
from deskroute.models.classification import (
    Candidate,
    ClassifierSource,
    EscalationReason,
    LLMCall,
    RuleHit,
)
from deskroute.models.context import CustomerContext, Signals
from deskroute.models.ownership import AssignmentInfo, SlaInfo
from deskroute.models.review import OutcomeState, ReviewInfo
from deskroute.models.specialists import SpecialistName
from deskroute.models.ticket import TicketView


class ReasonDetail(BaseModel):
    """Why a ticket is escalated, in the fixed vocabulary plus a sentence for the reviewer."""

    reason: EscalationReason
    detail: str


class Handoff(BaseModel):
    """A specialist handing the ticket to another one ("not mine")."""

    from_specialist: SpecialistName
    to_category: str
    reason: str


class ClassifierInfo(BaseModel):
    """Which classifier stage decided, and what it said (a hand-off may change `category`)."""

    source: ClassifierSource | None
    model_version: str | None
    category: str | None = None


class EscalationPackage(BaseModel):
    """Everything a reviewer needs so the customer never has to explain twice."""

    queue: str
    reasons: list[ReasonDetail]
    ticket: TicketView
    customer: CustomerContext | None
    signals: Signals | None
    candidates: list[Candidate]
    rule_hits: list[RuleHit]
    specialist_path: list[str]
    handoffs: list[Handoff]
    proposed_actions: list[ActionRecord]
    draft_reply: str | None
    draft_prompt_version: str | None = None


class OutcomeRecord(BaseModel):
    """One per routed ticket, written in one transaction; `escalated` tickets own a human queue."""

    ticket_id: str
    category: str | None
    confidence: float | None
    secondary_intents: list[Candidate]
    classifier: ClassifierInfo
    prompt_version: str | None = Field(description="name@version+hash of the prompt that spoke.")
    path: list[str]
    specialist: SpecialistName | None
    queue: str
    priority: Literal["P1", "P2", "P3", "P4"]
    escalated: bool
    escalation_reasons: list[EscalationReason]
    response: str | None
    actions: list[ActionRecord]
    timings_ms: dict[str, float]
    created_at: datetime
    language: str | None = None
    customer_id: str | None = None
    signals: Signals | None = None
    rule_hits: list[RuleHit] = Field(default_factory=list)
    escalation: EscalationPackage | None = None
    duplicate_of: str | None = None
    handoffs: list[Handoff] = Field(default_factory=list)
    llm: list[LLMCall] = Field(default_factory=list)
    """Every LLM consultation: which model, what it decided, calls and tokens."""
    notes: list[str] = Field(default_factory=list)
    """Things a reviewer should know, e.g. that the LLM was down and the embedded path answered."""
    state: OutcomeState = "routed"
    """Where the ticket stands: an escalated ticket awaits a person's review until resolved."""
    review: ReviewInfo | None = None
    """Every decision a reviewer took on this ticket, with the before and after."""
    assignment: AssignmentInfo | None = None
    """The agent who owns the ticket now, or why it waits; read from `assignments`."""
    sla: SlaInfo | None = None
    """The ticket's SLA due times and state now; read from `sla_clocks`."""

    @model_validator(mode="before")
    @classmethod
    def _state_of_older_records(cls, data: Any) -> Any:
        """Records written before reviews existed carry no state: an escalated one awaits
        review."""
        if isinstance(data, dict) and "state" not in data:
            return {**data, "state": "awaiting_review" if data.get("escalated") else "routed"}
        return data
