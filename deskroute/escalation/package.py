"""The escalation itself: the owning queue, the holding reply, and the reviewer's package."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from deskroute.escalation.queue import choose_queue
from deskroute.escalation.reasons import PRIMARY_ORDER, primary_reason, unique_reasons
from deskroute.models.actions import ActionRecord
from deskroute.models.classification import NoFit, Prediction, RuleHit
from deskroute.models.context import CustomerContext, Signals
from deskroute.models.outcome import (
    ClassifierInfo,
    EscalationPackage,
    Handoff,
    OutcomeRecord,
    ReasonDetail,
)
from deskroute.models.ticket import TicketView
from deskroute.policies.schema import Policies
from deskroute.prompts import Prompt, PromptSpec, TemplateSpec
from deskroute.replies import compose, language_note, team_name

PROMPT_SPEC = PromptSpec(
    instructions=TemplateSpec.of("company"),
    templates={
        "greeting": TemplateSpec.of("contact_name", required="contact_name"),
        "greeting_unknown": TemplateSpec.of(""),
        "closing": TemplateSpec.of("ticket_ref company", required="ticket_ref"),
        **{reason: TemplateSpec.of("team") for reason in PRIMARY_ORDER},
        "refused": TemplateSpec.of("reason", required="reason"),
    },
)
"""What `prompts/escalation.yaml` must provide: a holding reply per reason, and the line a
reviewer's refusal adds to the reply."""


@dataclass(frozen=True)
class EscalationInput:
    """What is known of a ticket when a person takes over."""

    ticket: TicketView
    reasons: Sequence[ReasonDetail]
    customer: CustomerContext | None = None
    signals: Signals | None = None
    classification: Prediction | NoFit | None = None
    rule_hits: Sequence[RuleHit] = ()
    category: str | None = None
    specialist_path: Sequence[str] = ()
    handoffs: Sequence[Handoff] = ()
    actions: Sequence[ActionRecord] = ()
    draft: str | None = None
    draft_prompt: str | None = None


@dataclass(frozen=True)
class Escalation:
    queue: str
    package: EscalationPackage
    response: str
    """The holding reply the customer gets."""
    response_prompt: str
    reasons: list[ReasonDetail] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    """For the reviewer: the holding reply is in English because the ticket's language has no
    templates."""


def hold_for_review(actions: Sequence[ActionRecord]) -> list[ActionRecord]:
    """On an escalated ticket nothing happens automatically: safe writes wait for the reviewer
    like sensitive ones (lookups stay, they changed nothing)."""
    return [
        a.model_copy(
            update={"status": "proposed", "reason": "held for review: the ticket is escalated"}
        )
        if a.kind == "write" and a.status == "executed"
        else a
        for a in actions
    ]


def escalate(case: EscalationInput, *, policies: Policies, prompt: Prompt) -> Escalation:
    reasons = unique_reasons(case.reasons)
    queue, category = choose_queue(
        policies,
        rule_hits=case.rule_hits,
        reasons=reasons,
        classification=case.classification,
        category=case.category,
    )
    customer = case.customer
    language = case.ticket.language
    holding = prompt.render(
        primary_reason(reasons), language=language, team=team_name(policies, category)
    )
    response = compose(
        prompt,
        language=language,
        contact_name=customer.contact_name if customer is not None and customer.known else None,
        body=[holding.strip()],
        closing={"ticket_ref": case.ticket.id, "company": policies.routing.company},
    )
    package = EscalationPackage(
        queue=queue,
        reasons=reasons,
        ticket=case.ticket,
        customer=customer,
        signals=case.signals,
        candidates=case.classification.candidates if case.classification is not None else [],
        rule_hits=list(case.rule_hits),
        specialist_path=list(case.specialist_path),
        handoffs=list(case.handoffs),
        proposed_actions=[a for a in hold_for_review(case.actions) if a.status == "proposed"],
        draft_reply=case.draft,
        draft_prompt_version=case.draft_prompt,
    )
    return Escalation(
        queue=queue,
        package=package,
        response=response,
        response_prompt=prompt.version,
        reasons=reasons,
        notes=[note] if (note := language_note(prompt, language)) else [],
    )


def failure_outcome(
    ticket: TicketView,
    reason: ReasonDetail,
    *,
    policies: Policies,
    prompt: Prompt,
    now: datetime,
) -> OutcomeRecord:
    """The outcome of a ticket the workflow could not finish: escalated to the reason's queue,
    so it still has a human owner."""
    case = EscalationInput(ticket=ticket, reasons=[reason])
    done = escalate(case, policies=policies, prompt=prompt)
    return OutcomeRecord(
        ticket_id=ticket.id,
        category=None,
        confidence=None,
        secondary_intents=[],
        classifier=ClassifierInfo(source=None, model_version=None),
        prompt_version=done.response_prompt,
        path=["failure", "record"],
        specialist=None,
        queue=done.queue,
        priority=policies.routing.priority["unknown"]["normal"],
        escalated=True,
        escalation_reasons=[r.reason for r in done.reasons],
        response=done.response,
        actions=[],
        timings_ms={},
        created_at=now,
        language=ticket.language,
        customer_id=ticket.customer_id,
        escalation=done.package,
        notes=[*ticket.notes, *done.notes],
    )
