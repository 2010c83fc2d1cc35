"""The routing graph. `build_graph()` is exported so tests and later features (human review
with `interrupt()` under a checkpointer) compile it their own way."""

from __future__ import annotations

from langgraph.checkpoint.base import BaseCheckpointSaver
from langgraph.graph import END, START, StateGraph
from langgraph.graph.state import CompiledStateGraph

from graph.context import Deps
from graph.nodes.classify import classify
from graph.nodes.duplicate import link_duplicate
from graph.nodes.enrich import enrich
from graph.nodes.escalate import escalate
from graph.nodes.gate import gate
from graph.nodes.intake import intake
from graph.nodes.record import record
from graph.nodes.specialist import make_specialist_node
from graph.routing import SPECIALIST_NAMES, after_gate, after_intake, after_specialist
from graph.state import RouteInput, RouteState

RouteGraph = StateGraph[RouteState, Deps, RouteInput, RouteState]
CompiledRouteGraph = CompiledStateGraph[RouteState, Deps, RouteInput, RouteState]


def build_graph() -> RouteGraph:
    graph: RouteGraph = StateGraph(RouteState, context_schema=Deps, input_schema=RouteInput)
    graph.add_node("intake", intake)
    graph.add_node("duplicate", link_duplicate)
    graph.add_node("classify", classify)
    graph.add_node("enrich", enrich)
    graph.add_node("gate", gate)
    for name in SPECIALIST_NAMES:
        graph.add_node(name, make_specialist_node(name))
    graph.add_node("escalate", escalate)
    graph.add_node("record", record)

    graph.add_edge(START, "intake")
    graph.add_conditional_edges("intake", after_intake, ["classify", "duplicate"])
    graph.add_edge("classify", "enrich")
    graph.add_edge("enrich", "gate")
    graph.add_conditional_edges("gate", after_gate, [*SPECIALIST_NAMES, "escalate"])
    for name in SPECIALIST_NAMES:
        graph.add_conditional_edges(
            name, after_specialist, [*SPECIALIST_NAMES, "escalate", "record"]
        )
    graph.add_edge("duplicate", "record")
    graph.add_edge("escalate", "record")
    graph.add_edge("record", END)
    return graph


def compile_graph(checkpointer: BaseCheckpointSaver | None = None) -> CompiledRouteGraph:
    return build_graph().compile(checkpointer=checkpointer, name="deskroute")
