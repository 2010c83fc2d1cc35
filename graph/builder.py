"""The routing graph. `build_graph()` is exported so tests and later features (human review
with `interrupt()` under a checkpointer) compile it their own way."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Protocol, get_args

from langgraph.checkpoint.base import BaseCheckpointSaver
from langgraph.graph import END, START, StateGraph
from langgraph.graph.state import CompiledStateGraph
from langgraph.runtime import Runtime
from langgraph.types import Command

from graph.context import Deps
from graph.nodes.classify import classify
from graph.nodes.dedupe import dedupe
from graph.nodes.duplicate import link_duplicate
from graph.nodes.enrich import enrich
from graph.nodes.escalate import escalate
from graph.nodes.gate import gate
from graph.nodes.record import record
from graph.nodes.review import review as review_node
from graph.nodes.specialist import make_specialist_node
from graph.routing import (
    SPECIALIST_NAMES,
    AfterDedupe,
    AfterGate,
    AfterRecord,
    AfterReview,
    AfterSpecialist,
    AfterStart,
    after_dedupe,
    after_gate,
    after_record,
    after_specialist,
    after_start,
)
from graph.state import RouteInput, RouteState, merged
from graph.timing import NodeFn

RouteGraph = StateGraph[RouteState, Deps, RouteInput, RouteState]
CompiledRouteGraph = CompiledStateGraph[RouteState, Deps, RouteInput, RouteState]


def workflow_nodes() -> dict[str, NodeFn]:
    """Every node of the workflow by name."""
    return {
        "dedupe": dedupe,
        "duplicate": link_duplicate,
        "classify": classify,
        "enrich": enrich,
        "gate": gate,
        **{name: make_specialist_node(name) for name in SPECIALIST_NAMES},
        "escalate": escalate,
        "record": record,
    }


Router = Callable[[RouteState], str]

ROUTERS: dict[str, tuple[Router, tuple[str, ...]]] = {
    "dedupe": (after_dedupe, get_args(AfterDedupe)),
    "gate": (after_gate, get_args(AfterGate)),
    **{name: (after_specialist, get_args(AfterSpecialist)) for name in SPECIALIST_NAMES},
}
"""The nodes that choose their successor: their router, and every route it can return."""


class RoutedNode(Protocol):
    def __call__(self, state: RouteState, runtime: Runtime[Deps]) -> Command[str]: ...


def routed(fn: NodeFn, router: Router) -> RoutedNode:
    """The node followed by its router, as one step: the node's update goes out with the route
    the router picks from the state after it. A conditional edge would do the same as a second
    runnable that copies every channel of the run to read the state back, once per step."""

    def node(state: RouteState, runtime: Runtime[Deps]) -> Command[str]:
        update = fn(state, runtime)
        return Command(update=update, goto=router(merged(state, update)))

    node.__name__ = getattr(fn, "__name__", "node")
    return node


def build_graph(nodes: Mapping[str, NodeFn] | None = None, *, review: bool = True) -> RouteGraph:
    """The workflow's topology. `nodes` replaces node functions by name: the overhead bench
    replays recorded node outputs through the same edges and routers. With `review`, an
    escalated run pauses for a person after its outcome is saved (this needs a
    checkpointer); without, it ends there."""
    unknown = set(nodes or {}) - set(workflow_nodes())
    if unknown:
        raise ValueError(f"no such nodes: {', '.join(sorted(unknown))}")
    graph: RouteGraph = StateGraph(RouteState, context_schema=Deps, input_schema=RouteInput)
    routers = {**ROUTERS, "record": (after_record, get_args(AfterRecord))} if review else ROUTERS
    for name, fn in {**workflow_nodes(), **(nodes or {})}.items():
        if name in routers:
            router, destinations = routers[name]
            graph.add_node(name, routed(fn, router), destinations=destinations)
        else:
            graph.add_node(name, fn)

    if review:
        graph.add_conditional_edges(START, after_start, list(get_args(AfterStart)))
    else:
        graph.add_edge(START, "classify")
    graph.add_edge("classify", "dedupe")
    graph.add_edge("enrich", "gate")
    graph.add_edge("duplicate", "record")
    graph.add_edge("escalate", "record")
    if review:
        graph.add_node("review", review_node, destinations=get_args(AfterReview))
    else:
        graph.add_edge("record", END)
    return graph


def compile_graph(checkpointer: BaseCheckpointSaver | None = None) -> CompiledRouteGraph:
    """The workflow; with a checkpointer, escalated runs pause for review."""
    graph = build_graph(review=checkpointer is not None)
    return graph.compile(checkpointer=checkpointer, name="deskroute")
