"""The state view routers read: an update applied the way the graph's reducers apply it."""

from __future__ import annotations

from typing import cast

from langgraph.channels.binop import BinaryOperatorAggregate

from deskroute.models.outcome import ReasonDetail
from graph import compile_graph
from graph.routing import after_specialist
from graph.state import ACCUMULATING, RouteState, merged


def test_list_fields_accumulate_and_the_rest_is_replaced() -> None:
    first = ReasonDetail(reason="low_confidence", detail="0.41 below 0.60")
    second = ReasonDetail(reason="human_requested", detail="asked for a person")
    state = {"target": "billing", "reasons": [first], "trace": [("intake", 0.1)]}
    view = merged(state, {"target": None, "reasons": [second], "trace": [("billing", 0.2)]})
    assert view["target"] is None
    assert view["reasons"] == [first, second]
    assert view["trace"] == [("intake", 0.1), ("billing", 0.2)]
    assert state["reasons"] == [first]  # the state itself is left as it was
    assert after_specialist(view) == "escalate"


def test_merged_accumulates_exactly_what_the_compiled_graph_reduces() -> None:
    """Routers read `merged`; it must agree with the reducers LangGraph actually runs."""
    channels = compile_graph().channels
    reduced = {n for n, c in channels.items() if isinstance(c, BinaryOperatorAggregate)}
    assert ACCUMULATING == reduced
    for name in reduced:
        state = cast(RouteState, {name: ["first"]})
        expected = channels[name].operator(["first"], ["second"])
        assert merged(state, {name: ["second"]})[name] == expected, name
