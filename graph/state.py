"""The routing workflow's state. Nodes return partial updates; list fields accumulate.

Every value is a pydantic model or plain data, so a checkpointer can persist the state and a
run can pause at the escalation node (LangGraph `interrupt()`) and resume later.
"""

from __future__ import annotations

import operator
from collections.abc import Mapping
from typing import Annotated, Any, Literal, TypedDict, cast, get_args, get_type_hints

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
SPECIALIST_NAMES: tuple[SpecialistName, ...] = get_args(SpecialistName)


Step = tuple[str, float]
"""A node that ran, and its milliseconds."""


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
    trace: Annotated[list[Step], operator.add]
    """Every node visited, in order, with its time: the outcome's `path` and `timings_ms`.
    One channel for both, since each channel costs LangGraph time on every step."""
    outcome: OutcomeRecord


def nodes_visited(state: RouteState) -> list[str]:
    return [node for node, _ms in state.get("trace", [])]


def specialists_visited(state: RouteState) -> list[str]:
    """The specialists that ran so far, in order (a hand-off adds the next one)."""
    return [node for node, _ms in state.get("trace", []) if node in SPECIALIST_NAMES]


def merged(state: RouteState, update: Mapping[str, Any]) -> RouteState:
    """The state as it will be once `update` is applied: list fields accumulate, the rest is
    replaced (the reducers declared above)."""
    view: dict[str, Any] = dict(state)
    for key, value in update.items():
        view[key] = [*view.get(key, []), *value] if key in ACCUMULATING else value
    return cast(RouteState, view)


ACCUMULATING = frozenset(
    key
    for key, hint in get_type_hints(RouteState, include_extras=True).items()
    if getattr(hint, "__metadata__", None)
)
