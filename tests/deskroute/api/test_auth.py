"""API keys and signed webhooks; every failure is the same 401."""

from __future__ import annotations

import hashlib
import json
import logging
import time
from pathlib import Path

import httpx
import pytest
from helpers import local_port
from pydantic import SecretStr

from deskroute.api.auth import SIGNATURE_HEADER, TIMESTAMP_HEADER, Credentials, sign
from deskroute.errors import ConfigError
from deskroute.settings import Settings

UNAUTHORIZED = {
    "error": {"code": "unauthorized", "message": "missing or invalid credentials", "field": None}
}


@pytest.fixture
def secret(api_settings: Settings) -> str:
    assert api_settings.webhook_secrets is not None
    return api_settings.webhook_secrets.get_secret_value().partition("=")[2]


def _signed(body: bytes, secret: str, *, timestamp: int | None = None) -> dict:
    stamp = str(int(time.time()) if timestamp is None else timestamp)
    return {
        TIMESTAMP_HEADER: stamp,
        SIGNATURE_HEADER: sign(secret, stamp, body),
        "Content-Type": "application/json",
    }


@pytest.mark.parametrize(
    "headers",
    [{}, {"Authorization": "Bearer wrong"}, {"Authorization": "Basic dGVzdDp0ZXN0"}],
    ids=["missing", "wrong key", "wrong scheme"],
)
def test_bad_or_missing_key_is_401_without_a_hint(base_url: str, headers: dict) -> None:
    for method, path in (("POST", "/v1/tickets"), ("GET", "/v1/outcomes")):
        answer = httpx.request(method, f"{base_url}{path}", json={"body": "x"}, headers=headers)
        assert answer.status_code == 401 and answer.json() == UNAUTHORIZED
        assert answer.headers["WWW-Authenticate"] == "Bearer"


def test_any_configured_key_works(base_url: str) -> None:
    answer = httpx.get(f"{base_url}/v1/outcomes", headers={"Authorization": "Bearer other-key"})
    assert answer.status_code == 200


def test_signed_webhook_is_accepted(base_url: str, customer: str, secret: str) -> None:
    body = json.dumps({"body": "Export to CSV fails", "customer_email": customer}).encode()
    answer = httpx.post(f"{base_url}/v1/tickets", content=body, headers=_signed(body, secret))
    assert answer.status_code == 202


@pytest.mark.parametrize("attack", ["tampered", "replayed", "future", "wrong secret", "garbage"])
def test_bad_signatures_are_401(base_url: str, customer: str, secret: str, attack: str) -> None:
    body = json.dumps({"body": "Refund my last invoice", "customer_email": customer}).encode()
    headers = _signed(body, secret)
    if attack == "tampered":
        body = body.replace(b"Refund", b"Delete")
    elif attack == "replayed":
        headers = _signed(body, secret, timestamp=int(time.time()) - 301)
    elif attack == "future":
        headers = _signed(body, secret, timestamp=int(time.time()) + 320)
    elif attack == "wrong secret":
        headers = _signed(body, "guess")
    else:
        headers[TIMESTAMP_HEADER] = "١٢٣".encode()  # type: ignore[assignment]  # UTF-8 digits
    answer = httpx.post(f"{base_url}/v1/tickets", content=body, headers=headers)
    assert answer.status_code == 401 and answer.json() == UNAUTHORIZED


def test_serving_without_credentials_is_refused(settings: Settings) -> None:
    with pytest.raises(ConfigError, match="no API keys configured"):
        Credentials.from_settings(settings)
    assert Credentials.from_settings(settings.model_copy(update={"insecure_no_auth": True}))


def test_keys_file_holds_keys_or_their_digests(settings: Settings, tmp_path: Path) -> None:
    keys = tmp_path / "keys"
    digest = hashlib.sha256(b"second-key").hexdigest()
    keys.write_text(f"# bots\nfirst-key\nsha256:{digest}\n", encoding="utf-8")
    credentials = Credentials.from_settings(settings.model_copy(update={"api_keys_file": keys}))
    assert credentials.check_bearer("first-key").name != credentials.check_bearer("second-key").name
    assert b"first-key" not in repr(credentials).encode()
    keys.write_text("sha256:zz\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="line 1"):
        Credentials.from_settings(settings.model_copy(update={"api_keys_file": keys}))


def test_keys_never_show_in_settings_repr() -> None:
    settings = Settings(api_keys=SecretStr("top-secret"), webhook_secrets=SecretStr("a=b"))
    assert "top-secret" not in repr(settings) and "a=b" not in repr(settings)


def _now() -> str:
    return str(int(time.time()))


@pytest.mark.parametrize(
    ("headers", "status", "field"),
    [
        ({TIMESTAMP_HEADER: "9" * 5000, SIGNATURE_HEADER: "sha256=" + "0" * 64}, 401, None),
        ({TIMESTAMP_HEADER: "1e6", SIGNATURE_HEADER: "sha256=" + "0" * 64}, 401, None),
        ({TIMESTAMP_HEADER: "\xe9".encode("latin-1"), SIGNATURE_HEADER: "sha256=00"}, 401, None),
        ({TIMESTAMP_HEADER: _now(), SIGNATURE_HEADER: "s" * 8000}, 401, None),
        ({TIMESTAMP_HEADER: _now(), SIGNATURE_HEADER: "sha256=\xe9".encode("latin-1")}, 401, None),
        ({TIMESTAMP_HEADER: _now()}, 401, None),
        ({"Authorization": "Bearer " + "k" * 8000}, 401, None),
        ({"Authorization": "Bearer \xe9\xff".encode("latin-1")}, 401, None),
        ({"Authorization": "Basic \xff".encode("latin-1")}, 401, None),
        ({"Authorization": "Bearer " + "9" * 5000}, 401, None),
        ({"Idempotency-Key": "k" * 8000}, 422, "Idempotency-Key"),
        ({"Idempotency-Key": "\xe9t\xe9".encode("latin-1")}, 422, "Idempotency-Key"),
        ({"Idempotency-Key": "two words"}, 422, "Idempotency-Key"),
    ],
    ids=[
        "timestamp of 5000 digits",
        "timestamp not digits",
        "timestamp latin-1",
        "signature oversized",
        "signature latin-1",
        "timestamp without signature",
        "bearer oversized",
        "bearer latin-1",
        "basic latin-1",
        "bearer of 5000 digits",
        "idempotency key oversized",
        "idempotency key latin-1",
        "idempotency key with a space",
    ],
)
def test_garbage_headers_are_a_clean_4xx(
    base_url: str,
    auth: dict[str, str],
    customer: str,
    headers: dict,
    status: int,
    field: str | None,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Any value of any header, unauthenticated or not, is a 4xx in the usual error shape;
    nothing is logged as an error, and the connection stays open for the next request.
    (The 422 cases carry a valid key: they are about the headers of an accepted caller.)"""
    if status == 422:
        headers = {**auth, **headers}
    body = json.dumps({"body": "Export fails", "customer_email": customer}).encode()
    with httpx.Client(base_url=base_url, timeout=30) as client:
        answer = client.post(
            "/v1/tickets", content=body, headers={"Content-Type": "application/json", **headers}
        )
        assert answer.status_code == status, answer.text
        error = answer.json()["error"]
        assert set(error) == {"code", "message", "field"} and error["field"] == field
        if status == 401:
            assert answer.json() == UNAUTHORIZED
        again = client.get("/healthz")
        assert again.status_code == 200
        assert local_port(again) == local_port(answer)  # the same keep-alive connection
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
