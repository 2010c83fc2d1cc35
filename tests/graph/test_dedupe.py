"""The dedupe node links a near-repeat to the sender's first open ticket, and only a repeat."""

from __future__ import annotations

import pytest

from deskroute.service import route_new, submit_ticket
from graph.nodes.dedupe import dedupe


def test_paraphrased_repeat_links_to_the_first_open_ticket(workspace, runtime) -> None:
    first, _ = route_new(
        workspace,
        {
            "body": "our bigquery sync for dataset marketing_raw is stuck on 'Running'",
            "customer_id": "C-1006",
            "channel": "chat",
        },
    )
    second, _ = route_new(
        workspace,
        {
            "body": "hi again, marketing_raw bigquery sync is STILL running, any news?",
            "customer_id": "C-1006",
            "channel": "chat",
        },
    )
    third = submit_ticket(
        workspace,
        {
            "body": "marketing_raw bigquery sync still running, any update please?",
            "customer_id": "C-1006",
            "channel": "chat",
        },
    ).ticket
    assert dedupe({"ticket": third}, runtime)["duplicate_of"] == first.ticket.id
    other_sender = submit_ticket(
        workspace,
        {
            "body": "marketing_raw bigquery sync still running, any update please?",
            "customer_id": "C-1007",
            "channel": "chat",
        },
    ).ticket
    assert dedupe({"ticket": other_sender}, runtime)["duplicate_of"] is None


RESEND = "Please resend invoice INV-2026-0101"


@pytest.mark.parametrize(
    ("body", "why"),
    [
        (
            "Someone logged into our account from Brazil last night and changed the password. "
            "Please lock the account. Also please resend invoice INV-2026-0101.",
            "its intent is security",
        ),
        (
            "We were charged twice for INV-2026-0101, please refund the duplicate charge. "
            "Also please resend invoice INV-2026-0101.",
            "refunds_cancellations",
        ),
        (
            "Please cancel our subscription at the end of this month. "
            "Also please resend invoice INV-2026-0101.",
            "refunds_cancellations",
        ),
        (
            "Please delete all personal data you hold about our former employee. "
            "Also please resend invoice INV-2026-0101.",
            "its intent is data_privacy",
        ),
    ],
    ids=["takeover", "refund", "cancellation", "erasure"],
)
def test_a_repeated_sentence_does_not_hide_a_new_request(route, body: str, why: str) -> None:
    first = route(RESEND, customer_id="C-1001")
    record = route(body, customer_id="C-1001")
    assert (
        record.duplicate_of is None and "classify" in record.path and "duplicate" not in record.path
    )
    assert record.escalated, "a sensitive request behind a repeated sentence reaches a person"
    [note] = [n for n in record.notes if n.startswith("looks like open ticket")]
    assert first.ticket_id in note and why in note


def test_a_plain_follow_up_still_joins_the_open_ticket(route) -> None:
    first = route(RESEND, customer_id="C-1001")
    record = route("Please resend invoice INV-2026-0101 again, still waiting", customer_id="C-1001")
    assert record.duplicate_of == first.ticket_id and record.path[-2:] == ["duplicate", "record"]


VAGUE = "issue with billing"


@pytest.mark.parametrize(
    "body",
    [
        "Our Salesforce connector fails again",
        "The dashboard crashed again and I lost an hour of work",
    ],
    ids=["connector", "dashboard"],
)
def test_a_follow_up_cue_does_not_join_an_unrelated_open_ticket(route, body: str) -> None:
    first = route(VAGUE, customer_id="C-1022")
    record = route(body, customer_id="C-1022")
    assert record.duplicate_of is None
    assert "classify" in record.path and "duplicate" not in record.path
    assert not [n for n in record.notes if first.ticket_id in n], "no link to the billing ticket"


def test_a_weak_follow_up_is_routed_new_with_a_note_naming_the_open_ticket(route) -> None:
    first = route("the Revenue dashboard shows wrong numbers for May", customer_id="C-1022")
    record = route(
        "can't share dashboards with external clients anymore, same error again",
        customer_id="C-1022",
    )
    assert record.duplicate_of is None and "duplicate" not in record.path
    assert f"possibly continues open ticket {first.ticket_id}" in " ".join(record.notes)


def test_a_follow_up_on_a_vague_ticket_joins_it_not_an_earlier_unrelated_one(route) -> None:
    route("Our Salesforce connector fails with INVALID_SESSION_ID", customer_id="C-1022")
    billing = route(VAGUE, customer_id="C-1022")
    record = route("any update on my billing issue?", customer_id="C-1022")
    assert record.duplicate_of == billing.ticket_id
