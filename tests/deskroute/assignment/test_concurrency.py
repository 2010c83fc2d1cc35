"""Concurrent assigners in real processes, on SQLite and on PostgreSQL: four processes offer
the same 40 waiting tickets, in orders of their own, at once, to three agents with three
places each. No agent ends over capacity, no ticket is given twice, and every ticket not
assigned waits with its reason."""

from __future__ import annotations

import multiprocessing
from collections import Counter

from assign_worker import NOW, run
from sqlmodel import Session, select

from deskroute.assignment.service import Assigner
from deskroute.policies import Policies
from deskroute.store.db import make_engine
from deskroute.store.tables import Assignment, AssignmentLog, OutboxEvent

from .conftest import new_agent, new_ticket

PROCESSES, TICKETS, AGENTS, CAPACITY = 4, 40, 3, 3


def test_no_agent_over_capacity_under_concurrent_assigners(
    database_url: str, policies: Policies
) -> None:
    desk = Assigner(engine=make_engine(database_url), policies=policies, clock=lambda: NOW)
    for n in range(AGENTS):
        new_agent(desk, f"agent-{n}", capacity=CAPACITY)
    ids = [new_ticket(desk) for _ in range(TICKETS)]
    # Forked like `deskroute serve`'s processes (no second start-up); each opens its own engine.
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    start = context.Barrier(PROCESSES)
    queue = context.Queue()
    processes = [
        context.Process(target=run, args=(database_url, policies, ids, seed, start, queue))
        for seed in range(PROCESSES)
    ]
    for process in processes:
        process.start()
    results = [queue.get(timeout=180) for _ in processes]
    for process in processes:
        process.join(10)
        assert process.exitcode == 0
    with Session(desk.engine) as session:
        rows = list(session.exec(select(Assignment)))
        given = list(session.exec(select(AssignmentLog).where(AssignmentLog.kind == "assigned")))
        announced = list(
            session.exec(select(OutboxEvent).where(OutboxEvent.kind == "ticket.assigned"))
        )
    load = Counter(r.agent_id for r in rows if r.state == "assigned")
    assert results == [TICKETS] * PROCESSES  # every process offered every ticket
    assert len(given) == len(announced) == AGENTS * CAPACITY
    assert sorted(load.values()) == [CAPACITY] * AGENTS
    assert len({g.ticket_id for g in given}) == len(given)  # no ticket given twice
    waiting = [r for r in rows if r.state == "waiting"]
    assert len(waiting) == TICKETS - AGENTS * CAPACITY
    assert {r.reason for r in waiting} == {"all_at_capacity"}
    desk.engine.dispose()
