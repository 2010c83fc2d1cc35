"""LLM failures the workflow handles (kept free of provider imports, so the embedded path
never loads provider clients)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any, Literal

from pydantic import BaseModel

from deskroute.errors import ClassifierError, WorkflowError

FailureKind = Literal[
    "timeout",
    "refused",
    "rate_limited",
    "server_error",
    "rejected",
    "unusable",
    "no_method",
    "circuit_open",
]
"""Why a provider call failed, in the classes an operator acts on differently."""

FAILURE_MEANING: dict[FailureKind, str] = {
    "timeout": "no answer within DESKROUTE_LLM_TIMEOUT_S: the server is slow or busy; "
    "raise the timeout for a small local server",
    "refused": "no connection (refused, reset or unknown host): is the server running at "
    "DESKROUTE_LLM_BASE_URL?",
    "rate_limited": "the server answered 429 (too many requests)",
    "server_error": "the server answered 5xx: see its log",
    "rejected": "the server refused the request (4xx): the model name, key or request",
    "unusable": "the server answered 200 with something that is not a chat answer",
    "no_method": "the server answered, but refused every structured-output method",
    "circuit_open": "not sent: the circuit breaker had opened after repeated failures",
}


class FailureCount(BaseModel):
    kind: FailureKind
    count: int
    meaning: str
    first_error: str
    """The first error of this kind, as the client reported it."""


def count_failures(failures: Iterable[tuple[FailureKind, str]]) -> list[FailureCount]:
    """(kind, error) pairs counted by kind, most frequent first."""
    counts: Counter[FailureKind] = Counter()
    first: dict[FailureKind, str] = {}
    for kind, error in failures:
        counts[kind] += 1
        first.setdefault(kind, error[:300])
    return [
        FailureCount(kind=kind, count=n, meaning=FAILURE_MEANING[kind], first_error=first[kind])
        for kind, n in counts.most_common()
    ]


class LLMUnavailable(WorkflowError):
    """The provider cannot answer now; the caller takes the embedded path instead. `kind` says
    why, for the operator."""

    def __init__(self, message: str, *, kind: FailureKind) -> None:
        super().__init__(message)
        self.kind: FailureKind = kind


class LLMRejected(LLMUnavailable):
    """The provider refused this request (4xx other than 429): retrying cannot help, and the
    embedded path answers instead."""

    def __init__(self, message: str) -> None:
        super().__init__(message, kind="rejected")


class UnusableAnswer(Exception):
    """The server answered 200 with something no client can read (not UTF-8, not JSON, not a
    chat answer). Raised inside the provider client; a provider failure like a timeout."""


class InvalidAnswer(ClassifierError):
    """The model answered invalid output twice; carries the usage for the outcome record."""

    def __init__(self, message: str, answer: Any) -> None:
        super().__init__(message)
        self.answer = answer
