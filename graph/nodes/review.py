"""Review: the run pauses (LangGraph `interrupt()`) until a person decides, then carries the
decision out.

Nothing before `interrupt()` has a side effect: a resumed node runs again from its start. The
outcome awaiting review was saved by the record node before this one; what a decision applies
is written once (`deskroute.review.carry`), however often the node runs.
"""

from __future__ import annotations

import time
from typing import cast

from langgraph.runtime import Runtime
from langgraph.types import Command, interrupt
from sqlmodel import Session

from deskroute.enrich import customer_context
from deskroute.models.context import CustomerContext
from deskroute.models.review import Decision, DecisionRecord
from deskroute.review.carry import AlreadyApplied, carry_out
from deskroute.review.decide import decide, draft_of
from deskroute.review.pause import Pause, Resume
from graph.context import Deps
from graph.routing import AfterReview
from graph.state import Restart, RouteState, RouteUpdate, SpecialistName
from specialists.tools import Injected


def review(state: RouteState, runtime: Runtime[Deps]) -> Command[AfterReview]:
    outcome = state.get("outcome") or state["held"]
    round = len(state.get("reviews", [])) + 1
    raw = interrupt(Pause(ticket_id=outcome.ticket_id, round=round).model_dump(mode="json"))
    started = time.perf_counter()
    deps = runtime.context
    resume = Resume.model_validate(raw)
    decision = resume.decision
    now = deps.clock()
    if decision.action == "reassign":
        return _reassign(state, deps, decision, round, started)
    decided = decide(
        outcome,
        decision,
        round=round,
        now=now,
        prompt=deps.escalation_prompt,
        company=deps.company,
        args=resume.edited,
    )
    env = Injected.for_ticket(state["ticket"], _customer(state, deps), now=now)
    try:
        saved = carry_out(
            deps.engine,
            decided.outcome,
            env=env,
            policy_of=lambda name: deps.specialists[cast(SpecialistName, name)].policy,
            assignment=deps.policies.assignment,
        )
    except AlreadyApplied as done:
        saved = done.outcome
    update: RouteUpdate = {
        "outcome": saved,
        "reviews": [decided.record],
        "trace": [("review", (time.perf_counter() - started) * 1000)],
    }
    goto: AfterReview = "review" if saved.state == "awaiting_review" else "__end__"
    return Command(update=update, goto=goto)


def _reassign(
    state: RouteState, deps: Deps, decision: Decision, round: int, started: float
) -> Command[AfterReview]:
    """Resume at the chosen category's specialist, as if the classifier had chosen it: the
    first specialist's reasons, proposals and draft are dropped, the history kept."""
    category = decision.category or ""
    outcome = state.get("outcome") or state["held"]
    record = DecisionRecord(
        round=round,
        action="reassign",
        reviewer=decision.reviewer,
        decided_at=deps.clock(),
        reason=decision.reason,
        category_before=outcome.category,
        category_after=category,
        reply_before=draft_of(outcome),
    )
    update: RouteUpdate = {
        "reviews": [record],
        "category": category,
        "target": None,
        "reasons": Restart(),
        "actions": Restart(),
        "handoffs": Restart(),
        "draft": None,
        "draft_prompt": None,
        "queue": None,
        "response": None,
        "response_prompt": None,
        "trace": [("review", (time.perf_counter() - started) * 1000)],
    }
    if state.get("customer") is None:
        update["customer"] = _customer(state, deps)
        update["priority"] = outcome.priority
    return Command(update=update, goto=deps.policies.specialist_for(category))


def _customer(state: RouteState, deps: Deps) -> CustomerContext:
    """The sender's account as routing found it; looked up now in a run that started at the
    review (its routing failed, or pausing was off), which never looked the sender up."""
    if (customer := state.get("customer")) is not None:
        return customer
    with Session(deps.engine) as session:
        return customer_context(
            session,
            state["ticket"],
            now=deps.clock(),
            free_mail_domains=deps.policies.intake.free_mail_domains,
        )
