"""What follows a clock's warning or breach, in one place: the ticket's priority goes up a
step and it is offered to another free agent when at risk; a breach goes to the queue's lead.
Which of these happen is set in `policies/sla.yaml` (`reactions`)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel

from deskroute.assignment.service import escalate_to_lead, in_pool, raise_priority, reassign
from deskroute.policies.base import Priority
from deskroute.policies.sla import Reactions
from deskroute.runtime import Workspace
from deskroute.sla.clocks import ClockName, Mark, raised
from deskroute.store import sla as sla_store
from deskroute.store.db import transaction


class Transition(BaseModel):
    """A clock newly marked at risk or breached (by exactly one sweep)."""

    ticket_id: str
    clock: ClockName
    mark: Mark
    due: datetime | None
    """When the clock is (or was) due."""
    priority: Priority
    tier: str | None
    queue: str
    at: datetime
    """When the sweep marked it."""

    def payload(self) -> dict[str, Any]:
        """The outbox event's payload."""
        return self.model_dump(mode="json", exclude={"mark", "at"})


class Reaction(BaseModel):
    """What was done about a transition."""

    raised_to: Priority | None = None
    """The priority the ticket was raised to (none: already P1, or not asked for)."""
    offered: bool = False
    """Offered to another free agent."""
    escalated: bool = False
    """Escalated to the queue's lead (reason `sla_breach`)."""


def decide(reactions: Reactions, transition: Transition) -> Reaction:
    if transition.mark == "at_risk":
        up = raised(transition.priority) if reactions.raise_priority else None
        return Reaction(
            raised_to=up if up != transition.priority else None,
            offered=reactions.offer_to_another_agent,
        )
    return Reaction(escalated=reactions.escalate_breach_to_lead)


def react(ws: Workspace, transition: Transition) -> Reaction:
    """Carry out the reactions to a transition the sweep has just committed. The clock keeps
    the raised priority, so that a later warning raises it another step. A ticket in no team's
    pool (it awaits review) is not offered nor escalated: the review queue owns it, and the
    breach's event notifies (`policies/notifications.yaml`)."""
    reaction = decide(ws.policies.sla.reactions, transition)
    ticket_id, at = transition.ticket_id, transition.at
    if reaction.raised_to is not None:
        with transaction(ws.engine) as session:
            sla_store.set_priority(session, ticket_id=ticket_id, priority=reaction.raised_to, at=at)
    if not in_pool(ws, ticket_id):
        return reaction.model_copy(update={"offered": False, "escalated": False})
    if reaction.raised_to is not None:
        raise_priority(ws, ticket_id, priority=reaction.raised_to, now=at)
    if reaction.offered:
        reassign(ws, ticket_id, reason="sla_at_risk", now=at)
    if reaction.escalated:
        escalate_to_lead(ws, ticket_id, reason="sla_breach", now=at)
    return reaction
