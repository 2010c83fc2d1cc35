"""The routing workflow's state. Nodes return partial updates; list fields accumulate.

Every value is a pydantic model or plain data, so a checkpointer can persist the state and a
run can pause at the escalation node (LangGraph `interrupt()`) and resume later.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping
from typing import Annotated, Any, NotRequired, TypedDict, TypeVar, cast, get_type_hints

from deskroute.models.actions import ActionRecord
from deskroute.models.classification import LLMCall, NoFit, Prediction, RuleHit
from deskroute.models.context import CustomerContext, Signals
from deskroute.models.outcome import EscalationPackage, Handoff, OutcomeRecord, ReasonDetail
from deskroute.models.review import DecisionRecord
from deskroute.models.specialists import SPECIALIST_NAMES, SpecialistName
from deskroute.models.ticket import TicketView
from deskroute.policies.schema import Priority

__all__ = [
    "SPECIALIST_NAMES",
    "Restart",
    "RouteInput",
    "RouteState",
    "RouteUpdate",
    "SpecialistName",
]


T = TypeVar("T")


class Restart(list[T]):
    """An update that replaces an accumulating list instead of extending it: a reviewer's
    reassign starts the ticket afresh at another specialist, without the reasons and
    proposals of the first one."""


def extend(old: list[T], new: list[T]) -> list[T]:
    return list(new) if isinstance(new, Restart) else old + new


Step = tuple[str, float]
"""A node that ran, and its milliseconds."""


class RouteInput(TypedDict):
    """What a run starts from: a normalised, stored ticket."""

    ticket: TicketView
    held: NotRequired[OutcomeRecord]
    """A stored outcome awaiting review that has no paused run (its routing failed, or it was
    escalated with pausing off): the run starts at the review."""
    skip_dedupe: NotRequired[bool]
    """Route as a new ticket without looking for an open one it repeats (re-testing a prompt
    edit with the same text); the outcome notes that the check was skipped."""


class RouteUpdate(TypedDict, total=False):
    """What a node may write: every field but the ticket. Nodes are typed as returning this,
    so a misspelled key is a type error (LangGraph itself would drop it without a word)."""

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
    handoffs: Annotated[list[Handoff], extend]
    draft: str | None
    """The last specialist's reply (sent to the customer unless escalated)."""
    draft_prompt: str | None
    """Version of the prompt that wrote the draft."""
    actions: Annotated[list[ActionRecord], extend]
    reasons: Annotated[list[ReasonDetail], extend]
    """Escalation reasons gathered along the way; any reason means a human queue."""
    escalation: EscalationPackage | None
    queue: str | None
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
    """The outcome as last saved (awaiting review while the run is paused)."""
    reviews: Annotated[list[DecisionRecord], operator.add]
    """Decisions a reviewer took on this run, oldest first."""


class RouteState(RouteInput, RouteUpdate):
    """The whole state of a run: the ticket it started from plus every node's updates."""


def nodes_visited(state: RouteState) -> list[str]:
    return [node for node, _ms in state.get("trace", [])]


def specialists_visited(state: RouteState) -> list[str]:
    """The specialists that ran so far, in order (a hand-off adds the next one); since the
    last review, which starts the ticket afresh at the specialist a person chose."""
    visited: list[str] = []
    for node, _ms in state.get("trace", []):
        if node == "review":
            visited = []
        elif node in SPECIALIST_NAMES:
            visited.append(node)
    return visited


def merged(state: RouteState, update: RouteUpdate) -> RouteState:
    """The state as it will be once `update` is applied: each field's declared reducer
    combines the old and new value; fields without one are replaced."""
    view: dict[str, Any] = dict(state)
    for key, value in update.items():
        reducer = REDUCERS.get(key)
        view[key] = reducer(view[key], value) if reducer is not None and key in view else value
    return cast(RouteState, view)


def unknown_keys(update: Mapping[str, Any]) -> set[str]:
    """Keys of an update that no state field has (LangGraph would drop them silently)."""
    return update.keys() - UPDATE_KEYS


REDUCERS: dict[str, Callable[[Any, Any], Any]] = {
    key: hint.__metadata__[0]
    for key, hint in get_type_hints(RouteUpdate, include_extras=True).items()
    if getattr(hint, "__metadata__", None)
}
"""Each accumulating field's reducer, as declared with `Annotated` above."""

UPDATE_KEYS = frozenset(RouteUpdate.__annotations__)
