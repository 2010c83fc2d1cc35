"""Intake: is this ticket a repeat of one of the sender's open tickets?"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from langgraph.runtime import Runtime
from sqlmodel import Session

from deskroute.store.duplicates import find_exact_duplicate
from graph.context import Deps
from graph.state import RouteState
from graph.timing import timed


@timed("intake")
def intake(state: RouteState, runtime: Runtime[Deps]) -> dict[str, Any]:
    deps = runtime.context
    ticket = state["ticket"]
    window = timedelta(hours=deps.policies.intake.duplicate_window_hours)
    with Session(deps.engine) as session:
        original = find_exact_duplicate(session, ticket=ticket, since=ticket.created_at - window)
    return {"duplicate_of": original}
