"""One real server for the API tests: the app under uvicorn on a loopback port, real SQLite.

Tests share it, so each uses its own customers and external ids."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from helpers import serving
from pydantic import SecretStr

from deskroute.api.app import create_app
from deskroute.settings import Settings

API_KEY = "test-key-7f3a"
AUTH = {"Authorization": f"Bearer {API_KEY}"}


@pytest.fixture(scope="session")
def api_settings(tmp_path_factory: pytest.TempPathFactory, demo_model: Path) -> Settings:
    home = tmp_path_factory.mktemp("api-home")
    return Settings(
        home=home,
        model_path=demo_model,
        api_keys=SecretStr(f"other-key, {API_KEY}"),
        webhook_secrets=SecretStr("mailbot=mailbot-secret-91c2"),
        max_request_bytes=64_000,
        routing_poll_seconds=0.05,
    )


@pytest.fixture(scope="session")
def app(api_settings: Settings) -> FastAPI:
    return create_app(api_settings)


@pytest.fixture(scope="session")
def base_url(app: FastAPI) -> Iterator[str]:
    with serving(app) as url:
        yield url


@pytest.fixture
def serve() -> Iterator[Callable[[FastAPI], str]]:
    """Serves an app of the test's own (other settings or dependencies) until the test ends."""
    with ExitStack() as stack:
        yield lambda app: stack.enter_context(serving(app))


@pytest.fixture
def any_store_base_url(api_settings: Settings, database_url: str) -> Iterator[str]:
    """A server of its own on each supported database in turn (SQLite, PostgreSQL)."""
    app = create_app(api_settings.model_copy(update={"database_url": database_url}))
    with serving(app) as url:
        yield url
    app.state.ws.engine.dispose()


@pytest.fixture(scope="session")
def auth() -> dict[str, str]:
    return dict(AUTH)


@pytest.fixture
def http(base_url: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=base_url, headers=AUTH, timeout=30) as client:
        yield client


@pytest.fixture
def customer() -> str:
    """An e-mail address no other test uses (an unknown customer is fine)."""
    return f"c-{uuid.uuid4().hex[:10]}@example.com"


@pytest.fixture
def routed(http: httpx.Client) -> Callable[[str], dict[str, Any]]:
    """Waits until a ticket has its outcome; returns the ticket as `GET` shows it."""

    def wait(ticket_id: str, seconds: float = 20) -> dict[str, Any]:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            ticket: dict[str, Any] = http.get(f"/v1/tickets/{ticket_id}").json()
            if ticket["outcome"] is not None:
                return ticket
            time.sleep(0.05)
        raise AssertionError(f"ticket {ticket_id} was not routed in {seconds} s")

    return wait
