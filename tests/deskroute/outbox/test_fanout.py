"""Which events reach which destinations, what a Slack message holds, and that a decision's
event is written in the decision's transaction."""

from __future__ import annotations

import json
from typing import Any

import pytest
from outbox_support import Clock
from sqlmodel import Session, func, select
from webhook_receiver import Receiver

from deskroute.models.ownership import EventKind
from deskroute.service import route_new, submit_ticket
from deskroute.store.db import transaction
from deskroute.store.outcomes import save_outcome
from deskroute.store.tables import OutboxEvent

SECURITY = "Someone signed in to our account from an unknown country, we think we were hacked"
UNHAPPY = (
    "This is the third time I'm writing, the dashboard export is still broken and we are "
    "losing money"
)
INVOICE = "Please resend invoice INV-2026-0101"


def test_routing_decisions_fan_out_by_the_rules(
    clock: Clock, helpdesk: Receiver, slack: Receiver
) -> None:
    _, security = route_new(clock.ws, {"body": SECURITY, "customer_id": "C-1001"})
    _, unhappy = route_new(clock.ws, {"body": UNHAPPY, "customer_id": "C-1003"})
    _, invoice = route_new(clock.ws, {"body": INVOICE, "customer_id": "C-1002"})
    assert (security.category, security.escalated) == ("security", True)
    assert unhappy.signals is not None and unhappy.signals.sentiment == "negative"
    assert not invoice.escalated
    clock.run(seconds=5, step=1)
    told: dict[tuple[str, str], dict[str, Any]] = {
        (e["payload"]["ticket_id"], e["kind"]): e for e in helpdesk.events.values()
    }
    assert {ticket for ticket, _kind in told} == {
        security.ticket_id,
        unhappy.ticket_id,
        invoice.ticket_id,
    }
    # The routed invoice went to an agent at once: the helpdesk hears both decisions.
    assert (invoice.ticket_id, "ticket.routed") in told
    assert (invoice.ticket_id, "ticket.assigned") in told
    escalated = told[(security.ticket_id, "ticket.escalated")]
    payload = escalated["payload"]
    assert payload["schema"] == 1
    assert payload["customer"] == {
        "id": "C-1001",
        "tier": "enterprise",
        "name": "Harbor Logistics GmbH",
    }
    assert payload["reasons"] == security.escalation_reasons
    assert payload["queue"] == security.queue and payload["priority"] == security.priority
    # Slack hears of the security escalation and the unhappy enterprise customer only.
    messages = [json.loads(seen.body) for seen in slack.seen]
    assert len(messages) == 2
    assert {m["blocks"][0]["text"]["text"] for m in messages} == {
        "Security or outage ticket escalated",
        "Unhappy enterprise customer (VIP)",
    }


def test_a_slack_message_lets_a_person_act_without_opening_anything(
    clock: Clock, slack: Receiver
) -> None:
    _, record = route_new(clock.ws, {"body": SECURITY, "customer_id": "C-1001"})
    clock.tick()
    (seen,) = slack.seen
    message = json.loads(seen.body)
    assert record.ticket_id in message["text"] and "Harbor Logistics GmbH" in message["text"]
    blocks = message["blocks"]
    assert [b["type"] for b in blocks][:2] == ["header", "section"]
    fields = {f["text"].split("\n")[0]: f["text"].split("\n", 1)[1] for f in blocks[1]["fields"]}
    review = f"{clock.ws.settings.public_url}/review/tickets/{record.ticket_id}"
    assert fields["*Ticket*"] == f"<{review}|{record.ticket_id}>"
    assert fields["*Customer*"] == "Harbor Logistics GmbH (C-1001) · enterprise"
    assert fields["*Category*"] == "security"
    assert fields["*Priority*"] == record.priority and fields["*Queue*"] == record.queue
    assert fields["*Reasons*"] == ", ".join(record.escalation_reasons)
    texts = [b["text"]["text"] for b in blocks if b["type"] == "section" and "text" in b]
    assert any(t.startswith("*The customer wrote*\n>Someone signed in") for t in texts)
    assert record.escalation is not None and record.escalation.draft_reply
    assert any(t.startswith("*Draft reply*") for t in texts) or any(
        t.startswith("*Waiting for approval*") for t in texts
    )
    button = next(b for b in blocks if b["type"] == "actions")["elements"][0]
    assert button["url"] == review


@pytest.mark.parametrize(
    ("kind", "to_slack"),
    [("sla.breached", True), ("sla.at_risk", False), ("ticket.reassigned", False)],
)
def test_other_parts_events_go_to_the_helpdesk_and_breaches_to_slack(
    clock: Clock, helpdesk: Receiver, slack: Receiver, kind: EventKind, to_slack: bool
) -> None:
    with transaction(clock.ws.engine) as session:
        event = OutboxEvent(key=f"evt_{kind}", kind=kind, payload={}, created_at=clock.now)
        session.add(event)
    clock.tick()
    assert helpdesk.unique_keys() == {f"evt_{kind}"}
    assert slack.unique_keys() == ({f"evt_{kind}"} if to_slack else set())


def test_a_rolled_back_outcome_leaves_no_event(clock: Clock) -> None:
    _, routed = route_new(clock.ws, {"body": INVOICE, "customer_id": "C-1002"})
    second = submit_ticket(clock.ws, {"body": "Please resend invoice INV-2026-0102"})
    record = routed.model_copy(update={"ticket_id": second.ticket.id})

    def events() -> int:
        """Routing decisions told (the first ticket's assignment is an event of its own)."""
        with Session(clock.ws.engine) as session:
            routed = select(func.count()).where(OutboxEvent.kind == "ticket.routed")
            return int(session.exec(routed).one())

    assert events() == 1
    with pytest.raises(RuntimeError), transaction(clock.ws.engine) as session:
        save_outcome(
            session,
            record=record,
            sla=clock.ws.policies.sla,
            assignment=clock.ws.policies.assignment,
        )
        raise RuntimeError("the decision fails after its outcome")
    assert events() == 1
    with transaction(clock.ws.engine) as session:
        save_outcome(
            session,
            record=record,
            sla=clock.ws.policies.sla,
            assignment=clock.ws.policies.assignment,
        )
    assert events() == 2
