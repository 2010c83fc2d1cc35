"""Two sweeps at once, on SQLite and PostgreSQL: every mark is stamped, and its event queued,
exactly once between them."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from sqlmodel import Session, select

from deskroute.runtime import Workspace
from deskroute.sla.sweep import SweepReport, sweep
from deskroute.store.tables import OutboxEvent

START = datetime(2026, 3, 2, 8, tzinfo=UTC)


def test_two_sweeps_raise_each_mark_once(
    any_store_workspace: Workspace, route_into: Callable[..., str]
) -> None:
    ws = any_store_workspace
    tickets = [route_into(ws, received=START, customer_id="C-1001") for _ in range(12)]
    now = START + timedelta(days=1)  # every clock at risk and breached
    barrier = threading.Barrier(2)
    reports: list[SweepReport] = []

    def run() -> None:
        barrier.wait()
        reports.append(sweep(ws, now=now))

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(reports) == 2
    raised = Counter(
        (m.transition.ticket_id, m.transition.clock, m.transition.mark)
        for report in reports
        for m in report.marked
    )
    assert len(raised) == 4 * len(tickets) and set(raised.values()) == {1}
    with Session(ws.engine) as session:
        queued = Counter(
            (e.ticket_id, e.kind, e.payload["clock"])
            for e in session.exec(select(OutboxEvent))
            if e.kind.startswith("sla.")
        )
    assert len(queued) == 4 * len(tickets) and set(queued.values()) == {1}
    assert sweep(ws, now=now).marked == []
