"""The helpdesk's webhook, as a real HTTP server on loopback: it records the idempotency key of
every event it accepts, and answers 503 while `down` is set (the simulation sets it for ten
simulated minutes of the day)."""

from __future__ import annotations

import json
import threading
from collections import Counter
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

KEY_HEADERS = ("Idempotency-Key", "X-DeskRoute-Event-Id", "X-DeskRoute-Idempotency-Key")


@dataclass
class Received:
    keys: Counter[str] = field(default_factory=Counter)
    """Accepted deliveries per idempotency key (more than one: a redelivery)."""
    refused: int = 0
    """Requests answered 503 while down."""
    down: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)


def _key(headers: Any, body: bytes) -> str:
    for name in KEY_HEADERS:
        if value := headers.get(name):
            return str(value)
    event = json.loads(body)
    return str(event.get("key") or event.get("id"))


def _handler(received: Received) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - the name http.server calls
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            if received.down.is_set():
                with received.lock:
                    received.refused += 1
                self.send_response(503)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            key = _key(self.headers, body)
            with received.lock:
                received.keys[key] += 1
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            """Quiet: thousands of deliveries a day."""

    return Handler


class Receiver:
    """A `ThreadingHTTPServer` on 127.0.0.1 (a free port) in a daemon thread."""

    def __init__(self) -> None:
        self.received = Received()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self.received))
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/events"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> Receiver:
        self.thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
