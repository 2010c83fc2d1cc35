"""The alerts loop `deskroute serve` runs (in its keeper process): a check every
`check_every_minutes` of `policies/alerts.yaml`."""

from __future__ import annotations

import logging
import threading

from deskroute.alerts.check import check_alerts
from deskroute.runtime import Workspace

log = logging.getLogger(__name__)


def loop(ws: Workspace, stop: threading.Event) -> None:
    """Check until `stop` is set; a failed check is logged and the next one tries again (an
    incident still under way is found then)."""
    policy = ws.policies.alerts
    while not stop.is_set():
        try:
            report = check_alerts(ws.engine, policy, now=ws.deps.clock())
        except Exception:  # noqa: BLE001 - the loop must outlive one bad check
            log.exception("the alerts check failed")
        else:
            for alert in report.raised:
                log.warning("alert %s (%s): %s", alert.rule, alert.key, alert.summary)
        stop.wait(policy.check_every_minutes * 60)
