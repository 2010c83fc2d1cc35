"""Helpers of the outbox tests: a notifications policy with short timeouts, a controllable
clock that drives `deliver_due`, and events queued as other parts would queue them."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from helpers import edit_yaml
from webhook_receiver import Receiver

from deskroute.outbox.deliver import DeliveryReport, Dispatcher, deliver_due
from deskroute.runtime import Workspace
from deskroute.store.db import transaction
from deskroute.store.outbox import add_event

T0 = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
SECRET = "helpdesk-secret-for-tests"


def tune(path: Path, **retry: Any) -> None:
    """Short timeouts for tests (a stalled receiver costs a fraction of a second)."""

    def change(data: dict[str, Any]) -> None:
        data["timeout_seconds"] = 0.2
        data["retry"] = {
            "max_attempts": 12,
            "base_seconds": 1,
            "cap_seconds": 30,
            "keep_trying_minutes": 60,
            **retry,
        }

    edit_yaml(path / "notifications.yaml", change)


class Clock:
    """Drives delivery passes at chosen times; the receivers see the same clock."""

    def __init__(self, ws: Workspace, env: dict[str, str], receivers: list[Receiver]) -> None:
        self.ws = ws
        self.env = env
        self.receivers = receivers
        self.now = T0
        self.dispatcher = Dispatcher(rng=random.Random(7))
        self.reports: list[DeliveryReport] = []

    def tick(self, seconds: float = 0.0) -> DeliveryReport:
        self.now += timedelta(seconds=seconds)
        for receiver in self.receivers:
            receiver.clock = self.now
        report = deliver_due(self.ws, now=self.now, dispatcher=self.dispatcher, environ=self.env)
        self.reports.append(report)
        return report

    def run(self, *, seconds: float, step: float, until: Callable[[], bool] | None = None) -> None:
        end = self.now + timedelta(seconds=seconds)
        while self.now < end:
            self.tick(step)
            if until is not None and until():
                return


def queue_events(ws: Workspace, kind: str, count: int, **payload: Any) -> list[str]:
    """Events as another part (assignment, SLA clocks) would add them; returns their keys."""
    keys = []
    with transaction(ws.engine) as session:
        for i in range(count):
            event = add_event(
                session,
                kind=kind,
                ticket_id=None,
                payload={"n": i, **payload},
                at=T0,  # type: ignore[arg-type]
            )
            keys.append(event.key)
    return keys


def set_retry(ws: Workspace, **changes: Any) -> None:
    """Change the open workspace's retry policy (the file is read once, when it opens)."""
    notifications = ws.policies.notifications
    retry = notifications.retry.model_copy(update=changes)
    ws.policies = ws.policies.model_copy(
        update={"notifications": notifications.model_copy(update={"retry": retry})}
    )
