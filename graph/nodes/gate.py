"""Gate: the escalation rules decide whether the classification may pick a specialist."""

from __future__ import annotations

from langgraph.runtime import Runtime

from deskroute.escalation import decide
from graph.context import Deps
from graph.state import RouteState, RouteUpdate
from graph.timing import timed


@timed("gate")
def gate(state: RouteState, runtime: Runtime[Deps]) -> RouteUpdate:
    deps = runtime.context
    decision = decide(
        state.get("classification"),
        classifier_error=state.get("classifier_error"),
        rule_hits=state.get("rule_hits", []),
        policies=deps.policies,
        thresholds=deps.thresholds,
    )
    return {
        "target": decision.target,
        "category": decision.category,
        "reasons": decision.reasons,
        "rule_hits": decision.rule_hits,
    }
