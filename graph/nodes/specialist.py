"""Specialist nodes: one per specialist, each with its own prompt, tools and policy."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from langgraph.runtime import Runtime
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session

from deskroute.llm.errors import LLMUnavailable
from deskroute.models.actions import ActionRecord
from deskroute.models.classification import LLMCall, Prediction, SentenceIntent
from deskroute.models.outcome import Handoff, ReasonDetail
from deskroute.replies import language_note
from graph.context import Deps
from graph.state import RouteState, RouteUpdate, SpecialistName, specialists_visited
from graph.timing import NodeFn, timed
from specialists.base import NotMine, Reply, Work
from specialists.registry import Loaded
from specialists.reply_checks import vet


def _policy_handoff(loaded: Loaded, work: Work, deps: Deps) -> NotMine | None:
    """Hand-off phrases from `specialists.yaml`: "this is really a refund", etc."""
    for handoff in loaded.policy.handoffs:
        if (
            handoff.to == work.category
            or deps.policies.specialist_for(handoff.to) == loaded.specialist.name
        ):
            continue
        if handoff.regex is not None and (match := handoff.regex.search(work.ticket.text)):
            return NotMine(category=handoff.to, reason=f"the ticket mentions {match.group(0)!r}")
    return None


def _after_not_mine(
    state: RouteState, deps: Deps, name: SpecialistName, result: NotMine
) -> RouteUpdate:
    handoff = Handoff(from_specialist=name, to_category=result.category, reason=result.reason)
    categories = deps.policies.taxonomy.categories
    if result.category not in categories:
        detail = f"{name} declined the ticket and suggested unknown category {result.category!r}"
        return {
            "handoffs": [handoff],
            "target": None,
            "reasons": [ReasonDetail(reason="low_confidence", detail=detail)],
        }
    visited = [*specialists_visited(state), name]
    following = deps.policies.specialist_for(result.category)
    count = len(state.get("handoffs", [])) + 1
    limit = deps.policies.routing.max_handoffs
    if following in visited or count > limit:
        why = (
            f"hand-off {count} exceeds the limit of {limit}"
            if count > limit
            else f"{' -> '.join(visited)} -> {following} returns to a specialist already visited"
        )
        return {
            "handoffs": [handoff],
            "target": None,
            "reasons": [ReasonDetail(reason="loop_detected", detail=why)],
        }
    return {"handoffs": [handoff], "target": following, "category": result.category}


def _other_problems(state: RouteState, deps: Deps, name: SpecialistName) -> list[ReasonDetail]:
    """What else the ticket raises that another specialist handles: this reply does not answer
    it, so a person sees that both are."""
    verdict = state.get("classification")
    if not isinstance(verdict, Prediction):
        return []
    taxonomy = deps.policies.taxonomy
    reasons = []
    for intent in verdict.secondary_intents(state.get("category"), taxonomy.secondary_intent_floor):
        if intent.category not in taxonomy.categories:
            continue
        other = deps.policies.specialist_for(intent.category)
        if other == name:
            continue
        said = f" ({intent.sentence!r})" if isinstance(intent, SentenceIntent) else ""
        detail = (
            f"the ticket also raises {intent.category} ({intent.score:.2f}){said}, which the "
            f"{other} specialist handles: the {name} reply does not answer it"
        )
        reasons.append(ReasonDetail(reason="multiple_intents", detail=detail[:500]))
    return reasons


def _discarded(actions: list[ActionRecord]) -> list[ActionRecord]:
    """Writes an LLM attempted before it failed: listed, never applied."""
    return [
        a.model_copy(
            update={"status": "rejected", "reason": "discarded: the LLM failed before answering"}
        )
        if a.kind == "write"
        else a
        for a in actions
    ]


@dataclass
class _Answer:
    result: Reply | NotMine | None
    actions: list[ActionRecord]
    llm_calls: list[LLMCall] = field(default_factory=list)
    reasons: list[ReasonDetail] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _embedded(loaded: Loaded, work: Work, notes: list[str]) -> _Answer:
    """The embedded handler's answer, noting for the reviewer a reply in English to a ticket in
    a language its templates lack."""
    result = loaded.specialist.handle(work)
    if isinstance(result, Reply) and (note := language_note(loaded.prompt, work.ticket.language)):
        notes = [*notes, note]
    return _Answer(result, work.gate.actions, notes=notes)


def _answer(name: str, loaded: Loaded, work: Work, deps: Deps) -> _Answer:
    """The policy's hand-off phrases first; then the LLM agent when one is configured (its reply
    vetted, and the embedded handler answering if the provider is down), else the embedded
    handler."""
    # The policy's hand-off phrases are rules, whichever path answers: a refund request filed
    # under billing goes to refunds even when a model would have answered it itself.
    if (handoff := _policy_handoff(loaded, work, deps)) is not None:
        return _Answer(handoff, work.gate.actions)
    if deps.llm is None:
        return _embedded(loaded, work, [])
    # provider clients load only when an LLM is set
    from specialists.agent import run_agent, system_prompt

    try:
        outcome = run_agent(
            work,
            loaded,
            deps.llm,
            categories=list(deps.policies.taxonomy.categories),
            max_steps=deps.policies.specialists.max_tool_steps,
            company=deps.company,
        )
    except LLMUnavailable as exc:
        attempted = _discarded(work.gate.actions)
        fresh = replace(work, gate=replace(work.gate, actions=[]), sections=[])
        note = f"{name} specialist LLM unavailable ({exc}); the embedded reply answered"
        embedded = _embedded(loaded, fresh, [note[:400]])
        return replace(embedded, actions=attempted + embedded.actions)
    reasons = [outcome.reason] if outcome.reason else []
    if not isinstance(outcome.result, Reply):
        return _Answer(outcome.result, work.gate.actions, [outcome.call], reasons)
    missed, doubts = vet(
        outcome.result,
        work,
        loaded,
        system_prompt=system_prompt(loaded, deps.company),
        languages=tuple(deps.policies.intake.languages),
    )
    return _Answer(outcome.result, work.gate.actions + missed, [outcome.call], reasons + doubts)


def make_specialist_node(name: SpecialistName) -> NodeFn:
    def run(state: RouteState, runtime: Runtime[Deps]) -> RouteUpdate:
        deps = runtime.context
        loaded = deps.specialists[name]
        update: RouteUpdate = {"current": name, "target": None}
        try:
            with Session(deps.engine) as session:
                work = loaded.start(
                    ticket=state["ticket"],
                    category=state.get("category") or "",
                    customer=state["customer"],
                    session=session,
                    policies=deps.policies,
                    now=deps.clock(),
                )
                answer = _answer(name, loaded, work, deps)
        except SQLAlchemyError as exc:
            detail = f"the store failed during the {name} specialist: {type(exc).__name__}: {exc}"
            update["reasons"] = [ReasonDetail(reason="internal_error", detail=detail[:500])]
            return update
        update.update(
            {"actions": answer.actions, "llm_calls": answer.llm_calls, "notes": answer.notes}
        )
        if isinstance(answer.result, NotMine):
            update.update(_after_not_mine(state, deps, name, answer.result))
            return update
        draft = answer.result.text if answer.result is not None else None
        update.update(
            {
                "draft": draft,
                "draft_prompt": loaded.prompt.version if draft else None,
                "reasons": [
                    ReasonDetail(
                        reason="sensitive_action",
                        detail=f"{a.tool}({_args(a.args)}) needs approval: {a.reason}",
                    )
                    for a in answer.actions
                    if a.status == "proposed"
                ]
                + answer.reasons
                # a reviewer who chose the category has seen what else the ticket raises
                + ([] if state.get("reviews") else _other_problems(state, deps, name)),
            }
        )
        return update

    run.__name__ = f"specialist_{name}"
    return timed(name)(run)


def _args(args: dict[str, Any]) -> str:
    return ", ".join(f"{k}={v!r}" for k, v in args.items())
