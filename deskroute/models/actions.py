"""Tool calls a specialist made or proposed, as they appear in outcome records."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from deskroute.models.specialists import SpecialistName

ActionStatus = Literal["executed", "proposed", "rejected"]
ToolKind = Literal["lookup", "write"]


class ActionRecord(BaseModel):
    """One tool call and what the policy gate decided about it.

    `executed`: a safe tool that ran (lookups at once, writes in the outcome's transaction);
    `proposed`: a sensitive action waiting for human approval; `rejected`: refused by policy
    (not on the specialist's allow-list, or invalid arguments).
    """

    tool: str
    args: dict[str, Any] = Field(default_factory=dict)
    status: ActionStatus
    specialist: SpecialistName
    kind: ToolKind
    reason: str | None = None
    result: Any = None
