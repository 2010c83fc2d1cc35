"""What a paused run says when it stops, and what resumes it."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from deskroute.models.review import Decision


class Pause(BaseModel):
    """The interrupt's value: which ticket waits, and which round of its review this is (a
    reassigned ticket may pause again)."""

    ticket_id: str
    round: int


class Resume(BaseModel):
    """The value a paused run resumes with: the decision, and the arguments of edited actions
    as the tool's schema parsed them, by their place in the outcome's actions."""

    model_config = ConfigDict(extra="forbid")

    decision: Decision
    edited: dict[int, dict[str, Any]] = Field(default_factory=dict)
