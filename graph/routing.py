"""Routers: pure functions of the state that name the next node. Escalation is a route."""

from __future__ import annotations

from typing import Literal

from graph.state import SPECIALIST_NAMES, RouteState, SpecialistName

AfterStart = Literal["classify", "review"]
AfterDedupe = Literal["enrich", "duplicate"]
AfterGate = Literal[SpecialistName, "escalate"]
AfterSpecialist = Literal[SpecialistName, "escalate", "record"]
AfterRecord = Literal["review", "__end__"]
AfterReview = Literal[SpecialistName, "review", "__end__"]
"""A reviewer's reassign resumes at a specialist; a decision that leaves proposals undecided
pauses again; anything else ends the run."""


def after_start(state: RouteState) -> AfterStart:
    """A ticket with an outcome held for review starts at the review; any other is routed."""
    return "review" if state.get("held") is not None else "classify"


def after_dedupe(state: RouteState) -> AfterDedupe:
    return "duplicate" if state.get("duplicate_of") else "enrich"


def after_gate(state: RouteState) -> AfterGate:
    target = state.get("target")
    if target is None:
        if not state.get("reasons"):
            raise ValueError("gate chose no specialist but gave no escalation reason")
        return "escalate"
    if target not in SPECIALIST_NAMES:
        raise ValueError(f"gate chose unknown specialist {target!r}")
    return target


def after_specialist(state: RouteState) -> AfterSpecialist:
    """Hand-off to another specialist, escalate if any reason was raised, else record."""
    target = state.get("target")
    if target is not None:
        if target not in SPECIALIST_NAMES:
            raise ValueError(f"hand-off to unknown specialist {target!r}")
        return target
    return "escalate" if state.get("reasons") else "record"


def after_record(state: RouteState) -> AfterRecord:
    """An outcome awaiting review pauses the run for a person; any other ends it."""
    return "review" if state["outcome"].state == "awaiting_review" else "__end__"
