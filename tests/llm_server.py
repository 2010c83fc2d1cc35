"""A chat server on loopback for CLI tests: answers like an OpenAI-compatible server, or fails
in one way (an error status, a stall, an unusable body)."""

from __future__ import annotations

import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

MARKER = "Answer none when in doubt."


def _chat(category: str) -> bytes:
    verdict = {"category": category, "confidence": 0.9, "secondary": [], "rationale": "fits"}
    answer = {
        "choices": [{"message": {"role": "assistant", "content": json.dumps(verdict)}}],
        "usage": {"prompt_tokens": 100, "completion_tokens": 20},
    }
    return json.dumps(answer).encode()


class ChatServer:
    """An OpenAI-compatible server on loopback: lists one model, and answers each chat request
    with `status` and `body` after `stall_s` (a prompt carrying MARKER gets `none`)."""

    def __init__(
        self, status: int = 200, body: bytes = b"", stall_s: float = 0.0, content_type: str = ""
    ) -> None:
        outer = self
        self.requests = 0

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server's naming
                self._answer(200, b'{"data": [{"id": "gemma"}]}', "application/json")

            def do_POST(self) -> None:  # noqa: N802
                outer.requests += 1
                sent = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                if stall_s:
                    time.sleep(stall_s)
                answer = body or _chat("none" if MARKER.encode() in sent else "billing")
                self._answer(status, answer, content_type or "application/json")

            def _answer(self, code: int, payload: bytes, kind: str) -> None:
                try:
                    self.send_response(code)
                    self.send_header("Content-Type", kind)
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up waiting (the timeout case)

            def log_message(self, *_args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/v1"

    def __enter__(self) -> ChatServer:
        self.thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


def closed_port_url() -> str:
    """An OpenAI-compatible URL on a loopback port nothing listens on."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}/v1"
