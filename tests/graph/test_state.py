"""The state view routers read, and the keys nodes may write."""

from __future__ import annotations

from typing import Any

import pytest
from helpers import view
from langgraph.graph import END, START, StateGraph

from deskroute.models.outcome import ReasonDetail
from graph.routing import after_specialist
from graph.state import REDUCERS, RouteState, RouteUpdate, merged
from graph.timing import timed


def test_list_fields_accumulate_and_the_rest_is_replaced() -> None:
    first = ReasonDetail(reason="low_confidence", detail="0.41 below 0.60")
    second = ReasonDetail(reason="human_requested", detail="asked for a person")
    state = {"target": "billing", "reasons": [first], "trace": [("dedupe", 0.1)]}
    view_ = merged(state, {"target": None, "reasons": [second], "trace": [("billing", 0.2)]})
    assert view_["target"] is None
    assert view_["reasons"] == [first, second]
    assert view_["trace"] == [("dedupe", 0.1), ("billing", 0.2)]
    assert state["reasons"] == [first]  # the state itself is left as it was
    assert after_specialist(view_) == "escalate"


def test_merged_agrees_with_the_graph_for_every_reducer(policies) -> None:
    """What routers read must be what LangGraph will store: apply the same update both ways."""
    ticket = view(policies, body="x")
    before: RouteUpdate = {key: [f"old-{key}"] for key in REDUCERS}  # type: ignore[misc]
    update: RouteUpdate = {key: [f"new-{key}"] for key in REDUCERS}  # type: ignore[misc]
    before["category"], update["category"] = "billing", "refunds_cancellations"

    graph: StateGraph[RouteState, None, RouteState, RouteState] = StateGraph(RouteState)
    graph.add_node("first", lambda _state: before)
    graph.add_node("second", lambda _state: update)
    graph.add_edge(START, "first")
    graph.add_edge("first", "second")
    graph.add_edge("second", END)
    stored: dict[str, Any] = graph.compile().invoke({"ticket": ticket})

    expected = merged({"ticket": ticket, **before}, update)
    assert {k: stored[k] for k in expected} == expected
    assert stored["reasons"] == ["old-reasons", "new-reasons"]


def test_a_misspelled_update_key_fails_the_node(policies) -> None:
    @timed("gate")
    def sloppy(state, runtime):
        return {"reason": [ReasonDetail(reason="low_confidence", detail="d")]}

    with pytest.raises(ValueError, match="unknown state keys: reason"):
        sloppy({"ticket": view(policies, body="x")}, None)
