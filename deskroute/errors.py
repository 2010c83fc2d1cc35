"""Typed exception families.

Three kinds, handled differently at every boundary:
- `BadInputError` / `ConfigError`: the caller or an editor of `policies/` or `prompts/` made a
  mistake; the CLI exits with code 2 and the API answers 4xx, naming the field or file and key.
- `WorkflowError` subclasses: something the workflow turns into an escalation with a reason
  (a ticket never fails because of them).
- anything else is a bug: exit code 1 / HTTP 500, with the ticket kept for a human.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable


class DeskRouteError(Exception):
    """Base class for every error DeskRoute raises on purpose."""


class BadInputError(DeskRouteError):
    """Input that cannot be accepted, with the offending field named."""

    def __init__(self, message: str, *, field: str | None = None, code: str = "invalid") -> None:
        self.message = message
        self.field = field
        self.code = code
        super().__init__(f"{field}: {message}" if field else message)


class ConfigError(DeskRouteError):
    """A policy, prompt or settings file that does not validate; names the file and the key."""

    def __init__(self, message: str, *, file: str, key: str | None = None) -> None:
        self.message = message
        self.file = file
        self.key = key
        where = f"{file}: {key}" if key else file
        super().__init__(f"{where}: {message}")


class StoreSchemaError(ConfigError):
    """The store's schema is not the one this release runs on: older (upgrade it), unknown
    (a newer release made it) or not a DeskRoute store. `file` names the store."""


class WorkflowError(DeskRouteError):
    """An error inside the routing workflow that must end in an escalation, not a crash."""


class ClassifierError(WorkflowError):
    """The classifier could not produce a valid result (missing model, malformed output)."""


class ToolError(WorkflowError):
    """A specialist tool failed or was called with invalid arguments."""


class NotFoundError(DeskRouteError):
    """A requested record does not exist (exit code 2 in the CLI, 404 in the API)."""


class ConflictError(DeskRouteError):
    """The write would break an invariant, e.g. routing a ticket that already has an outcome.
    `field`: the input the conflict is about, when one is (a reused idempotency key)."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        self.field = field
        super().__init__(message)


def did_you_mean(word: str, known: Iterable[str]) -> str:
    """` (did you mean X?)` for the closest known name to a likely typo, or nothing."""
    close = difflib.get_close_matches(word, list(known), n=1)
    return f" (did you mean {close[0]}?)" if close else ""
