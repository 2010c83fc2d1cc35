"""Classify: the cascade (rules, local model, LLM) decides the category and its confidence."""

from __future__ import annotations

from langgraph.runtime import Runtime

from graph.context import Deps
from graph.state import RouteState, RouteUpdate
from graph.timing import timed


@timed("classify")
def classify(state: RouteState, runtime: Runtime[Deps]) -> RouteUpdate:
    verdict = runtime.context.cascade.classify(state["ticket"])
    update: RouteUpdate = {
        "classification": verdict.result,
        "classifier_error": verdict.error,
        "rule_hits": verdict.rule_hits,
    }
    if verdict.llm is not None:
        update["llm_calls"] = [verdict.llm]
        if verdict.llm.outcome == "unavailable":
            update["notes"] = [
                f"classifier LLM unavailable ({verdict.llm.detail}); the "
                "local model's verdict stands"
            ]
    return update
