"""Record: the outcome record, written with the effects of executed actions in one transaction."""

from __future__ import annotations

from typing import Any

from langgraph.runtime import Runtime

from deskroute.errors import ToolError
from deskroute.escalation import hold_for_review, unique_reasons
from deskroute.models.actions import ActionRecord
from deskroute.models.classification import Candidate, Prediction
from deskroute.models.outcome import ClassifierInfo, OutcomeRecord, ReasonDetail
from deskroute.models.review import ReviewInfo
from deskroute.review.carry import AlreadyApplied, save_reviewed
from deskroute.store.db import transaction
from deskroute.store.outcomes import save_outcome
from graph.context import Deps
from graph.nodes.escalate import escalation_update
from graph.state import RouteState, RouteUpdate, merged, nodes_visited
from graph.timing import timed
from specialists.gate import apply_action
from specialists.tools import Injected


def timings(state: RouteState) -> dict[str, float]:
    """Milliseconds per node (summed when a specialist ran twice after a hand-off)."""
    total: dict[str, float] = {}
    for node, ms in state.get("trace", []):
        total[node] = round(total.get(node, 0.0) + ms, 3)
    return total


def build_record(state: RouteState, deps: Deps) -> OutcomeRecord:
    """The outcome as the state describes it (actions not yet applied)."""
    policies = deps.policies
    verdict = state.get("classification")
    prediction = verdict if isinstance(verdict, Prediction) else None
    floor = policies.taxonomy.secondary_intent_floor
    category = state.get("category")
    if (
        category is None
        and prediction is not None
        and prediction.category in policies.taxonomy.categories
    ):
        category = prediction.category
    reasons = unique_reasons(state.get("reasons", []))
    awaiting = bool(reasons)
    decisions = state.get("reviews", [])
    escalated = awaiting or bool(decisions)
    held = state.get("held")
    package = state.get("escalation") or (held.escalation if held is not None else None)
    first_reasons = [r.reason for r in package.reasons] if package is not None else []
    if not first_reasons and held is not None:
        first_reasons = list(held.escalation_reasons)
    queue = state.get("queue") or (
        policies.category(category).queue if category else policies.routing.triage_queue
    )
    customer = state.get("customer")
    signals = state.get("signals")
    record = OutcomeRecord(
        ticket_id=state["ticket"].id,
        category=category,
        confidence=round(prediction.confidence, 4) if prediction else None,
        secondary_intents=[
            Candidate(category=c.category, score=c.score)
            for c in (prediction.secondary_intents(category, floor) if prediction else [])
        ],
        classifier=ClassifierInfo(
            source=verdict.source if verdict is not None else None,
            model_version=verdict.model_version if verdict is not None else None,
            category=prediction.category if prediction else None,
        ),
        prompt_version=state.get("response_prompt") or state.get("draft_prompt"),
        path=[*nodes_visited(state), "record"],
        specialist=state.get("current"),
        queue=queue,
        priority=state.get("priority")
        or policies.routing.priority["unknown"][signals.urgency if signals else "normal"],
        escalated=escalated,
        escalation_reasons=list(dict.fromkeys(r.reason for r in reasons))
        or list(dict.fromkeys(first_reasons)),
        response=state.get("response") or state.get("draft"),
        actions=hold_for_review(state.get("actions", [])) if awaiting else state.get("actions", []),
        timings_ms=timings(state),
        created_at=deps.clock(),
        language=state["ticket"].language,
        customer_id=customer.customer_id
        if customer is not None and customer.known
        else state["ticket"].customer_id,
        signals=signals,
        rule_hits=state.get("rule_hits", []),
        escalation=state.get("escalation"),
        duplicate_of=state.get("duplicate_of"),
        handoffs=state.get("handoffs", []),
        llm=state.get("llm_calls", []),
        # a refused write re-runs the escalation: its notes once
        notes=list(dict.fromkeys([*state["ticket"].notes, *state.get("notes", [])])),
        state="awaiting_review" if awaiting else "resolved" if decisions else "routed",
        review=ReviewInfo(
            decisions=decisions,
            escalated_for=list(dict.fromkeys(first_reasons)),
        )
        if decisions
        else None,
    )
    return record if held is None else _continuing(record, held, state)


def _continuing(record: OutcomeRecord, held: OutcomeRecord, state: RouteState) -> OutcomeRecord:
    """A run that started at the review continues the routing that recorded `held`: what that
    routing learned (classification, signals, rule hits, path, the reviewer's package) stays
    in the outcome beside what this run adds."""
    timings = dict(held.timings_ms)
    for node, ms in record.timings_ms.items():
        timings[node] = round(timings.get(node, 0.0) + ms, 3)
    update: dict[str, Any] = {
        "path": [*held.path, *record.path],
        "timings_ms": timings,
        "llm": [*held.llm, *record.llm],
        "notes": list(dict.fromkeys([*held.notes, *record.notes])),
        "customer_id": record.customer_id or held.customer_id,
    }
    if state.get("classification") is None:
        update.update(
            confidence=held.confidence,
            secondary_intents=held.secondary_intents,
            classifier=held.classifier,
        )
    if state.get("signals") is None:
        update["signals"] = held.signals
    if not state.get("rule_hits"):
        update["rule_hits"] = held.rule_hits
    if state.get("escalation") is None:
        update["escalation"] = held.escalation
    return record.model_copy(update=update)


class _Refused(Exception):
    """A write the gate let through was refused when applied (a credit cap another ticket
    reached meanwhile): nothing of this run is applied, and a person decides instead."""

    def __init__(self, action: ActionRecord, error: ToolError) -> None:
        super().__init__(str(error))
        self.action = action


def _write(outcome: OutcomeRecord, env: Injected, deps: Deps) -> OutcomeRecord:
    """Apply the executed writes and save the outcome, all in one transaction."""
    with transaction(deps.engine) as session:
        applied = []
        for action in outcome.actions:
            if action.kind == "write" and action.status == "executed":
                policy = deps.specialists[action.specialist].policy
                try:
                    result = apply_action(session, action, env, policy)
                except ToolError as exc:
                    raise _Refused(action, exc) from exc
                action = action.model_copy(update={"result": {**(action.result or {}), **result}})
            applied.append(action)
        outcome = outcome.model_copy(update={"actions": applied})
        if outcome.review is None:
            save_outcome(
                session,
                record=outcome,
                sla=deps.policies.sla,
                assignment=deps.policies.assignment,
            )
        else:
            save_reviewed(session, outcome, assignment=deps.policies.assignment)
    return outcome


@timed("record")
def record(state: RouteState, runtime: Runtime[Deps]) -> RouteUpdate:
    deps = runtime.context
    outcome = build_record(state, deps)
    env = Injected.for_ticket(state["ticket"], state.get("customer"), now=outcome.created_at)
    try:
        return {"outcome": _write(outcome, env, deps)}
    except AlreadyApplied as done:
        # A resumed run that died after its commit and before its checkpoint: the store has it.
        return {"outcome": done.outcome}
    except _Refused as refused:
        reason = ReasonDetail(
            reason="sensitive_action",
            detail=f"{refused.action.tool} was refused when applied: {refused}"[:500],
        )
        held = merged(state, {"reasons": [reason]})
        held = merged(held, escalation_update(held, deps))
        return {"outcome": _write(build_record(held, deps), env, deps)}
