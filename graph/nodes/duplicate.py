"""Duplicate: a repeat of an open ticket joins it and its owner instead of being routed again."""

from __future__ import annotations

from typing import Any

from langgraph.runtime import Runtime
from sqlmodel import Session

from deskroute.prompts import PromptSpec, TemplateSpec
from deskroute.store.outcomes import latest_outcome
from graph.context import Deps
from graph.state import RouteState
from graph.timing import timed

PROMPT_SPEC = PromptSpec(
    instructions=TemplateSpec.of("company"),
    templates={
        "greeting": TemplateSpec.of("contact_name"),
        "duplicate": TemplateSpec.of("original_ref team", required="original_ref"),
        "closing": TemplateSpec.of("original_ref"),
    },
)


@timed("duplicate")
def link_duplicate(state: RouteState, runtime: Runtime[Deps]) -> dict[str, Any]:
    deps = runtime.context
    original_id = state.get("duplicate_of")
    if original_id is None:
        raise ValueError("the duplicate node ran for a ticket that intake linked to no other")
    with Session(deps.engine) as session:
        original = latest_outcome(session, ticket_id=original_id)
    if original is None:
        raise LookupError(f"duplicate target {original_id} has no outcome")  # intake checks this
    categories = deps.policies.taxonomy.categories
    team = categories[original.category].name if original.category in categories else "Support"
    prompt = deps.intake_prompt
    text = "\n\n".join(
        [
            prompt.render("greeting", contact_name="there").strip(),
            prompt.render("duplicate", original_ref=original_id, team=team).strip(),
            prompt.render("closing", original_ref=original_id).strip(),
        ]
    )
    # The repeat shares the original's owner: a human queue (with its reasons) or a team queue.
    reasons = original.escalation.reasons if original.escalation is not None else []
    return {
        "category": original.category,
        "queue": original.queue,
        "current": original.specialist,
        "priority": original.priority,
        "reasons": reasons,
        "response": text,
        "response_prompt": prompt.version,
    }
