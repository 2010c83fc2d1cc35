"""Bounded retries with backoff and a circuit breaker around provider calls.

Only failures that did not start a generation are retried (the server was unreachable, said
429, or failed with 5xx). A timeout is never retried: the server may still be generating, and
a single-request server (llama.cpp) would queue the retry behind it.
"""

from __future__ import annotations

import json
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

import httpx
import ollama
import openai

from deskroute.llm.errors import FailureKind, LLMRejected, LLMUnavailable, UnusableAnswer

T = TypeVar("T")

__all__ = [
    "CircuitBreaker",
    "LLMRejected",
    "LLMUnavailable",
    "Resilient",
    "classify_failure",
    "failure_kind",
]


_TIMEOUTS = (openai.APITimeoutError, httpx.TimeoutException, TimeoutError)
_CONNECTION = (openai.APIConnectionError, httpx.TransportError, ConnectionError)
_MALFORMED = (openai.APIResponseValidationError, json.JSONDecodeError, UnusableAnswer)


def is_connection_failure(exc: BaseException) -> bool:
    """The request never reached a working server (refused, reset, DNS)."""
    return isinstance(exc, _CONNECTION) and not isinstance(exc, _TIMEOUTS)


def classify_failure(exc: BaseException) -> str:
    """'timeout', 'malformed' (the response is not what the API promises), 'retry'
    (unreachable, 429, 5xx) or 'reject' (any other refusal)."""
    if isinstance(exc, _TIMEOUTS):
        return "timeout"
    if isinstance(exc, _MALFORMED):
        return "malformed"
    if isinstance(exc, _CONNECTION):
        return "retry"
    status = getattr(exc, "status_code", None)
    if status is None and isinstance(exc, openai.APIStatusError):
        status = exc.status_code
    if isinstance(exc, openai.APIStatusError | ollama.ResponseError) and status is not None:
        return "retry" if status == 429 or status >= 500 else "reject"
    raise exc


def failure_kind(exc: BaseException) -> FailureKind:
    """The operator's name for a provider failure (see `classify_failure` for what is
    retried); anything that is not a provider failure is re-raised."""
    kind = classify_failure(exc)
    if kind == "timeout":
        return "timeout"
    if kind == "malformed":
        return "unusable"
    if isinstance(exc, _CONNECTION):
        return "refused"
    status = getattr(exc, "status_code", None)
    if status == 429:
        return "rate_limited"
    return "server_error" if kind == "retry" else "rejected"


@dataclass
class CircuitBreaker:
    """Opens after `failures` consecutive failures; stays open for `cooldown_s` seconds."""

    failures: int
    cooldown_s: float
    clock: Callable[[], float] = time.monotonic
    consecutive: int = 0
    opened_at: float | None = None

    def allow(self) -> bool:
        if self.opened_at is None:
            return True
        if self.clock() - self.opened_at >= self.cooldown_s:
            self.opened_at = None  # half-open: one call may try again
            self.consecutive = self.failures - 1
            return True
        return False

    def record_success(self) -> None:
        self.consecutive, self.opened_at = 0, None

    def record_failure(self) -> None:
        self.consecutive += 1
        if self.consecutive >= self.failures:
            self.opened_at = self.clock()


@dataclass
class Resilient:
    """Runs provider calls through the breaker, retrying only what is safe to retry."""

    breaker: CircuitBreaker
    retries: int
    sleep: Callable[[float], None] = time.sleep
    base_delay: float = 0.5
    calls: int = field(default=0)

    def ensure_closed(self) -> None:
        """Raise `LLMUnavailable` while the circuit is open."""
        if not self.breaker.allow():
            raise LLMUnavailable(
                "the provider failed repeatedly; circuit open, using the "
                "embedded path until it cools down",
                kind="circuit_open",
            )

    def __call__(self, call: Callable[[], T], *, retry: bool = True) -> T:
        self.ensure_closed()
        attempts = self.retries + 1 if retry else 1
        attempt = 0
        while True:
            self.calls += 1
            try:
                result = call()
            except Exception as exc:  # noqa: BLE001 - classify_failure re-raises unknown errors
                kind = classify_failure(exc)
                if kind == "reject":
                    raise LLMRejected(f"{type(exc).__name__}: {exc}") from exc
                attempt += 1
                if kind in ("timeout", "malformed") or attempt >= attempts:
                    self.breaker.record_failure()
                    raise LLMUnavailable(
                        f"{kind}: {type(exc).__name__}: {exc}", kind=failure_kind(exc)
                    ) from exc
                self.sleep(self.base_delay * 2 ** (attempt - 1) * (1 + random.random() / 4))
                continue
            self.breaker.record_success()
            return result
