"""Wraps node functions so every node records itself and its time in `trace`."""

from __future__ import annotations

import functools
from collections.abc import Callable
from time import perf_counter
from typing import Any, Protocol

from langgraph.runtime import Runtime

from graph.context import Deps
from graph.state import RouteState


class NodeFn(Protocol):
    """A node: LangGraph passes the run's dependencies as the keyword argument `runtime`."""

    def __call__(self, state: RouteState, runtime: Runtime[Deps]) -> dict[str, Any]: ...


def timed(name: str) -> Callable[[NodeFn], NodeFn]:
    def decorate(fn: NodeFn) -> NodeFn:
        @functools.wraps(fn)
        def node(state: RouteState, runtime: Runtime[Deps]) -> dict[str, Any]:
            started = perf_counter()
            update = fn(state, runtime)
            update["trace"] = [(name, round((perf_counter() - started) * 1000, 3))]
            return update

        return node

    return decorate
