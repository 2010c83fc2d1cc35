"""Bad input is a clear 4xx with `{error: {code, message, field}}`, never a 500."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator

import httpx
import pytest
from helpers import local_port, serving

from deskroute.api.app import create_app
from deskroute.settings import Settings


def _error(answer: httpx.Response, status: int) -> dict:
    assert answer.status_code == status, answer.text
    error: dict = answer.json()["error"]
    assert set(error) == {"code", "message", "field"} and error["message"]
    return error


def test_invalid_json(http: httpx.Client) -> None:
    error = _error(
        http.post(
            "/v1/tickets", content=b'{"body": ', headers={"Content-Type": "application/json"}
        ),
        400,
    )
    assert error["code"] == "invalid_json"


def test_body_that_is_not_utf8(http: httpx.Client) -> None:
    answer = http.post(
        "/v1/tickets", content=b'{"body": "caf\xe9"}', headers={"Content-Type": "application/json"}
    )
    error = _error(answer, 400)
    assert error["code"] == "not_utf8"
    assert error["message"].startswith("the body is not UTF-8 text (byte 0xe9 at offset 13)")
    declared = http.post(
        "/v1/intake/chat",
        content='{"messages": [{"role": "customer", "text": "Währung"}]}'.encode("latin-1"),
        headers={"Content-Type": "application/json; charset=latin-1"},
    )
    error = _error(declared, 400)
    assert error["code"] == "not_utf8" and "declares charset=latin-1" in error["message"]


@pytest.mark.parametrize(
    ("ticket", "field", "code"),
    [
        ({"body": 42}, "body", "string_type"),
        ({"body": "hi", "channel": "fax"}, "channel", "enum"),
        ({"body": "hi", "priority": "high"}, "priority", "unknown_field"),
        ({"body": "hi", "metadata": []}, "metadata", "dict_type"),
        ({"body": "hi", "customer_id": "12"}, "customer_id", "bad_format"),
        (
            {"body": "hi", "customer_email": "not-an-address"},
            "customer_email",
            "string_pattern_mismatch",
        ),
        ({"body": "hi", "created_at": "0001-01-01T00:00:00+05:00"}, "created_at", "out_of_range"),
    ],
)
def test_wrong_fields_are_named(http: httpx.Client, ticket: dict, field: str, code: str) -> None:
    error = _error(http.post("/v1/tickets", json=ticket), 422)
    assert (error["field"], error["code"]) == (field, code)


def test_a_body_that_is_not_an_object_is_not_blamed_on_a_field(http: httpx.Client) -> None:
    error = _error(http.post("/v1/tickets", json=[1, 2]), 422)
    assert (error["code"], error["field"]) == ("invalid_body", None)
    plain = http.post("/v1/tickets", content=b"hello", headers={"Content-Type": "text/plain"})
    assert _error(plain, 415)["code"] == "unsupported_media_type"


def test_empty_ticket(http: httpx.Client) -> None:
    assert "empty" in _error(http.post("/v1/tickets", json={"body": "  "}), 422)["message"]


def test_oversize_body_is_413_by_length_and_by_stream(http: httpx.Client) -> None:
    big = b'{"body": "' + b"x" * 70_000 + b'"}'
    declared = http.post("/v1/tickets", content=big, headers={"Content-Type": "application/json"})
    assert _error(declared, 413)["code"] == "too_large"

    def chunks() -> Iterator[bytes]:
        yield big[:40_000]
        yield big[40_000:]

    streamed = http.post(
        "/v1/tickets", content=chunks(), headers={"Content-Type": "application/json"}
    )
    assert _error(streamed, 413)["code"] == "too_large"


def test_unknown_route_and_method(http: httpx.Client) -> None:
    assert _error(http.get("/v2/nothing"), 404)["code"] == "not_found"
    assert _error(http.delete("/v1/tickets/tkt_x"), 405)["code"] == "method_not_allowed"


def test_bad_query_parameters(http: httpx.Client) -> None:
    assert _error(http.get("/v1/outcomes", params={"limit": 0}), 422)["field"] == "limit"
    assert _error(http.post("/v1/tickets?wait=99", json={"body": "x"}), 422)["field"] == "wait"
    assert (
        _error(http.get("/v1/outcomes", params={"since": "0001-01-01T00:00:00+05:00"}), 422)[
            "field"
        ]
        == "since"
    )


def test_nul_characters_are_dropped_or_refused_on_every_store(
    any_store_base_url: str, auth: dict[str, str], caplog: pytest.LogCaptureFixture
) -> None:
    """NUL cannot be stored in PostgreSQL text: in content it is dropped, in the URL it is a
    400 (a ticket id or filter never holds one); never a 500 with the ticket in the log."""
    with httpx.Client(base_url=any_store_base_url, headers=auth, timeout=30) as http:
        sent = http.post(
            "/v1/tickets",
            json={"subject": "CSV\u0000 export", "body": "fails\u0000", "external_id": "x\u0000"},
        )
        assert sent.status_code == 202, sent.text
        chat = http.post(
            "/v1/intake/chat",
            json={"messages": [{"role": "customer", "text": "2FA\u0000 codes rejected"}]},
        )
        assert chat.status_code == 202, chat.text
        email = http.post(
            "/v1/intake/email",
            content=b"From: ana@example.com\nSubject: Export\x00 stuck\n\nQueued\x00 for hours.\n",
            headers={"Content-Type": "message/rfc822"},
        )
        assert email.status_code == 202, email.text
        for answer in (sent, chat, email):
            ticket = http.get(f"/v1/tickets/{answer.json()['ticket_id']}").json()
            assert "\u0000" not in json.dumps(ticket) and "\\u0000" not in json.dumps(ticket)
        assert ticket["subject"] == "Export stuck" and ticket["body"] == "Queued for hours."
        for url, field in (
            ("/v1/tickets/tkt%00x", None),
            ("/v1/outcomes?category=billing%00", "category"),
            ("/v1/intake/email?source=mail%00bot", "source"),
        ):
            error = _error(http.request("GET" if "email" not in url else "POST", url), 400)
            assert (error["code"], error["field"]) == ("nul_character", field)
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


def test_a_bug_is_one_logged_500_and_the_connection_stays_open(
    api_settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    app = create_app(api_settings, route_in_background=False)

    def broken() -> None:
        raise RuntimeError("a bug")

    app.add_api_route("/broken", broken)
    with serving(app) as url, httpx.Client(base_url=url, timeout=30) as client:
        answer = client.get("/broken")
        assert _error(answer, 500)["code"] == "internal_error"
        again = client.get("/healthz")
        assert again.status_code == 200
        assert local_port(again) == local_port(answer)  # the same keep-alive connection
    tracebacks = [r for r in caplog.records if r.exc_info]
    assert len(tracebacks) == 1 and "/broken" in tracebacks[0].getMessage()
