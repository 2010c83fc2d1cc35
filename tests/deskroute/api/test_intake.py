"""`POST /v1/intake/email` and `POST /v1/intake/chat` through real HTTP."""

from __future__ import annotations

import logging
import socket
import time
import uuid

import httpx
import pytest
from helpers import local_port, serving
from sample_emails import EDGE_CASES, GMAIL_MULTIPART, long_thread, reply_to

from deskroute.api.app import create_app
from deskroute.settings import Settings

RFC822 = {"Content-Type": "message/rfc822"}


def _first_email(customer: str, message_id: str) -> bytes:
    return (
        f"From: Ana <{customer}>\nTo: support@brightline.example\nSubject: Export stuck\n"
        f"Message-ID: <{message_id}>\nContent-Type: text/plain; charset=utf-8\n\n"
        "Hi,\n\nour CSV export of 'Leads Q2' has been queued for two hours.\n\nThanks,\nAna\n"
    ).encode()


def test_email_becomes_a_ticket_with_attachments_listed(http: httpx.Client, routed) -> None:
    sent = http.post("/v1/intake/email?source=mailbot", content=GMAIL_MULTIPART, headers=RFC822)
    assert sent.status_code == 202
    ticket = routed(sent.json()["ticket_id"])
    assert ticket["channel"] == "email" and ticket["external_id"] == "CAF3kR9xQ1@mail.gmail.example"
    assert ticket["customer_email"] == "elke.janssens@vandermeer.example"
    assert "Vandermeer Logistics" not in ticket["body"]  # signature stripped
    assert ticket["metadata"]["email"]["attachments"][0]["filename"] == "INV-2026-0311.pdf"
    again = http.post("/v1/intake/email?source=mailbot", content=GMAIL_MULTIPART, headers=RFC822)
    assert again.status_code == 200 and again.json()["ticket_id"] == sent.json()["ticket_id"]


def test_reply_joins_its_thread_without_a_new_ticket(http: httpx.Client, customer, routed) -> None:
    first_id = f"{uuid.uuid4().hex}@mail.example"
    first = http.post("/v1/intake/email", content=_first_email(customer, first_id), headers=RFC822)
    ticket_id = first.json()["ticket_id"]
    routed(ticket_id)
    reply = reply_to(
        first_id,
        own_id=f"{uuid.uuid4().hex}@mail.example",
        sender=customer,
        text="It is still queued, now six hours.",
    )
    for _ in range(2):  # the second post is a retry of the same message
        answer = http.post("/v1/intake/email", content=reply, headers=RFC822)
        assert answer.status_code == 200
        assert answer.json()["ticket_id"] == ticket_id and answer.json()["attached"] is True
    ticket = http.get(f"/v1/tickets/{ticket_id}").json()
    assert [m["body"] for m in ticket["messages"]] == ["It is still queued, now six hours."]
    outcomes = http.get("/v1/outcomes", params={"limit": 500}).json()["items"]
    assert sum(o["ticket_id"] == ticket_id for o in outcomes) == 1


def test_malformed_email_is_400(http: httpx.Client) -> None:
    answer = http.post("/v1/intake/email", content=b"not an e-mail at all", headers=RFC822)
    assert answer.status_code == 400
    assert answer.json()["error"]["code"] == "malformed_email"


def test_chat_transcript_becomes_one_ticket(http: httpx.Client, customer, routed) -> None:
    transcript = {
        "customer_email": customer,
        "external_id": f"chat-{uuid.uuid4().hex}",
        "source": "chatbot",
        "messages": [
            {"role": "bot", "text": "Hi! How can I help?"},
            {"role": "customer", "text": "my 2FA codes are rejected"},
            {"role": "bot", "text": "Have you checked your phone's clock?"},
            {"role": "user", "text": "yes, it is correct. I need a reset please"},
        ],
    }
    sent = http.post("/v1/intake/chat", json=transcript)
    assert sent.status_code == 202
    ticket = routed(sent.json()["ticket_id"])
    assert ticket["channel"] == "chat"
    assert (
        ticket["body"] == "my 2FA codes are rejected\n\nyes, it is correct. I need a reset please"
    )
    assert [m["role"] for m in ticket["metadata"]["transcript"]] == [
        "bot",
        "customer",
        "bot",
        "user",
    ]


def test_chat_without_customer_words_is_refused(http: httpx.Client) -> None:
    only_bot = {"messages": [{"role": "bot", "text": "Hello?"}], "customer_id": "C-1001"}
    answer = http.post("/v1/intake/chat", json=only_bot)
    assert answer.status_code == 400 and answer.json()["error"]["field"] == "messages"
    empty = http.post("/v1/intake/chat", json={"messages": []})
    assert empty.status_code == 422 and empty.json()["error"]["field"] == "messages"


def test_a_long_thread_is_accepted_for_its_new_text(
    api_settings: Settings, auth: dict[str, str], tmp_path
) -> None:
    """The body limit (100 kB) applies to the new text; only the transport limit,
    DESKROUTE_MAX_REQUEST_BYTES, refuses a request for its size."""
    settings = api_settings.model_copy(update={"home": tmp_path, "max_request_bytes": 1_048_576})
    app = create_app(settings, route_in_background=False)
    with serving(app) as url, httpx.Client(base_url=url, headers=auth, timeout=30) as http:
        raw = long_thread()
        sent = http.post("/v1/intake/email", content=raw, headers=RFC822)
        assert sent.status_code == 202, sent.text
        ticket = http.get(f"/v1/tickets/{sent.json()['ticket_id']}").json()
        assert ticket["body"].startswith("The export is still stuck.") and ticket["notes"] == []
        too_big = long_thread(quoted_lines=12_000, message_id="long-2@mail.example")
        answer = http.post("/v1/intake/email", content=too_big, headers=RFC822)
        assert answer.status_code == 413 and answer.json()["error"]["code"] == "too_large"
    app.state.ws.engine.dispose()


def test_edge_case_emails_get_a_clean_answer_on_one_connection(
    base_url: str, auth: dict[str, str], caplog: pytest.LogCaptureFixture
) -> None:
    """Parser bombs and empty messages are a 4xx naming the problem; the keep-alive
    connection carries every answer, and nothing is logged as an error."""
    with httpx.Client(base_url=base_url, headers=auth, timeout=60) as http:
        ports = set()
        for name, (raw, status) in EDGE_CASES.items():
            answer = http.post("/v1/intake/email", content=raw, headers=RFC822)
            assert answer.status_code == status, f"{name}: {answer.text}"
            if status >= 400:
                error = answer.json()["error"]
                assert error["message"] and error["code"] != "internal_error", name
            ports.add(local_port(answer))
    assert len(ports) == 1
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


def test_a_client_that_leaves_mid_body_is_no_server_error(
    base_url: str, auth: dict[str, str], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="deskroute.api.errors")
    host, port = base_url.removeprefix("http://").split(":")
    request = (
        f"POST /v1/intake/email HTTP/1.1\r\nHost: {host}\r\n"
        f"Authorization: {auth['Authorization']}\r\nContent-Type: message/rfc822\r\n"
        "Content-Length: 1000\r\n\r\nFrom: a@example.com\n"
    )
    with socket.create_connection((host, int(port))) as sock:
        sock.sendall(request.encode())
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and not any("left" in r.message for r in caplog.records):
        time.sleep(0.05)
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
