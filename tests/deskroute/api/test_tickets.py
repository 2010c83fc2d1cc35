"""`POST /v1/tickets`, `GET /v1/tickets/{id}`, `GET /v1/outcomes`, health: through real HTTP."""

from __future__ import annotations

import uuid

import httpx
from helpers import serving

from deskroute.api.app import create_app
from deskroute.settings import Settings


def test_ticket_is_accepted_then_routed_in_the_background(
    http: httpx.Client, customer, routed
) -> None:
    sent = http.post(
        "/v1/tickets",
        json={
            "subject": "Invoice copy",
            "body": "Please resend invoice INV-2026-0101",
            "customer_email": customer,
            "channel": "email",
            "metadata": {"crm": 7},
        },
    )
    assert sent.status_code == 202
    accepted = sent.json()
    assert accepted["status"] == "received" and accepted["created"] is True
    assert accepted["status_url"].endswith(f"/v1/tickets/{accepted['ticket_id']}")
    ticket = routed(accepted["ticket_id"])
    assert ticket["status"] in ("routed", "escalated")
    assert ticket["metadata"] == {"crm": 7}
    assert ticket["outcome"]["ticket_id"] == accepted["ticket_id"]


def test_wait_returns_the_outcome(http: httpx.Client) -> None:
    sent = http.post(
        "/v1/tickets?wait=20",
        json={"body": "I lost my phone with the authenticator app", "customer_id": "C-1014"},
    )
    assert sent.status_code == 200
    body = sent.json()
    assert body["status"] == "escalated" and body["outcome"]["escalated"] is True
    assert body["outcome"]["queue"]


def test_same_external_id_creates_one_ticket(http: httpx.Client, customer) -> None:
    ticket = {
        "body": "Export fails",
        "customer_email": customer,
        "source": "zendesk",
        "external_id": f"z-{uuid.uuid4().hex}",
    }
    first = http.post("/v1/tickets", json=ticket)
    again = http.post("/v1/tickets", json=ticket)
    other_source = http.post("/v1/tickets", json={**ticket, "source": "intercom"})
    assert (first.status_code, again.status_code, other_source.status_code) == (202, 200, 202)
    assert again.json()["ticket_id"] == first.json()["ticket_id"]
    assert again.json()["created"] is False
    assert other_source.json()["ticket_id"] != first.json()["ticket_id"]


def test_idempotency_key_creates_one_ticket_and_refuses_other_content(
    http: httpx.Client, customer
) -> None:
    key = {"Idempotency-Key": uuid.uuid4().hex}
    ticket = {"body": "Dashboard will not load", "customer_email": customer}
    first = http.post("/v1/tickets", json=ticket, headers=key)
    again = http.post("/v1/tickets", json=ticket, headers=key)
    assert (first.status_code, again.status_code) == (202, 200)
    assert again.json()["ticket_id"] == first.json()["ticket_id"]
    reused = http.post("/v1/tickets", json={**ticket, "body": "Another problem"}, headers=key)
    assert reused.status_code == 409
    assert reused.json()["error"]["field"] == "Idempotency-Key"


def test_near_duplicate_joins_the_first_ticket_and_its_owner(http: httpx.Client, customer) -> None:
    first = http.post(
        "/v1/tickets?wait=20",
        json={
            "channel": "email",
            "subject": "Invoice INV-2026-0311 wrong VAT rate",
            "body": "Hello,\n\ninvoice INV-2026-0311 was charged with 20% VAT, but we are a "
            "reverse-charge customer in Belgium. Could you reissue it without VAT?\n\n"
            "Thanks,\nElke",
            "customer_email": customer,
        },
    ).json()
    repeat = http.post(
        "/v1/tickets?wait=20",
        json={
            "channel": "chat",
            "body": "hi, any update on INV-2026-0311? it still has 20% VAT "
            "and we are reverse charge",
            "customer_email": customer,
        },
    ).json()
    assert repeat["outcome"]["duplicate_of"] == first["ticket_id"]
    assert repeat["outcome"]["queue"] == first["outcome"]["queue"]
    different = http.post(
        "/v1/tickets?wait=20",
        json={
            "channel": "chat",
            "body": "separate question: how do I add a colleague as viewer?",
            "customer_email": customer,
        },
    ).json()
    assert different["outcome"]["duplicate_of"] is None


def test_get_unknown_ticket_is_404(http: httpx.Client) -> None:
    missing = http.get("/v1/tickets/tkt_missing")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"


def test_outcomes_are_filtered_and_paginated(http: httpx.Client) -> None:
    for text in ("Please resend invoice INV-2026-0101", "Please resend invoice INV-2026-0102"):
        http.post("/v1/tickets?wait=20", json={"body": text, "customer_id": "C-1001"})
    page = http.get("/v1/outcomes", params={"limit": 1, "category": "billing"}).json()
    assert page["total"] >= 2 and len(page["items"]) == 1
    assert page["items"][0]["category"] == "billing"
    nxt = httpx.get(page["next_url"], headers=http.headers).json()
    assert nxt["offset"] == 1 and nxt["items"][0]["ticket_id"] != page["items"][0]["ticket_id"]
    none = http.get("/v1/outcomes", params={"since": "2999-01-01T00:00:00"}).json()
    assert none == {"total": 0, "limit": 50, "offset": 0, "items": [], "next_url": None}


def test_health_and_readiness_need_no_key(base_url: str) -> None:
    assert httpx.get(f"{base_url}/healthz").json() == {"status": "ok"}
    ready = httpx.get(f"{base_url}/readyz").json()
    assert ready["status"] == "ready" and ready["store"] and ready["model"]
    assert httpx.get(f"{base_url}/openapi.json").json()["info"]["title"] == "DeskRoute"


def test_idempotency_key_reused_with_the_same_body_for_another_ticket_is_409(
    http: httpx.Client, customer
) -> None:
    key = {"Idempotency-Key": uuid.uuid4().hex}
    ticket = {"subject": "Export", "body": "Export fails", "customer_email": customer}
    assert http.post("/v1/tickets", json=ticket, headers=key).status_code == 202
    for change in ({"subject": "Another subject"}, {"channel": "chat"}):
        reused = http.post("/v1/tickets", json={**ticket, **change}, headers=key)
        assert reused.status_code == 409, reused.text
        assert reused.json()["error"]["field"] == "Idempotency-Key"


def test_new_content_under_the_same_external_id_is_attached(http: httpx.Client, customer) -> None:
    ticket = {
        "body": "Export fails",
        "customer_email": customer,
        "source": "zendesk",
        "external_id": f"z-{uuid.uuid4().hex}",
    }
    first = http.post("/v1/tickets", json=ticket).json()
    follow_up = http.post("/v1/tickets", json={**ticket, "body": "Now the PDF export fails too"})
    assert follow_up.status_code == 200
    answer = follow_up.json()
    assert answer["ticket_id"] == first["ticket_id"]
    assert (answer["created"], answer["attached"]) == (False, True)
    shown = http.get(f"/v1/tickets/{first['ticket_id']}").json()
    assert shown["body"] == "Export fails"
    assert [m["body"] for m in shown["messages"]] == ["Now the PDF export fails too"]
    assert shown["messages"][0]["metadata"]["channel"] == "api"


def test_card_numbers_are_not_served_when_redacted_at_rest(
    api_settings: Settings, auth: dict[str, str], tmp_path
) -> None:
    settings = api_settings.model_copy(update={"home": tmp_path, "redact_at_rest": True})
    app = create_app(settings, route_in_background=False)
    with serving(app) as url, httpx.Client(base_url=url, headers=auth, timeout=30) as http:
        sent = http.post(
            "/v1/tickets", json={"body": "Card 4111-1111-1111-1111 was charged twice"}
        ).json()
        shown = http.get(f"/v1/tickets/{sent['ticket_id']}").json()
    assert shown["body"] == "Card [card ••••1111] was charged twice"
    assert shown["notes"] == ["redacted at rest: 1 card number (last 4 kept)"]
    app.state.ws.engine.dispose()
