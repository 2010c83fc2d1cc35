"""`POST /v1/tickets/{id}/events` over real HTTP: the clocks answer each event; repeats answer
the same; contradictions are 409, unknown tickets 404, bad kinds and times 422."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx


def _routed_ticket(
    http: httpx.Client, routed: Callable[[str], dict[str, Any]], customer: str
) -> dict[str, Any]:
    submitted = http.post(
        "/v1/tickets",
        json={"body": "I was charged twice for my March invoice", "customer_email": customer},
    )
    assert submitted.status_code == 202
    return routed(submitted.json()["ticket_id"])


def test_events_stop_and_satisfy_the_clocks(
    http: httpx.Client, routed: Callable[[str], dict[str, Any]], customer: str
) -> None:
    ticket = _routed_ticket(http, routed, customer)
    sla = ticket["outcome"]["sla"]
    assert sla["state"] == "running" and sla["first_response_due"] is not None
    url = f"/v1/tickets/{ticket['id']}/events"

    answered = http.post(url, json={"kind": "first_response", "note": "called them"})
    assert answered.status_code == 200
    assert answered.json()["first_response_due"] is None
    assert answered.json()["first_response_at"] is not None

    waiting = http.post(url, json={"kind": "waiting_on_customer"}).json()
    assert waiting["state"] == "paused" and waiting["resolution_due"] is None
    replied = http.post(url, json={"kind": "customer_replied"}).json()
    assert replied["state"] == "running" and replied["resolution_due"] is not None

    resolved = http.post(url, json={"kind": "resolved"})
    assert resolved.status_code == 200 and resolved.json()["state"] == "met"
    assert http.post(url, json={"kind": "resolved"}).json() == resolved.json()  # a repeat
    assert http.get(f"/v1/tickets/{ticket['id']}").json()["outcome"]["sla"] == resolved.json()

    conflict = http.post(url, json={"kind": "waiting_on_customer"})
    assert conflict.status_code == 409 and "reopen" in conflict.json()["error"]["message"]
    assert http.post(url, json={"kind": "reopened"}).json()["state"] == "running"
    assert http.post(url, json={"kind": "reopened"}).status_code == 409


def test_bad_events_are_refused_with_the_reason(
    http: httpx.Client, routed: Callable[[str], dict[str, Any]], customer: str
) -> None:
    ticket = _routed_ticket(http, routed, customer)
    url = f"/v1/tickets/{ticket['id']}/events"
    unknown_kind = http.post(url, json={"kind": "closed"})
    assert unknown_kind.status_code == 422
    assert unknown_kind.json()["error"]["field"] == "kind"
    future = (datetime.now(UTC) + timedelta(hours=1)).isoformat()
    too_late = http.post(url, json={"kind": "first_response", "at": future})
    assert too_late.status_code == 422 and "future" in too_late.json()["error"]["message"]
    too_early = http.post(url, json={"kind": "first_response", "at": "2001-01-01T00:00:00Z"})
    assert too_early.status_code == 422
    assert "before the ticket was created" in too_early.json()["error"]["message"]
    missing = http.post("/v1/tickets/tkt_nope/events", json={"kind": "resolved"})
    assert missing.status_code == 404
    anonymous = http.post(url, json={"kind": "resolved"}, headers={"Authorization": ""})
    assert anonymous.status_code == 401
