"""Escalate: pick the human queue, write the holding reply, and assemble the reviewer's package."""

from __future__ import annotations

from typing import Any

from langgraph.runtime import Runtime

from deskroute.models.classification import EscalationReason, Prediction, UncategorisedReason
from deskroute.models.outcome import EscalationPackage, ReasonDetail
from deskroute.policies.schema import Policies
from deskroute.prompts import PromptSpec, TemplateSpec
from graph.context import Deps
from graph.state import RouteState, specialists_visited
from graph.timing import timed
from specialists.gate import hold_for_review

# The reason whose wording the customer sees when several apply.
PRIMARY_ORDER: tuple[EscalationReason, ...] = (
    "policy_rule",
    "sensitive_action",
    "human_requested",
    "loop_detected",
    "low_confidence",
    "classifier_error",
    "internal_error",
)
PROMPT_SPEC = PromptSpec(
    instructions=TemplateSpec.of("company"),
    templates={
        "greeting": TemplateSpec.of("contact_name"),
        "closing": TemplateSpec.of("ticket_ref", required="ticket_ref"),
        **{reason: TemplateSpec.of("team") for reason in PRIMARY_ORDER},
    },
)
NO_CATEGORY_REASONS: tuple[UncategorisedReason, ...] = (
    "internal_error",
    "classifier_error",
    "loop_detected",
)


def unique_reasons(reasons: list[ReasonDetail]) -> list[ReasonDetail]:
    seen: set[tuple[str, str]] = set()
    kept = []
    for r in reasons:
        if (r.reason, r.detail) not in seen:
            seen.add((r.reason, r.detail))
            kept.append(r)
    return kept


def choose_queue(state: RouteState, policies: Policies) -> tuple[str, str | None]:
    """The human queue that owns the ticket, and the category it was chosen for."""
    routing, categories = policies.routing, policies.taxonomy.categories
    for hit in state.get("rule_hits", []):
        if hit.action == "escalate" and hit.queue:
            return hit.queue, hit.category
    kinds = {r.reason for r in state.get("reasons", [])}
    for reason in NO_CATEGORY_REASONS:
        if reason in kinds:
            return routing.reason_queues.get(reason, routing.triage_queue), None
    if "low_confidence" in kinds:
        verdict = state.get("classification")
        if (
            isinstance(verdict, Prediction)
            and verdict.category in categories
            and verdict.confidence >= routing.fallback_floor
        ):
            return categories[verdict.category].escalation_queue, verdict.category
        return routing.triage_queue, None
    category = state.get("category")
    if category in categories:
        return categories[category].escalation_queue, category
    return routing.triage_queue, None


@timed("escalate")
def escalate(state: RouteState, runtime: Runtime[Deps]) -> dict[str, Any]:
    deps = runtime.context
    policies = deps.policies
    reasons = unique_reasons(state.get("reasons", []))
    queue, category = choose_queue(state, policies)
    primary = next(
        (r for r in PRIMARY_ORDER if any(x.reason == r for x in reasons)), "internal_error"
    )
    team = policies.category(category).name if category else "Support"
    customer = state.get("customer")
    prompt = deps.escalation_prompt
    contact = customer.contact_name if customer is not None and customer.known else None
    text = "\n\n".join(
        [
            prompt.render("greeting", contact_name=contact or "there").strip(),
            prompt.render(primary, team=team).strip(),
            prompt.render("closing", ticket_ref=state["ticket"].id).strip(),
        ]
    )
    verdict = state.get("classification")
    package = EscalationPackage(
        queue=queue,
        reasons=reasons,
        ticket=state["ticket"],
        customer=customer,
        signals=state.get("signals"),
        candidates=verdict.candidates if verdict is not None else [],
        rule_hits=state.get("rule_hits", []),
        specialist_path=specialists_visited(state),
        handoffs=state.get("handoffs", []),
        proposed_actions=[
            a for a in hold_for_review(state.get("actions", [])) if a.status == "proposed"
        ],
        draft_reply=state.get("draft"),
        draft_prompt_version=state.get("draft_prompt"),
    )
    return {
        "queue": queue,
        "escalation": package,
        "response": text,
        "response_prompt": prompt.version,
    }
