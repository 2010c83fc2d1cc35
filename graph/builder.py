"""The routing graph. `build_graph()` is exported so tests and later features (human review
with `interrupt()` under a checkpointer) compile it their own way."""

from __future__ import annotations

from collections.abc import Mapping

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
from graph.timing import NodeFn

RouteGraph = StateGraph[RouteState, Deps, RouteInput, RouteState]
CompiledRouteGraph = CompiledStateGraph[RouteState, Deps, RouteInput, RouteState]


def workflow_nodes() -> dict[str, NodeFn]:
    """Every node of the workflow by name."""
    return {
        "intake": intake,
        "duplicate": link_duplicate,
        "classify": classify,
        "enrich": enrich,
        "gate": gate,
        **{name: make_specialist_node(name) for name in SPECIALIST_NAMES},
        "escalate": escalate,
        "record": record,
    }


def build_graph(nodes: Mapping[str, NodeFn] | None = None) -> RouteGraph:
    """The workflow's topology. `nodes` replaces node functions by name: the overhead bench
    replays recorded node outputs through the same edges and routers."""
    unknown = set(nodes or {}) - set(workflow_nodes())
    if unknown:
        raise ValueError(f"no such nodes: {', '.join(sorted(unknown))}")
    graph: RouteGraph = StateGraph(RouteState, context_schema=Deps, input_schema=RouteInput)
    for name, fn in {**workflow_nodes(), **(nodes or {})}.items():
        graph.add_node(name, fn)

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
