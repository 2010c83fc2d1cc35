"""What each process of the concurrent assignment tests runs (importable by spawned children)."""

from __future__ import annotations

import random
from datetime import UTC, datetime
from multiprocessing.queues import Queue
from multiprocessing.synchronize import Barrier

from deskroute.assignment.service import Assigner, assign
from deskroute.policies import Policies
from deskroute.store.db import make_engine

NOW = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)  # a Wednesday, noon UTC


def assign_all(
    url: str, policies: Policies, ticket_ids: list[str], seed: int, start: Barrier
) -> int:
    """Offer every ticket, in an order of this process's own, all processes at once; how many
    tickets it offered. The policies come from the parent: loading them in each child can
    take longer than a barrier should wait on a busy machine."""
    desk = Assigner(engine=make_engine(url), policies=policies, clock=lambda: NOW)
    order = list(ticket_ids)
    random.Random(seed).shuffle(order)
    start.wait(120)
    for ticket_id in order:
        assign(desk, ticket_id)
    desk.engine.dispose()
    return len(order)


def run(
    url: str,
    policies: Policies,
    ticket_ids: list[str],
    seed: int,
    start: Barrier,
    results: Queue[int],
) -> None:
    """`assign_all` in a process of its own; its count goes on `results`."""
    results.put(assign_all(url, policies, ticket_ids, seed, start))
