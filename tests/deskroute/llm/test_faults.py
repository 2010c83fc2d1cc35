"""Provider failures over real sockets: a closed port, a server that stalls past the timeout,
one that answers 429 or 500, one that returns malformed JSON. Every ticket still ends routed
or escalated with the right reason, and none is lost."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from sqlmodel import Session, func, select

from deskroute.runtime import open_workspace
from deskroute.service import route_new
from deskroute.store.tables import Outcome, Ticket

UNSURE = "Can you help me with the thing from yesterday?"
CLEAR = "How do I share a dashboard with my team?"


class FaultServer:
    """A real HTTP server on loopback that misbehaves in one way and counts requests."""

    def __init__(self, status: int = 200, body: bytes = b"", stall_s: float = 0.0) -> None:
        self.requests = 0
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                outer.requests += 1
                self.rfile.read(int(self.headers.get("Content-Length", 0)))
                if stall_s:
                    time.sleep(stall_s)
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *_args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/v1"

    def __enter__(self) -> FaultServer:
        self.thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


def closed_port_url() -> str:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}/v1"


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
