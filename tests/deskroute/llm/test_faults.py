"""Provider failures over real sockets: a closed port, a server that stalls past the timeout,
one that answers 429 or 500, one that returns malformed JSON, and one that answers 200 with
something unusable (not UTF-8, an HTML page, JSON of another shape). Every ticket still ends
routed or escalated with the right reason, and none is lost."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from llm_server import closed_port_url
from sqlmodel import Session, func, select

from deskroute.runtime import open_workspace
from deskroute.service import route_new
from deskroute.store.tables import Outcome, Ticket

UNSURE = "Can you help me with the thing from yesterday?"
CLEAR = "How do I share a dashboard with my team?"


class FaultServer:
    """A real HTTP server on loopback that misbehaves in one way and counts requests."""

    def __init__(
        self,
        status: int = 200,
        body: bytes = b"",
        stall_s: float = 0.0,
        content_type: str = "application/json",
    ) -> None:
        self.requests = 0
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                outer.requests += 1
                self.rfile.read(int(self.headers.get("Content-Length", 0)))
                if stall_s:
                    time.sleep(stall_s)
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *_args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"{self.root}/v1"

    @property
    def root(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self) -> FaultServer:
        self.thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


def route_batch(settings, url: str, **llm: object) -> Iterator[object]:
    ws = open_workspace(
        settings.model_copy(
            update={
                "llm": "openai-compatible:gemma",
                "llm_base_url": url,
                "llm_timeout_s": 0.5,
                "llm_max_retries": 1,
                **llm,
            }
        )
    )
    bodies = (UNSURE, CLEAR, UNSURE, CLEAR, UNSURE)
    records = [
        route_new(ws, {"body": body, "customer_id": f"C-100{i + 2}"})[1]
        for i, body in enumerate(bodies)
    ]  # distinct senders: no duplicates
    with Session(ws.engine) as session:
        assert session.exec(select(func.count()).select_from(Ticket)).one() == 5
        assert session.exec(select(func.count()).select_from(Outcome)).one() == 5
    return records


def check_embedded_path(records) -> None:
    for record in records:
        assert record.queue
        if record.classifier.category == "general" and not record.escalated:
            assert "share-dashboards" in (record.response or "")
        else:
            assert record.escalation_reasons == ["low_confidence"]
        assert any(call.outcome == "unavailable" for call in record.llm) or record.notes


def test_closed_port(settings) -> None:
    records = route_batch(settings, closed_port_url())
    check_embedded_path(records)
    assert "unavailable" in records[0].notes[0]


def test_stalling_server_times_out_without_retries(settings) -> None:
    with FaultServer(stall_s=3.0) as server:
        started = time.perf_counter()
        records = route_batch(settings, server.url)
        elapsed = time.perf_counter() - started
    check_embedded_path(records)
    assert server.requests == 3  # one per call until the breaker opened; never a retry
    assert elapsed < 10


@pytest.mark.parametrize("status", [429, 500])
def test_rate_limited_or_failing_server(settings, status: int) -> None:
    with FaultServer(status=status, body=b'{"error": {"message": "busy"}}') as server:
        records = route_batch(settings, server.url)
    check_embedded_path(records)
    assert 0 < server.requests <= 9  # bounded: the circuit opened after repeated failures


def test_malformed_json(settings) -> None:
    with FaultServer(body=b'{"choices": [ this is not json') as server:
        records = route_batch(settings, server.url)
    check_embedded_path(records)
    assert server.requests <= 9


# Answers with status 200 that no client can use: (body, content type, what the note says).
UNUSABLE = {
    "not-utf8": (b'{"choices": "caf\xe9 \xff\xfe"}', "application/json", "not UTF-8"),
    "html-page": (
        b"<html><body><h1>502 Bad Gateway</h1><p>nginx</p></body></html>",
        "text/html",
        "not JSON (text/html)",
    ),
    "wrong-shape": (b'{"status": "ok", "result": [1, 2]}', "application/json", "not a chat"),
    "no-choices": (b'{"choices": []}', "application/json", "not a chat"),
    "list": (b"[]", "application/json", "not a chat"),
    "content-not-text": (
        b'{"choices": [{"message": {"role": "assistant", "content": 5}}]}',
        "application/json",
        "not a chat",
    ),
}


@pytest.mark.parametrize("provider", ["openai-compatible", "ollama"])
@pytest.mark.parametrize("case", list(UNUSABLE))
def test_unusable_answer_is_a_provider_failure(settings, case: str, provider: str) -> None:
    body, content_type, why = UNUSABLE[case]
    with FaultServer(body=body, content_type=content_type) as server:
        ws = open_workspace(
            settings.model_copy(
                update={
                    "llm": f"{provider}:gemma",
                    "llm_base_url": server.url if provider != "ollama" else server.root,
                    "llm_timeout_s": 2.0,
                    "llm_max_retries": 1,
                }
            )
        )
        assert ws.deps.llm is not None
        breaker = ws.deps.llm.resilient.breaker
        # The classifier LLM: the local model's verdict stands (an unsure one escalates).
        _, unsure = route_new(ws, {"body": UNSURE, "customer_id": "C-1002"})
        assert unsure.escalation_reasons == ["low_confidence"] and unsure.queue != "triage"
        assert unsure.llm[0].role == "classifier" and unsure.llm[0].outcome == "unavailable"
        assert "classifier LLM unavailable" in unsure.notes[0] and why in unsure.notes[0]
        assert breaker.consecutive == 1
        # A specialist agent: the embedded reply answers.
        _, clear = route_new(ws, {"body": CLEAR, "customer_id": "C-1003"})
        assert not clear.escalated and "share-dashboards" in (clear.response or "")
        assert clear.llm == []
        assert any("general specialist LLM unavailable" in n and why in n for n in clear.notes)
        assert breaker.consecutive == 2
        assert server.requests == 2  # an unusable answer is never retried
