"""The destinations of `policies/notifications.yaml` as they stand in this environment: on
(their URL variable is set) or off, with the URL and secret read from the environment."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

from deskroute.policies.notifications import Destination, Notifications


@dataclass(frozen=True)
class Target:
    """A destination that is on: where to send and how to sign."""

    name: str
    spec: Destination
    url: str
    secret: str | None


@dataclass(frozen=True)
class Destinations:
    on: dict[str, Target]
    off: dict[str, str]
    """Destinations that are off, with why (which variable is unset)."""

    def describe(self) -> list[str]:
        """One line per destination that is off, for logs and `outbox list`."""
        return [f"destination {name} is off: {why}" for name, why in self.off.items()]


def resolve(notifications: Notifications, environ: Mapping[str, str] | None = None) -> Destinations:
    """Read each destination's URL and secret from the environment (`os.environ` by default)."""
    env = os.environ if environ is None else environ
    on: dict[str, Target] = {}
    off: dict[str, str] = {}
    for name, spec in notifications.destinations.items():
        url = env.get(spec.url_env, "").strip()
        if not url:
            off[name] = f"{spec.url_env} is not set"
            continue
        secret = env.get(spec.secret_env, "") if spec.secret_env else ""
        if spec.secret_env and not secret:
            off[name] = f"{spec.secret_env} (its signing secret) is not set"
            continue
        on[name] = Target(name=name, spec=spec, url=url, secret=secret or None)
    return Destinations(on=on, off=off)
