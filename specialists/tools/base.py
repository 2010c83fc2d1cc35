"""What a tool is: typed arguments the model may choose, injected ones it may not, and whether
it is a lookup (runs at once) or a write (validated at once, applied with the outcome)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Self

from pydantic import BaseModel, ConfigDict
from sqlmodel import Session

from deskroute.errors import ToolError
from deskroute.models.actions import ToolKind
from deskroute.models.context import CustomerContext
from deskroute.models.ticket import TicketView
from deskroute.policies.schema import SpecialistPolicy


class ToolArgs(BaseModel):
    """Arguments a specialist (or a model) chooses; unknown keys are refused."""

    model_config = ConfigDict(extra="forbid")

    def filled(self, preview: Any) -> Self:
        """These arguments with what the tool's check worked out written in (the amount of a
        full refund), so that a proposal shows a reviewer exactly what would be done."""
        return self

    def open_question(self) -> str | None:
        """What these arguments leave for a person to settle (whose data, which key, how much),
        or None. Such a call is only ever proposed, with the question in its reason, and is
        not applied, approved or not, until the arguments settle it: the tool never falls
        back to its widest reading."""
        return None


class NoArgs(ToolArgs):
    pass


@dataclass(frozen=True)
class Injected:
    """Privileged arguments, filled in by code from the ticket and the CRM, never by a model:
    tools only ever see the records of the customer who sent the ticket."""

    ticket_id: str
    customer_id: str | None
    customer_email: str | None
    now: datetime
    colleague: bool = False
    """The sender is not the account's contact, only writes from its e-mail domain: lookups
    on the account run, writes on it wait for a person (`specialists/gate.py`)."""
    language: str = "en"
    """The ticket's language: lookups return known issues, help articles and plans in it
    where the CRM has them translated."""

    @classmethod
    def for_ticket(
        cls, ticket: TicketView, customer: CustomerContext | None, *, now: datetime
    ) -> Injected:
        """The sender's account when the CRM knows them (or their colleague's); their address
        either way."""
        known = customer is not None and customer.known
        return cls(
            ticket_id=ticket.id,
            customer_id=customer.customer_id if customer is not None and known else None,
            customer_email=(customer.email if customer is not None else None)
            or ticket.customer_email,
            now=now,
            colleague=customer is not None and known and customer.match == "domain",
            language=ticket.language,
        )

    def require_customer(self) -> str:
        if self.customer_id is None:
            raise ToolError("no customer account matched this ticket's sender")
        return self.customer_id


@dataclass(frozen=True)
class Check:
    """What an approval rule may consult besides the call's arguments.

    `ticket`: the ticket the gate decides for (None when a stored action is applied).
    `earlier`: arguments of this tool's calls that the gate let through earlier in the same
    run; they take effect only with the outcome, so the store does not count them yet.
    `applying`: the rule runs inside the transaction that applies the action, and may lock
    what it reads so that a concurrent run cannot pass the same check at the same time.
    """

    session: Session
    env: Injected
    policy: SpecialistPolicy
    ticket: TicketView | None = None
    earlier: tuple[Any, ...] = ()
    applying: bool = False


Run = Callable[[Session, Injected, Any], Any]
Apply = Callable[[Session, Injected, Any], dict[str, Any]]
ApprovalRule = Callable[[Any, Check], str | None]


@dataclass(frozen=True)
class Tool:
    """A store operation a specialist may be allowed to call.

    `run`: for a lookup, the query; for a write, the feasibility check that returns a preview
    of the effect (raising `ToolError` when it cannot be done). `apply`: the effect itself.
    `sensitive` tools are never applied without a person's approval; `approval_rule` makes a
    safe tool need approval for some arguments or circumstances (a credit above the policy
    limit, or beyond the customer's credit cap).
    """

    name: str
    description: str
    args: type[ToolArgs]
    kind: ToolKind
    run: Run
    sensitive: bool = False
    apply: Apply | None = None
    approval_rule: ApprovalRule | None = None
    limit: ApprovalRule | None = None
    """A bound no approval lifts (the credit cap): `apply_action` refuses past it whoever
    approved, so a reviewer can lower such an action's arguments but not exceed it."""
    on_account: bool = True
    """The write acts on the sender's account: when the ticket names another customer, it is
    proposed for that customer instead (a feature request or a sales lead is not)."""

    def __post_init__(self) -> None:
        if (self.kind == "write") != (self.apply is not None):
            raise TypeError(f"tool {self.name}: writes need apply, lookups must not have one")
