"""Wraps node functions so every node records itself and its time in `trace`, and refuses
an update with a key no state field has (LangGraph would drop it without a word)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from time import perf_counter
from typing import Protocol

from langgraph.runtime import Runtime

from graph.context import Deps
from graph.state import RouteState, RouteUpdate, unknown_keys


class NodeFn(Protocol):
    """A node: LangGraph passes the run's dependencies as the keyword argument `runtime`."""

    def __call__(self, state: RouteState, runtime: Runtime[Deps]) -> RouteUpdate: ...


def timed(name: str) -> Callable[[NodeFn], NodeFn]:
    def decorate(fn: NodeFn) -> NodeFn:
        @functools.wraps(fn)
        def node(state: RouteState, runtime: Runtime[Deps]) -> RouteUpdate:
            started = perf_counter()
            update = fn(state, runtime)
            if unknown := unknown_keys(update):
                raise ValueError(
                    f"node {name} returned unknown state keys: {', '.join(sorted(unknown))}"
                )
            update["trace"] = [(name, round((perf_counter() - started) * 1000, 3))]
            return update

        return node

    return decorate
