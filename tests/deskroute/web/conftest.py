"""One review app for the web tests, served by uvicorn on a loopback port over real SQLite,
with escalated tickets routed into it. Tests share it, so each signs in as a reviewer of its
own; a module whose tests decide tickets overrides `review_app` and `review_url` with a store
of its own (`new_review_app`)."""

from __future__ import annotations

import os
import re
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from helpers import CHROMIUM, serving
from pydantic import SecretStr

from deskroute.api.app import create_app
from deskroute.review.reviewers import add_reviewer
from deskroute.runtime import Workspace
from deskroute.service import route_new
from deskroute.settings import PROJECT_ROOT, Settings

PASSWORD = "correct horse battery"
SCRIPT_BODY = "The blue thing next to the other thing is weird <script>alert('x')</script>"
# Tickets the demo escalates, each for another reason; the last one carries markup.
ESCALATING = [
    {
        "subject": "Locked out",
        "body": "I lost my phone with the authenticator app",
        "customer_id": "C-1014",
    },
    {
        "subject": "Refund please",
        "body": "We were charged twice for invoice INV-2026-0101, please refund the duplicate.",
        "customer_id": "C-1001",
    },
    {
        "subject": "",
        "body": "I want to speak to a human, not a bot. This is the third time I write.",
        "customer_id": "C-1002",
    },
    {
        "subject": "Delete our data",
        "body": "Please delete all personal data you hold about our company under GDPR.",
        "customer_id": "C-1003",
    },
    {"subject": "Something <b>odd</b>", "body": SCRIPT_BODY, "customer_id": "C-1004"},
]
_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def make_review_app(home: Path, model: Path, tickets: list[dict[str, str]]) -> FastAPI:
    """An app over a fresh SQLite store in `home`, with `tickets` routed (each escalates)."""
    settings = Settings(home=home, model_path=model, api_keys=SecretStr("review-test-key-51c0"))
    app = create_app(settings, route_in_background=False)
    ws: Workspace = app.state.ws
    for ticket in tickets:
        _, outcome = route_new(ws, ticket)
        assert outcome.escalated, ticket
    return app


@pytest.fixture(scope="session")
def new_review_app(demo_model: Path) -> Callable[[Path, list[dict[str, str]]], FastAPI]:
    """Makes another app over a store of its own, for tests that decide tickets."""
    return lambda home, tickets: make_review_app(home, demo_model, tickets)


@pytest.fixture(scope="session")
def review_app(tmp_path_factory: pytest.TempPathFactory, demo_model: Path) -> FastAPI:
    return make_review_app(tmp_path_factory.mktemp("review-home"), demo_model, ESCALATING)


@pytest.fixture(scope="session")
def review_url(review_app: FastAPI) -> Iterator[str]:
    with serving(review_app) as url:
        yield url


@pytest.fixture(scope="session")
def password() -> str:
    """Every test reviewer's password."""
    return PASSWORD


@pytest.fixture
def reviewer(review_app: FastAPI) -> str:
    """A reviewer of this test's own (password `PASSWORD`)."""
    name = f"rv-{uuid.uuid4().hex[:8]}"
    add_reviewer(review_app.state.ws.engine, name=name, password=PASSWORD)
    return name


@pytest.fixture
def browser(review_url: str) -> Iterator[httpx.Client]:
    """An HTTP client that keeps cookies as a browser does and shows every redirect."""
    with httpx.Client(base_url=review_url, timeout=30, follow_redirects=False) as client:
        yield client


def _form_token(html: str) -> str:
    found = _TOKEN.search(html)
    if found is None:
        raise AssertionError("the page has no CSRF field")
    return found.group(1)


@pytest.fixture(scope="session")
def form_token() -> Callable[[str], str]:
    """The CSRF token of the (first) form on a page."""
    return _form_token


@pytest.fixture
def submit_sign_in() -> Callable[..., httpx.Response]:
    """Opens the sign-in form and posts it, as a person would."""

    def submit(client: httpx.Client, name: str, password: str, **extra: str) -> httpx.Response:
        form = client.get("/review/login", params={k: v for k, v in extra.items() if k == "next"})
        assert form.status_code == 200
        data = {"name": name, "password": password, "csrf_token": _form_token(form.text), **extra}
        return client.post("/review/login", data=data)

    return submit


@pytest.fixture
def signed_in(
    browser: httpx.Client, reviewer: str, submit_sign_in: Callable[..., httpx.Response]
) -> httpx.Client:
    """The browser client, signed in as the test's reviewer."""
    answer = submit_sign_in(browser, reviewer, PASSWORD)
    assert answer.status_code == 303, answer.text
    return browser


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    """A headless Chromium for one module's browser tests."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=["--no-sandbox"], headless=True
        )
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """Where screenshots go: `$DESKROUTE_TEST_ARTIFACTS`, else tests/artifacts/ (ignored)."""
    path = Path(os.environ.get("DESKROUTE_TEST_ARTIFACTS", PROJECT_ROOT / "tests" / "artifacts"))
    path.mkdir(parents=True, exist_ok=True)
    return path
