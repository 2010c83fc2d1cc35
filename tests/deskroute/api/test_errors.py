"""Bad input is a clear 4xx with `{error: {code, message, field}}`, never a 500."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest


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
