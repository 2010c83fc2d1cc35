"""The escalation package and holding reply, from plain inputs (no graph)."""

from __future__ import annotations

from datetime import UTC, datetime

from helpers import view

from deskroute.escalation import (
    EscalationInput,
    escalate,
    failure_outcome,
    primary_reason,
    unique_reasons,
)
from deskroute.models.actions import ActionRecord
from deskroute.models.outcome import ReasonDetail


def test_reasons_are_kept_once_and_the_primary_one_speaks() -> None:
    low = ReasonDetail(reason="low_confidence", detail="0.3 below 0.6")
    rule = ReasonDetail(reason="policy_rule", detail="rule legal matched 'lawyer'")
    assert unique_reasons([low, rule, low]) == [low, rule]
    assert primary_reason([low, rule]) == "policy_rule"
    assert primary_reason([]) == "internal_error"


def test_holding_reply_names_the_team_and_package_holds_writes(policies, workspace) -> None:
    ticket = view(policies, body="Please credit us 20 EUR", customer_id="C-1001")
    credit = ActionRecord(
        tool="issue_credit",
        args={"amount": 20},
        status="executed",
        specialist="billing",
        kind="write",
    )
    done = escalate(
        EscalationInput(
            ticket=ticket,
            reasons=[ReasonDetail(reason="human_requested", detail="asked for a person")],
            category="billing",
            specialist_path=["billing"],
            actions=[credit],
            draft="draft text",
        ),
        policies=policies,
        prompt=workspace.deps.escalation_prompt,
    )
    assert done.queue == policies.category("billing").escalation_queue
    assert f"our {policies.category('billing').name} team" in done.response
    assert ticket.id in done.response and done.response.startswith("Hi there,")
    [held] = done.package.proposed_actions
    assert held.tool == "issue_credit" and held.status == "proposed"
    assert done.package.draft_reply == "draft text"
    assert done.response_prompt == workspace.deps.escalation_prompt.version


def test_failure_outcome_gives_the_ticket_a_human_owner(policies, workspace) -> None:
    ticket = view(policies, body="anything")
    now = datetime(2026, 12, 1, tzinfo=UTC)
    record = failure_outcome(
        ticket,
        ReasonDetail(reason="internal_error", detail="RuntimeError: boom"),
        policies=policies,
        prompt=workspace.deps.escalation_prompt,
        now=now,
    )
    routing = policies.routing
    assert record.escalated and record.escalation_reasons == ["internal_error"]
    assert record.queue == routing.reason_queues.get("internal_error", routing.triage_queue)
    assert record.escalation is not None and record.escalation.ticket == ticket
    assert "boom" not in (record.response or "") and "our Support team" in (record.response or "")
    assert record.created_at == now and record.path == ["failure", "record"]


def test_a_ticket_that_failed_is_held_in_its_language(policies, workspace) -> None:
    german = view(policies, body="Ich kann die Rechnung nicht herunterladen, bitte helfen Sie mir.")
    japanese = view(policies, body="請求書をダウンロードできません。助けてください。")
    failed = ReasonDetail(reason="internal_error", detail="RuntimeError: boom")
    now = datetime(2026, 12, 1, tzinfo=UTC)
    prompt = workspace.deps.escalation_prompt
    de = failure_outcome(german, failed, policies=policies, prompt=prompt, now=now)
    ja = failure_outcome(japanese, failed, policies=policies, prompt=prompt, now=now)
    assert (de.response or "").startswith("Guten Tag,\n\nVielen Dank für Ihre Nachricht.")
    assert de.notes == []
    assert (ja.response or "").startswith("Hi there,\n\nThank you for your message.")
    assert ja.notes and "Japanese (ja)" in ja.notes[0] and "escalation.yaml" in ja.notes[0]
