"""The assigner loop of `deskroute serve`: waiting tickets are offered again every
`assign_poll_seconds`, so a ticket is assigned as soon as someone frees up or comes online
(and one missed after routing, by a crash, is caught)."""

from __future__ import annotations

import logging
import threading

from deskroute.assignment.service import assign_waiting
from deskroute.runtime import Workspace

log = logging.getLogger(__name__)


def assigner_loop(ws: Workspace, stop: threading.Event) -> None:
    """Run passes until `stop` is set; a failed pass is logged and the next one tries again.
    A pass that assigned a full batch runs again at once."""
    batch = 100
    while not stop.is_set():
        try:
            assigned = assign_waiting(ws, limit=batch)
        except Exception:  # noqa: BLE001 - a loop survives its errors; the next pass retries
            log.exception("an assignment pass failed")
            assigned = 0
        if assigned < batch:
            stop.wait(ws.settings.assign_poll_seconds)
