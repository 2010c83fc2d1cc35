"""The sweep: marks running clocks at risk or breached, each mark exactly once, with an outbox
event in the mark's own transaction, then reacts (`deskroute.sla.react`).

`deskroute serve` runs it every `sla_sweep_seconds` (`loop`); `deskroute sla sweep` runs it
once, for cron. Sweeps may overlap (two servers, or cron beside a server): a mark is a
conditional UPDATE, so only one of them stamps it and raises its event.
"""

from __future__ import annotations

import logging
import threading
from datetime import datetime

from pydantic import BaseModel
from sqlmodel import Session

from deskroute.runtime import Workspace
from deskroute.sla.clocks import ClockName, Mark
from deskroute.sla.react import Reaction, Transition, react
from deskroute.store import sla as sla_store
from deskroute.store.db import transaction
from deskroute.store.outbox import add_event

log = logging.getLogger(__name__)

BATCH = 500
"""Clocks read per round; a sweep goes on while rounds come back full."""


class Swept(BaseModel):
    transition: Transition
    reaction: Reaction


class SweepReport(BaseModel):
    now: datetime
    marked: list[Swept]
    """The marks this sweep raised (another sweep's marks are not repeated here)."""


def sweep(ws: Workspace, *, now: datetime | None = None) -> SweepReport:
    """Mark every running clock whose warning or breach is due at `now` (default: the
    workspace's clock) and not yet raised."""
    now = now or ws.deps.clock()
    marked: list[Swept] = []
    while True:
        with Session(ws.engine) as session:
            due = [
                (clock.ticket_id, sla_store.marks_due(clock, now=now))
                for clock in sla_store.due_marks(session, now=now, limit=BATCH)
            ]
        stamped = 0
        for ticket_id, marks in due:
            for clock, mark in marks:
                transition = _mark(ws, ticket_id=ticket_id, clock=clock, mark=mark, now=now)
                if transition is not None:
                    stamped += 1
                    marked.append(Swept(transition=transition, reaction=react(ws, transition)))
        if len(due) < BATCH or not stamped:
            return SweepReport(now=now, marked=marked)


def _mark(
    ws: Workspace, *, ticket_id: str, clock: ClockName, mark: Mark, now: datetime
) -> Transition | None:
    """Stamp one mark and queue its event in one transaction; None if another sweep (or an
    event that stopped the clock) came first."""
    with transaction(ws.engine) as session:
        row = sla_store.stamp(session, ticket_id=ticket_id, clock=clock, mark=mark, now=now)
        if row is None:
            return None
        transition = Transition(
            ticket_id=ticket_id,
            clock=clock,
            mark=mark,
            due=row.first_response_due if clock == "first_response" else row.resolution_due,
            priority=row.priority,  # type: ignore[arg-type]
            tier=row.tier,
            queue=row.queue,
            at=now,
        )
        add_event(
            session,
            kind="sla.at_risk" if mark == "at_risk" else "sla.breached",
            ticket_id=ticket_id,
            payload=transition.payload(),
            at=now,
        )
    return transition


def loop(ws: Workspace, stop: threading.Event) -> None:
    """Sweep every `sla_sweep_seconds` until `stop`; a failed sweep is logged and the next one
    tries again (what it had not marked is still due)."""
    while not stop.is_set():
        try:
            report = sweep(ws)
        except Exception:  # noqa: BLE001 - the loop must outlive one bad sweep
            log.exception("the SLA sweep failed")
        else:
            if report.marked:
                log.info("SLA sweep: %d clocks marked", len(report.marked))
        stop.wait(ws.settings.sla_sweep_seconds)
