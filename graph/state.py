"""The routing workflow's state. Nodes return partial updates; list fields accumulate.

Every value is a pydantic model or plain data, so a checkpointer can persist the state and a
run can pause at the escalation node (LangGraph `interrupt()`) and resume later.
"""

from __future__ import annotations

import operator
from typing import Annotated, Literal, TypedDict

from deskroute.models.actions import ActionRecord
from deskroute.models.classification import LLMCall, NoFit, Prediction, RuleHit
from deskroute.models.context import CustomerContext, Signals
from deskroute.models.outcome import EscalationPackage, Handoff, OutcomeRecord, ReasonDetail
from deskroute.models.ticket import TicketView
from deskroute.policies.schema import Priority

SpecialistName = Literal[
    "billing",
    "refunds",
    "account_access",
    "technical",
    "security",
    "privacy",
    "feedback",
    "sales",
    "general",
]


def merge_timings(left: dict[str, float], right: dict[str, float]) -> dict[str, float]:
    """Add up per-node milliseconds (a specialist may run twice after a hand-off)."""
    merged = dict(left)
    for node, ms in right.items():
        merged[node] = round(merged.get(node, 0.0) + ms, 3)
    return merged


class RouteInput(TypedDict):
    """What a run starts from: a normalised, stored ticket."""

    ticket: TicketView


class RouteState(RouteInput, total=False):
    duplicate_of: str | None
    """Id of an open ticket this one repeats; set by intake."""
    classification: Prediction | NoFit | None
    """The cascade's verdict; None when every stage failed."""
    classifier_error: str | None
    rule_hits: list[RuleHit]
    """Policy rules that matched the text or the category."""
    customer: CustomerContext
    signals: Signals
    priority: Priority
    category: str | None
    """The category the ticket is being handled under (a hand-off changes it)."""
    target: SpecialistName | None
    """The specialist to run next; None means no specialist (escalate or record)."""
    current: SpecialistName | None
    """The last specialist that ran."""
    specialist_path: Annotated[list[str], operator.add]
    handoffs: Annotated[list[Handoff], operator.add]
    draft: str | None
    """The last specialist's reply (sent to the customer unless escalated)."""
    draft_prompt: str | None
    """Version of the prompt that wrote the draft."""
    actions: Annotated[list[ActionRecord], operator.add]
    reasons: Annotated[list[ReasonDetail], operator.add]
    """Escalation reasons gathered along the way; any reason means a human queue."""
    escalation: EscalationPackage | None
    queue: str
    response: str | None
    response_prompt: str | None
    llm_calls: Annotated[list[LLMCall], operator.add]
    """Every LLM consultation of this run (classifier and specialists)."""
    notes: Annotated[list[str], operator.add]
    """Remarks for the reviewer, e.g. that the embedded path stood in for an unavailable LLM."""
    path: Annotated[list[str], operator.add]
    timings_ms: Annotated[dict[str, float], merge_timings]
    outcome: OutcomeRecord
