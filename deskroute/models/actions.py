"""Tool calls a specialist made or proposed, as they appear in outcome records."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from deskroute.models.specialists import SpecialistName

ActionStatus = Literal["executed", "proposed", "rejected"]
ToolKind = Literal["lookup", "write"]


class NamedCustomer(BaseModel):
    """A customer as a ticket names it: "C-1002", "Northwind"."""

    written: str
    customer_id: str | None = Field(description="None: no such customer in the CRM.")
    name: str | None = Field(default=None, description="The CRM's name for it.")

    def __str__(self) -> str:
        found = f"{self.customer_id} ({self.name})" if self.customer_id else "no such customer"
        return f"{self.written!r}: {found}"


class ActionTarget(BaseModel):
    """The account a ticket asks an action for, when it names a customer other than its sender.

    Such an action is never carried out on the sender's account, and never without a person:
    it is proposed with this target, which a reviewer confirms (or settles, when the ticket's
    words do not say which account is meant)."""

    customer_id: str | None = Field(
        description="The customer named; None when the ticket's words do not settle which "
        "(an id that is not in the CRM, or several customers)."
    )
    named: list[NamedCustomer]
    requested_by: str = Field(description="The sender's customer id.")
    note: str = Field(description="The same, in words, for the reviewer.")


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
    target: ActionTarget | None = None
    decided_by: str | None = None
    """The reviewer who approved or refused it (None: decided by policy)."""
    decided_at: datetime | None = None
