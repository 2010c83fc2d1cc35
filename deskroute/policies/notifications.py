"""The schema of `policies/notifications.yaml`: where decisions are delivered (helpdesk
webhooks, Slack), which events notify whom, and how deliveries are retried.

URLs and secrets are never in the file: it names the environment variables that hold them, so
the file can be shared and reviewed; a destination whose URL variable is unset is off."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Annotated, Literal, get_args

from pydantic import Field, StringConstraints

from deskroute.errors import did_you_mean
from deskroute.models.classification import EscalationReason
from deskroute.models.context import Sentiment, Tier
from deskroute.models.ownership import EventKind
from deskroute.policies.base import Priority, Strict

EVENT_KINDS: tuple[EventKind, ...] = get_args(EventKind)
EnvName = Annotated[str, StringConstraints(pattern=r"^[A-Z_][A-Z0-9_]*$")]
Identifier = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")]


class Destination(Strict):
    """One receiver. `webhook`: the event JSON, signed (the helpdesk write-back);
    `slack`: a Slack incoming webhook, sent a message a person can act on."""

    kind: Literal["webhook", "slack"]
    url_env: EnvName
    secret_env: EnvName | None = None
    """The HMAC-SHA256 key of the `X-DeskRoute-Signature` header; none: unsigned."""
    events: list[EventKind] | Literal["all"] | None = None
    """Events it gets whatever the rules say; default: all for a webhook, none for Slack."""
    min_interval_seconds: float | None = Field(default=None, ge=0)
    """The least time between two messages; default: 1 for Slack (its limit), 0 otherwise."""

    @property
    def interval(self) -> float:
        if self.min_interval_seconds is not None:
            return self.min_interval_seconds
        return 1.0 if self.kind == "slack" else 0.0

    def subscribed(self, kind: str) -> bool:
        wanted = (
            self.events if self.events is not None else ("all" if self.kind == "webhook" else [])
        )
        return wanted == "all" or kind in wanted


class When(Strict):
    """Every condition given must hold; a list holds when any of its values does."""

    events: list[EventKind] = Field(min_length=1)
    categories: list[Identifier] | None = None
    reasons: list[EscalationReason] | None = None
    tiers: list[Tier] | None = None
    sentiments: list[Sentiment] | None = None
    priorities: list[Priority] | None = None


class NotifyRule(Strict):
    name: str = Field(min_length=1)
    when: When
    to: list[Identifier] = Field(min_length=1)


class Retry(Strict):
    """Exponential backoff with full jitter: attempt n waits a random time up to
    min(cap, base * 2^(n-1)); a Retry-After answer is honoured instead."""

    max_attempts: int = Field(default=12, ge=1, le=100)
    base_seconds: float = Field(default=2.0, gt=0)
    cap_seconds: float = Field(default=300.0, gt=0)
    keep_trying_minutes: float = Field(default=60.0, ge=0)
    """A delivery is dead only after max_attempts AND this long since it was queued, so an
    outage shorter than this loses nothing, however the jitter falls."""


class Notifications(Strict):
    version: Literal[1] = 1
    timeout_seconds: float = Field(default=10.0, gt=0)
    """A receiver that has not answered by then has failed this attempt."""
    retry: Retry = Retry()
    destinations: dict[Identifier, Destination] = Field(default_factory=dict)
    notify: list[NotifyRule] = Field(default_factory=list)

    def problems(self, categories: Iterable[str]) -> Iterator[tuple[str, str]]:
        """(key, message) for each rule that names an unknown destination or category."""
        known = set(categories)
        for i, rule in enumerate(self.notify):
            for j, name in enumerate(rule.to):
                if name not in self.destinations:
                    yield (
                        f"notify[{i}].to[{j}]",
                        f"unknown destination {name!r}" + did_you_mean(name, self.destinations),
                    )
            for j, category in enumerate(rule.when.categories or []):
                if category not in known:
                    yield f"notify[{i}].when.categories[{j}]", f"unknown category {category!r}"
