"""Graph tests run nodes and whole runs on the real store and the demo model."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from langgraph.runtime import Runtime

from deskroute.models.outcome import OutcomeRecord
from deskroute.runtime import Workspace
from deskroute.service import route_new
from graph.context import Deps


@pytest.fixture
def runtime(workspace: Workspace) -> Runtime[Deps]:
    return Runtime(context=workspace.deps)


@pytest.fixture
def route(workspace: Workspace) -> Callable[..., OutcomeRecord]:
    def run(body: str, **fields: Any) -> OutcomeRecord:
        return route_new(workspace, {"body": body, **fields})[1]

    return run
