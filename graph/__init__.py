"""DeskRoute's routing state machine (LangGraph)."""

from graph.builder import build_graph, compile_graph
from graph.context import Deps
from graph.state import RouteInput, RouteState

__all__ = ["Deps", "RouteInput", "RouteState", "build_graph", "compile_graph"]
