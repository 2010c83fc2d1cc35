"""The outbox loop `deskroute serve` runs (in its keeper process): a delivery pass every
`outbox_poll_seconds`, at once again while passes come back full."""

from __future__ import annotations

import logging
import threading
from contextlib import closing

from deskroute.outbox.deliver import Dispatcher, deliver_due
from deskroute.runtime import Workspace

log = logging.getLogger(__name__)


def loop(ws: Workspace, stop: threading.Event) -> None:
    """Deliver until `stop` is set; a failed pass is logged and the next one tries again."""
    with closing(Dispatcher()) as dispatcher:
        _run(ws, stop, dispatcher)


def _run(ws: Workspace, stop: threading.Event, dispatcher: Dispatcher) -> None:
    told: list[str] | None = None
    while not stop.is_set():
        full = False
        try:
            report = deliver_due(ws, dispatcher=dispatcher)
            if report.off != told:  # say once, and again when it changes
                for line in report.off:
                    log.warning("outbox: %s", line)
                told = report.off
            full = report.attempts >= ws.settings.outbox_batch
        except Exception:  # noqa: BLE001 - a loop survives its errors; logged, tried again
            log.exception("outbox pass failed")
        if not full:
            stop.wait(ws.settings.outbox_poll_seconds)
