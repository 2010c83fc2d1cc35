"""`?wait=` is a limit, not a promise: a request answers by its deadline however long routing
takes, and the routing it started still finishes, once, and is stored."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import httpx
import pytest
from fastapi import FastAPI
from pydantic import SecretStr

from deskroute.api.app import create_app
from deskroute.classify.base import Classifier
from deskroute.models.classification import ClassifierResult, ClassifierSource
from deskroute.models.ticket import TicketView
from deskroute.settings import Settings

ROUTING_S = 4.0


class SlowClassifier:
    """The workspace's own classifier, taking `seconds` longer for every ticket (as a slow
    LLM stage would)."""

    def __init__(self, inner: Classifier, seconds: float) -> None:
        self.inner = inner
        self.seconds = seconds

    @property
    def source(self) -> ClassifierSource:
        return self.inner.source

    @property
    def version(self) -> str:
        return self.inner.version

    def classify(self, ticket: TicketView) -> ClassifierResult:
        time.sleep(self.seconds)
        return self.inner.classify(ticket)


@pytest.mark.parametrize(
    "route_in_background",
    [True, False],
    ids=["with-routing-thread", "served-http-worker"],
)
def test_wait_answers_at_its_deadline_and_routing_goes_on(
    settings: Settings,
    serve: Callable[[FastAPI], str],
    auth: dict[str, str],
    route_in_background: bool,
) -> None:
    key = auth["Authorization"].removeprefix("Bearer ")
    app = create_app(
        settings.model_copy(update={"api_keys": SecretStr(key), "routing_poll_seconds": 0.05}),
        route_in_background=route_in_background,
    )
    cascade = app.state.ws.deps.cascade
    cascade.local = SlowClassifier(cascade.local, ROUTING_S)
    health: list[float] = []

    def probe_health(base_url: str) -> None:
        time.sleep(0.3)  # while the request below waits
        assert httpx.get(f"{base_url}/healthz").json() == {"status": "ok"}
        health.append(time.monotonic())

    with httpx.Client(base_url=serve(app), headers=auth, timeout=30) as http:
        prober = threading.Thread(target=probe_health, args=(str(http.base_url),))
        prober.start()
        started = time.monotonic()
        sent = http.post("/v1/tickets?wait=1", json={"body": "Please resend invoice INV-2026-0101"})
        answered = time.monotonic() - started
        prober.join()
        assert sent.status_code == 202, sent.text
        accepted = sent.json()
        assert accepted["outcome"] is None and accepted["created"] is True
        assert accepted["status"] == "routing"  # claimed: the run is under way
        assert 1.0 <= answered < 2.0, answered
        # The server answered another request while this one waited (not after it).
        assert health and health[0] < started + answered, (health, started, answered)

        ticket_id = accepted["ticket_id"]
        deadline = time.monotonic() + ROUTING_S + 20
        while (ticket := http.get(f"/v1/tickets/{ticket_id}").json())["outcome"] is None:
            assert time.monotonic() < deadline, "the routing the request started was lost"
            time.sleep(0.1)
        assert ticket["status"] in ("routed", "escalated")
        assert ticket["outcome"]["category"] == "billing"
        listed = http.get("/v1/outcomes").json()["items"]
        assert [item["ticket_id"] for item in listed] == [ticket_id]  # routed once
