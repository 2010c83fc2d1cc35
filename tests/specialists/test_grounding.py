"""A reply may cite only the invoice numbers, issue ids and amounts that tools returned."""

from __future__ import annotations

import json

import pytest

from specialists.grounding import ungrounded

EVIDENCE = [
    json.dumps(
        {
            "status": "executed",
            "result": [
                {"number": "INV-2026-0142", "amount": 1240.5, "currency": "EUR"},
                {"number": "INV-2026-0143", "amount": 990.0, "currency": "EUR"},
            ],
        }
    ),
    json.dumps({"status": "executed", "result": {"id": "KI-101", "article": "HC-7"}}),
]


@pytest.mark.parametrize(
    "reply",
    [
        "Invoice INV-2026-0142 came to 1,240.50 EUR.",
        "Die Rechnung inv-2026-0142 beträgt 1.240,50 EUR.",  # decimal comma, lower-case id
        "Your last invoice, INV-2026-0143, was 990.00 EUR; 990,0 EUR is the same amount.",
        "This is known issue KI-101; HC-7 explains the workaround.",
        "We will look into it within 24 hours.",  # whole numbers are not amounts
    ],
)
def test_facts_the_tools_returned_are_grounded(reply: str) -> None:
    assert ungrounded(reply, EVIDENCE) == []


def test_invented_ids_and_amounts_are_listed_once_each_in_order() -> None:
    reply = (
        "INV-2026-9999 was refunded: 1,240.51 EUR back, see KI-102. "
        "INV-2026-9999 again, and 1,240.51 EUR again, and C-1002's 990.00 EUR."
    )
    assert ungrounded(reply, EVIDENCE) == ["INV-2026-9999", "KI-102", "C-1002", "1,240.51"]


def test_without_evidence_every_cited_fact_is_ungrounded() -> None:
    assert ungrounded("Invoice INV-2026-0142 for 12.00", []) == ["INV-2026-0142", "12.00"]
    assert ungrounded("Thanks for writing in.", []) == []


def test_numbers_inside_tool_text_count_as_evidence() -> None:
    note = json.dumps({"status": "rejected", "note": "credit of 75.00 exceeds the limit 50.00"})
    assert ungrounded("A credit of 75.00 needs approval above 50,00.", [note]) == []
