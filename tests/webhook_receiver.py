"""A real HTTP receiver on loopback, as a helpdesk or Slack would run one: it verifies the
signature, processes each event once (deduplicating by Idempotency-Key), and can be scripted
to fail, stall, answer 429 or go down."""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass
from datetime import timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from deskroute.outbox.signing import verify_signature


@dataclass
class Seen:
    """One request as it arrived."""

    key: str
    kind: str
    timestamp: str
    body: bytes
    verified: bool | None
    """Whether the signature held (None: no secret, nothing to verify)."""
    answered: int | str


class Receiver:
    """Behaviours per request come from `plan` (first in, first used), then `ok`:
    `ok` (200), `500`, `400`, `stall` (processes, then answers after `stall_seconds`, by when
    the client has given up), `429:<seconds>` or `429:date:<seconds>` (Retry-After as an
    HTTP-date that many seconds after `clock`)."""

    def __init__(self, *, secret: str | None = None, stall_seconds: float = 0.6) -> None:
        self.secret = secret
        self.stall_seconds = stall_seconds
        self.plan: list[str] = []
        self.seen: list[Seen] = []
        self.processed: dict[str, int] = {}
        """How many times each key was processed (a stalled request is processed too)."""
        self.events: dict[str, dict[str, Any]] = {}
        """Each event once, by key: what the receiver keeps."""
        self.clock: Any = None
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self.port = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hook"

    def start(self) -> Receiver:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - the stdlib's name
                receiver.handle(self)

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
                return  # quiet: the test reads `seen`

        server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        server.daemon_threads = True
        server.block_on_close = False
        self.port = server.server_address[1]
        self._server = server
        threading.Thread(target=server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        """Go down: the port is closed until `start()` opens it again."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def unique_keys(self) -> set[str]:
        return set(self.events)

    def handle(self, request: BaseHTTPRequestHandler) -> None:
        body = request.rfile.read(int(request.headers.get("Content-Length", 0)))
        key = request.headers.get("Idempotency-Key", "")
        stamp = request.headers.get("X-DeskRoute-Timestamp", "")
        verified = None
        if self.secret is not None:
            verified = verify_signature(
                secret=self.secret,
                timestamp=stamp,
                body=body,
                signature=request.headers.get("X-DeskRoute-Signature", ""),
                tolerance_seconds=None,  # the test's clock is not this machine's
            )
        with self._lock:
            behaviour = self.plan.pop(0) if self.plan else "ok"
            self.seen.append(
                Seen(
                    key,
                    request.headers.get("X-DeskRoute-Event", ""),
                    stamp,
                    body,
                    verified,
                    behaviour,
                )
            )
        if verified is False:
            self._answer(request, 401, b"bad signature")
            return
        if behaviour in ("ok", "stall"):
            with self._lock:
                self.processed[key] = self.processed.get(key, 0) + 1
                self.events.setdefault(key, json.loads(body))  # a repeat changes nothing
            if behaviour == "stall":
                time.sleep(self.stall_seconds)
            self._answer(request, 200, b"ok")
        elif behaviour.startswith("429:date:"):
            when = self.clock + timedelta(seconds=float(behaviour.rsplit(":", 1)[1]))
            self._answer(
                request, 429, b"slow down", {"Retry-After": format_datetime(when, usegmt=True)}
            )
        elif behaviour.startswith("429:"):
            self._answer(request, 429, b"slow down", {"Retry-After": behaviour.split(":", 1)[1]})
        else:
            self._answer(request, int(behaviour), b"receiver says no: " + behaviour.encode())

    @staticmethod
    def _answer(
        request: BaseHTTPRequestHandler,
        status: int,
        body: bytes,
        headers: dict[str, str] | None = None,
    ) -> None:
        try:
            request.send_response(status)
            for name, value in (headers or {}).items():
                request.send_header(name, value)
            request.send_header("Content-Length", str(len(body)))
            request.end_headers()
            request.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            return  # the client gave up (a stall): it will send again
