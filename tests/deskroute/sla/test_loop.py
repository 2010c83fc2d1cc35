"""The sweep as `deskroute serve` runs it: a loop in the keeper process, at most a minute
apart."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from pydantic import ValidationError

from deskroute.background import LOOPS
from deskroute.runtime import Workspace
from deskroute.settings import Settings
from deskroute.sla import sweep
from deskroute.sla.status import ticket_sla


class OneTurn(threading.Event):
    """Stops the loop at its first wait, and remembers how long it was asked to wait."""

    waited: float | None = None

    def wait(self, timeout: float | None = None) -> bool:
        self.waited = timeout
        self.set()
        return True


def test_the_loop_sweeps_then_waits_its_interval(
    workspace: Workspace, make_ticket: Callable[..., str]
) -> None:
    ticket = make_ticket(received=datetime(2026, 3, 2, 8, tzinfo=UTC))  # long overdue
    stop = OneTurn()
    sweep.loop(workspace, stop)
    assert ticket_sla(workspace, ticket).state == "breached"  # type: ignore[union-attr]
    assert stop.waited == workspace.settings.sla_sweep_seconds == 30
    assert ("sla-sweep", sweep.loop) in LOOPS


def test_the_interval_is_at_most_a_minute(tmp_path) -> None:
    with pytest.raises(ValidationError, match="sla_sweep_seconds"):
        Settings(home=tmp_path, sla_sweep_seconds=61)
