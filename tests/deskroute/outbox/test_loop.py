"""The loop `deskroute serve` runs in its keeper process delivers on its own."""

from __future__ import annotations

import threading

import pytest
from outbox_support import SECRET, queue_events
from webhook_receiver import Receiver

from deskroute.background import LOOPS
from deskroute.runtime import Workspace


def test_the_serve_loop_delivers_until_stopped(
    outbox_ws: Workspace, helpdesk: Receiver, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DESKROUTE_HELPDESK_WEBHOOK_URL", helpdesk.url)
    monkeypatch.setenv("DESKROUTE_HELPDESK_WEBHOOK_SECRET", SECRET)
    outbox_ws.settings = outbox_ws.settings.model_copy(update={"outbox_poll_seconds": 0.02})
    keys = queue_events(outbox_ws, "ticket.assigned", 3)
    stop = threading.Event()
    thread = threading.Thread(target=dict(LOOPS)["outbox"], args=(outbox_ws, stop))
    thread.start()
    try:
        for _ in range(250):
            if helpdesk.unique_keys() == set(keys):
                break
            stop.wait(0.02)
    finally:
        stop.set()
        thread.join(timeout=5)
    assert not thread.is_alive()
    assert helpdesk.unique_keys() == set(keys)
