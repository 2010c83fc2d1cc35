"""LLM failures the workflow handles (kept free of provider imports, so the embedded path
never loads provider clients)."""

from __future__ import annotations

from typing import Any

from deskroute.errors import ClassifierError, WorkflowError


class LLMUnavailable(WorkflowError):
    """The provider cannot answer now; the caller takes the embedded path instead."""


class LLMRejected(LLMUnavailable):
    """The provider refused this request (4xx other than 429): retrying cannot help, and the
    embedded path answers instead."""


class UnusableAnswer(Exception):
    """The server answered 200 with something no client can read (not UTF-8, not JSON, not a
    chat answer). Raised inside the provider client; a provider failure like a timeout."""


class InvalidAnswer(ClassifierError):
    """The model answered invalid output twice; carries the usage for the outcome record."""

    def __init__(self, message: str, answer: Any) -> None:
        super().__init__(message)
        self.answer = answer
