"""The state view routers read: an update applied the way the graph's reducers apply it."""

from __future__ import annotations

from deskroute.models.outcome import ReasonDetail
from graph.routing import after_specialist
from graph.state import ACCUMULATING, merged


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


def test_accumulating_fields_are_exactly_the_annotated_lists() -> None:
    assert ACCUMULATING == {"handoffs", "actions", "reasons", "llm_calls", "notes", "trace"}
