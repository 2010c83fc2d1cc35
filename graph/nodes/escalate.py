"""Escalate: hand the ticket to a person (see `deskroute.escalation`)."""

from __future__ import annotations

from langgraph.runtime import Runtime

from deskroute import escalation
from graph.context import Deps
from graph.state import RouteState, RouteUpdate, specialists_visited
from graph.timing import timed


def escalation_update(state: RouteState, deps: Deps) -> RouteUpdate:
    """The owning queue, holding reply and reviewer's package for the state as it stands."""
    done = escalation.escalate(
        escalation.EscalationInput(
            ticket=state["ticket"],
            reasons=state.get("reasons", []),
            customer=state.get("customer"),
            signals=state.get("signals"),
            classification=state.get("classification"),
            rule_hits=state.get("rule_hits", []),
            category=state.get("category"),
            specialist_path=specialists_visited(state),
            handoffs=state.get("handoffs", []),
            actions=state.get("actions", []),
            draft=state.get("draft"),
            draft_prompt=state.get("draft_prompt"),
        ),
        policies=deps.policies,
        prompt=deps.escalation_prompt,
    )
    return {
        "queue": done.queue,
        "escalation": done.package,
        "response": done.response,
        "response_prompt": done.response_prompt,
        "notes": done.notes,
    }


@timed("escalate")
def escalate(state: RouteState, runtime: Runtime[Deps]) -> RouteUpdate:
    return escalation_update(state, runtime.context)
