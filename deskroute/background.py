"""The loops that keep tickets moving after routing (assignment, SLA sweep, outbox delivery)
and watch the routing figures (alerts).

`deskroute serve` runs them in one process of their own, a thread each; each loop also has a
CLI command for cron (`deskroute sla sweep`, ...). A loop must survive its own errors: it logs
them and tries again on its next turn.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence

from deskroute.alerts import loop as alerts
from deskroute.assignment.loop import assigner_loop
from deskroute.runtime import Workspace
from deskroute.sla import sweep

log = logging.getLogger(__name__)

Loop = Callable[[Workspace, threading.Event], None]
"""Runs until the event is set."""


def _outbox(ws: Workspace, stop: threading.Event) -> None:
    from deskroute.outbox.loop import loop  # httpx and the outbox load in the keeper only

    loop(ws, stop)


LOOPS: Sequence[tuple[str, Loop]] = (
    ("assigner", assigner_loop),
    ("sla-sweep", sweep.loop),
    ("outbox", _outbox),
    ("alerts", alerts.loop),
)
"""Every loop `serve` runs, by name."""


def run_loops(ws: Workspace, stop: threading.Event, loops: Sequence[tuple[str, Loop]]) -> None:
    """Run every loop in a thread of its own until `stop` is set."""
    threads = [
        threading.Thread(target=loop, args=(ws, stop), name=f"deskroute-{name}", daemon=True)
        for name, loop in loops
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
