"""DeskRoute's routing state machine (LangGraph)."""

from graph.builder import CompiledRouteGraph, build_graph, compile_graph
from graph.context import Deps
from graph.state import RouteInput, RouteState

__all__ = ["CompiledRouteGraph", "Deps", "RouteInput", "RouteState", "build_graph", "compile_graph"]
