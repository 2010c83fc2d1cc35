"""The schema of `policies/assignment.yaml`: who gets a ticket after routing."""

from __future__ import annotations

from typing import Literal, cast

from pydantic import BaseModel, ConfigDict, Field, field_validator

from deskroute.models.context import Tier
from deskroute.models.review import ReviewAction

Strategy = Literal["best_match", "round_robin"]
Priority = Literal["P1", "P2", "P3", "P4"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Relaxation(_Strict):
    """Minutes a ticket waits for a requirement before it is dropped; None: never."""

    language: int | None = Field(default=None, ge=0)
    skill: int | None = Field(default=None, ge=0)


class AssignmentPolicy(_Strict):
    strategy: Strategy
    load_weights: dict[Priority, int]
    """How much an open ticket weighs in its agent's load, by priority."""
    vip_may_exceed_capacity_by: int = Field(ge=0, le=1)
    vip_tiers: list[Tier]
    relax_after_minutes: Relaxation = Field(default_factory=Relaxation)
    follow_up_decisions: list[ReviewAction]
    """Review decisions after which the resolved ticket still needs an agent."""

    @field_validator("load_weights")
    @classmethod
    def _every_priority(cls, value: dict[Priority, int]) -> dict[Priority, int]:
        if missing := [p for p in ("P1", "P2", "P3", "P4") if p not in value]:
            raise ValueError(f"needs a weight for {', '.join(missing)}")
        if any(w < 1 for w in value.values()):
            raise ValueError("weights must be at least 1")
        return value

    def weight(self, priority: str) -> int:
        """An open ticket's weight in its agent's load."""
        return self.load_weights.get(cast(Priority, priority), 1)
