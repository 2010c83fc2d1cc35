"""The exported builder: compiles with a checkpointer, pauses before escalation, resumes."""

from __future__ import annotations

import pytest
from langgraph.checkpoint.memory import InMemorySaver

from deskroute.service import submit_ticket
from graph import build_graph, compile_graph
from graph.routing import SPECIALIST_NAMES


def test_graph_has_every_specialist_node() -> None:
    nodes = set(compile_graph().get_graph().nodes)
    assert {"dedupe", "classify", "enrich", "gate", "escalate", "record", "duplicate"} <= nodes
    assert set(SPECIALIST_NAMES) <= nodes


def test_mermaid_picture() -> None:
    mermaid = compile_graph().get_graph().draw_mermaid()
    assert "gate" in mermaid and "escalate" in mermaid and "-.->" in mermaid


def test_run_pauses_before_escalation_and_resumes(workspace) -> None:
    app = build_graph().compile(checkpointer=InMemorySaver(), interrupt_before=["escalate"])
    ticket = submit_ticket(
        workspace, {"body": "Please refund the duplicate charge", "customer_id": "C-1005"}
    ).ticket
    config = {"configurable": {"thread_id": ticket.id}}
    paused = app.invoke({"ticket": ticket}, config=config, context=workspace.deps)
    assert "outcome" not in paused
    snapshot = app.get_state(config)
    assert snapshot.next == ("escalate",)
    assert snapshot.values["reasons"][0].reason == "sensitive_action"  # survived serialisation
    done = app.invoke(None, config=config, context=workspace.deps)
    assert done["outcome"].escalated and done["outcome"].ticket_id == ticket.id


def test_nodes_can_be_replaced_by_name_and_unknown_names_are_refused(workspace) -> None:
    ran: list[str] = []

    def record(state, runtime) -> dict:
        ran.append("record")
        return {"trace": [("record", 0.0)]}

    app = build_graph({"record": record}, review=False).compile()
    ticket = submit_ticket(
        workspace, {"body": "Please resend invoice INV-2026-0101", "customer_id": "C-1001"}
    ).ticket
    state = app.invoke({"ticket": ticket}, context=workspace.deps)
    assert ran == ["record"] and "outcome" not in state  # the real record node never ran
    assert [node for node, _ms in state["trace"]][:2] == ["classify", "dedupe"]
    with pytest.raises(ValueError, match="no such nodes: recrod"):
        build_graph({"recrod": record})


def test_routed_nodes_declare_every_route_their_router_can_take() -> None:
    edges = {(e.source, e.target) for e in compile_graph().get_graph().edges if e.conditional}
    assert {("gate", name) for name in [*SPECIALIST_NAMES, "escalate"]} <= edges
    assert {("billing", name) for name in [*SPECIALIST_NAMES, "escalate", "record"]} <= edges
    assert {("dedupe", "enrich"), ("dedupe", "duplicate")} <= edges


def test_with_a_checkpointer_escalated_runs_go_on_to_the_review() -> None:
    from langgraph.checkpoint.memory import InMemorySaver

    edges = {
        (e.source, e.target)
        for e in compile_graph(InMemorySaver()).get_graph().edges
        if e.conditional
    }
    assert {("record", "review"), ("record", "__end__"), ("review", "__end__")} <= edges
    assert {("review", name) for name in SPECIALIST_NAMES} <= edges
    assert {("__start__", "classify"), ("__start__", "review")} <= edges


def test_a_router_refusing_a_node_update_fails_the_run(workspace) -> None:
    def gate(state, runtime) -> dict:
        return {"target": "astrology", "trace": [("gate", 0.0)]}

    app = build_graph({"gate": gate}).compile()
    ticket = submit_ticket(
        workspace, {"body": "Please resend invoice INV-2026-0101", "customer_id": "C-1001"}
    ).ticket
    with pytest.raises(ValueError, match="unknown specialist 'astrology'"):
        app.invoke({"ticket": ticket}, context=workspace.deps)
