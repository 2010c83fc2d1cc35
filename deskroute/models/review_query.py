"""Which escalations to show: the review queue's filters, checked once for the CLI, the API and
the review page."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from deskroute.models.classification import EscalationReason
from deskroute.models.outcome_query import MAX_OFFSET

Priority = Literal["P1", "P2", "P3", "P4"]
QueueState = Literal["awaiting_review", "resolved"]
QueueOrder = Literal["priority", "learning"]
"""`priority`: by priority, then oldest first; `learning`: the tickets whose label would teach
the model most first (`deskroute.review.learning`)."""


class ReviewQuery(BaseModel):
    """Filters and a page of the review queue, sorted by priority, then oldest first, or in
    the learning order."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    state: QueueState = Field(default="awaiting_review", description="Waiting or resolved.")
    reason: EscalationReason | None = Field(default=None, description="Escalated for this reason.")
    queue: str | None = Field(default=None, max_length=100, description="Only this queue.")
    category: str | None = Field(default=None, max_length=100, description="Only this category.")
    priority: Priority | None = Field(default=None, description="Only this priority.")
    older_than_minutes: int | None = Field(
        default=None, ge=0, le=525_600, description="Waiting at least this many minutes."
    )
    newer_than_minutes: int | None = Field(
        default=None, ge=0, le=525_600, description="Waiting at most this many minutes."
    )
    order: QueueOrder = Field(
        default="priority",
        description="priority (then oldest first), or learning (most to teach the model first).",
    )
    limit: int = Field(default=50, ge=1, le=500, description="Escalations per page.")
    offset: int = Field(default=0, ge=0, le=MAX_OFFSET, description="Escalations to skip.")
