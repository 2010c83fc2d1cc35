"""Duplicate: a repeat of an open ticket joins it and its owner instead of being routed again."""

from __future__ import annotations

from langgraph.runtime import Runtime
from sqlmodel import Session

from deskroute.acknowledge import repeat_acknowledgement
from deskroute.replies import language_note
from deskroute.store.crm import customer_with_subscription
from deskroute.store.outcomes import latest_outcome
from graph.context import Deps
from graph.state import RouteState, RouteUpdate
from graph.timing import timed


@timed("duplicate")
def link_duplicate(state: RouteState, runtime: Runtime[Deps]) -> RouteUpdate:
    deps = runtime.context
    ticket = state["ticket"]
    original_id = state.get("duplicate_of")
    if original_id is None:
        raise ValueError("the duplicate node ran for a ticket that intake linked to no other")
    with Session(deps.engine) as session:
        original = latest_outcome(session, ticket_id=original_id)
        # enrichment does not run for a repeat: one lookup, so a known customer is greeted
        sender = customer_with_subscription(
            session, customer_id=ticket.customer_id, email=ticket.customer_email
        )
    if original is None:
        raise LookupError(f"duplicate target {original_id} has no outcome")  # intake checks this
    # The repeat shares the original's owner: a human queue (with its reasons) or a team queue.
    reasons = original.escalation.reasons if original.escalation is not None else []
    note = language_note(deps.intake_prompt, ticket.language)
    return {
        "category": original.category,
        "queue": original.queue,
        "current": original.specialist,
        "priority": original.priority,
        "reasons": reasons,
        "response": repeat_acknowledgement(
            deps.intake_prompt,
            policies=deps.policies,
            original_ref=original_id,
            category=original.category,
            contact_name=sender.contact_name if sender is not None else None,
            language=ticket.language,
        ),
        "response_prompt": deps.intake_prompt.version,
        "notes": [note] if note else [],
    }
