"""Retries only where safe, with backoff; the circuit breaker opens and cools down."""

from __future__ import annotations

import httpx
import openai
import pytest

from deskroute.llm.resilience import CircuitBreaker, LLMRejected, LLMUnavailable, Resilient

REQUEST = httpx.Request("POST", "http://127.0.0.1:1/v1/chat/completions")


def status_error(code: int) -> openai.APIStatusError:
    response = httpx.Response(code, request=REQUEST, json={"error": "x"})
    cls = {
        429: openai.RateLimitError,
        500: openai.InternalServerError,
        400: openai.BadRequestError,
    }[code]
    return cls("boom", response=response, body=None)


class Flaky:
    def __init__(self, *failures: BaseException) -> None:
        self.failures = list(failures)
        self.calls = 0

    def __call__(self) -> str:
        self.calls += 1
        if self.failures:
            raise self.failures.pop(0)
        return "ok"


def resilient(retries: int = 2, failures: int = 3):
    clock = [0.0]
    sleeps: list[float] = []
    breaker = CircuitBreaker(failures, 60.0, clock=lambda: clock[0])
    return Resilient(breaker=breaker, retries=retries, sleep=sleeps.append), clock, sleeps


@pytest.mark.parametrize(
    "error", [status_error(429), status_error(500), openai.APIConnectionError(request=REQUEST)]
)
def test_retries_then_succeeds(error) -> None:
    run, _, sleeps = resilient()
    flaky = Flaky(error, error)
    assert run(flaky) == "ok" and flaky.calls == 3
    assert len(sleeps) == 2 and sleeps[1] > sleeps[0]  # exponential backoff


def test_bounded_retries_then_unavailable() -> None:
    run, _, _ = resilient(retries=2)
    flaky = Flaky(*[status_error(500)] * 5)
    with pytest.raises(LLMUnavailable):
        run(flaky)
    assert flaky.calls == 3


def test_timeouts_are_never_retried() -> None:
    run, _, sleeps = resilient()
    flaky = Flaky(openai.APITimeoutError(request=REQUEST))
    with pytest.raises(LLMUnavailable, match="timeout"):
        run(flaky)
    assert flaky.calls == 1 and sleeps == []


def test_client_errors_are_rejections() -> None:
    run, _, _ = resilient()
    flaky = Flaky(status_error(400))
    with pytest.raises(LLMRejected):
        run(flaky)
    assert flaky.calls == 1


def test_breaker_opens_and_cools_down() -> None:
    run, clock, _ = resilient(retries=0, failures=2)
    down = Flaky(*[openai.APIConnectionError(request=REQUEST)] * 10)
    for _ in range(2):
        with pytest.raises(LLMUnavailable):
            run(down)
    assert down.calls == 2
    with pytest.raises(LLMUnavailable, match="circuit open"):
        run(down)
    assert down.calls == 2  # open: the provider is not even tried
    clock[0] = 61.0
    healthy = Flaky()
    assert run(healthy) == "ok"  # half-open after the cool-down, closed again on success
    assert run.breaker.opened_at is None and run.breaker.consecutive == 0


def test_unknown_errors_propagate() -> None:
    run, _, _ = resilient()
    with pytest.raises(KeyError):
        run(Flaky(KeyError("bug")))
