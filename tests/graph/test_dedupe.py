"""The dedupe node links a near-repeat to the sender's first open ticket."""

from __future__ import annotations

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
