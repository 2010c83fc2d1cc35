"""Classify: the cascade (rules, local model) decides the category and its confidence."""

from __future__ import annotations

from typing import Any

from langgraph.runtime import Runtime

from graph.context import Deps
from graph.state import RouteState
from graph.timing import timed


@timed("classify")
def classify(state: RouteState, runtime: Runtime[Deps]) -> dict[str, Any]:
    verdict = runtime.context.cascade.classify(state["ticket"])
    return {
        "classification": verdict.result,
        "classifier_error": verdict.error,
        "rule_hits": verdict.rule_hits,
    }
