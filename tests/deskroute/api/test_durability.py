"""A real `deskroute serve`, killed with SIGKILL mid-batch and restarted: every accepted ticket
is routed exactly once, none lost, none twice."""

from __future__ import annotations

import os
import signal
import sqlite3
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
from helpers import free_port, start_server

KEY = "durability-key"
TICKETS = 40
KILL_AFTER = 20


def _ticket(i: int) -> dict[str, str]:
    return {
        "body": f"Scheduled report number {i} was not delivered this morning",
        "customer_email": f"durable-{i}@example.com",
        "source": "killtest",
        "external_id": f"k-{i}",
    }


def _post(client: httpx.Client, i: int) -> tuple[int, str | None]:
    try:
        answer = client.post("/v1/tickets", json=_ticket(i))
    except httpx.TransportError:
        return i, None  # in flight when the server died: the bot retries it later
    return i, answer.json()["ticket_id"] if answer.status_code in (200, 202) else None


def _counts(db: Path) -> tuple[int, int, list[int]]:
    with sqlite3.connect(db) as conn:
        tickets = conn.execute("SELECT COUNT(*) FROM tickets WHERE source='killtest'").fetchone()
        pending = conn.execute(
            "SELECT COUNT(*) FROM tickets WHERE source='killtest' "
            "AND status IN ('received', 'routing')"
        ).fetchone()
        per_ticket = conn.execute(
            "SELECT COUNT(o.id) FROM tickets t LEFT JOIN outcomes o ON o.ticket_id = t.id "
            "WHERE t.source='killtest' GROUP BY t.id"
        ).fetchall()
    return tickets[0], pending[0], [n for (n,) in per_ticket]


def test_killed_server_loses_and_doubles_nothing(tmp_path: Path, demo_model: Path) -> None:
    env = {
        **os.environ,
        "DESKROUTE_HOME": str(tmp_path / "home"),
        "DESKROUTE_MODEL_PATH": str(demo_model),
        "DESKROUTE_API_KEYS": KEY,
        "DESKROUTE_ROUTING_LEASE_SECONDS": "1",
        "DESKROUTE_ROUTING_POLL_SECONDS": "0.05",
    }
    db = tmp_path / "home" / "deskroute.db"
    port = free_port()
    log = tmp_path / "server.log"
    server = start_server(env, port, log)
    accepted: dict[int, str] = {}
    enough = threading.Event()
    base = f"http://127.0.0.1:{port}"
    with (
        httpx.Client(base_url=base, headers={"Authorization": f"Bearer {KEY}"}) as client,
        ThreadPoolExecutor(8) as pool,
    ):

        def post(i: int) -> None:
            number, ticket_id = _post(client, i)
            if ticket_id is not None:
                accepted[number] = ticket_id
                if len(accepted) >= KILL_AFTER:
                    enough.set()

        futures = [pool.submit(post, i) for i in range(TICKETS)]
        assert enough.wait(60), log.read_text()
        os.killpg(server.pid, signal.SIGKILL)
        server.wait(10)
        for future in futures:
            future.result()

    stored, pending, _ = _counts(db)
    assert stored >= len(accepted) and pending > 0  # the kill interrupted real work

    server = start_server(env, port, log)
    try:
        with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {KEY}"}) as client:
            retried = dict(_post(client, i) for i in range(TICKETS))  # the bot retries all
        assert all(retried[i] == ticket_id for i, ticket_id in accepted.items())
        deadline = time.monotonic() + 90
        while (counts := _counts(db))[1] and time.monotonic() < deadline:
            time.sleep(0.2)
        stored, pending, outcomes_per_ticket = counts
        assert (stored, pending) == (TICKETS, 0)
        assert outcomes_per_ticket == [1] * TICKETS
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(30)
