"""Review across real processes: a real `deskroute serve`, on SQLite and on PostgreSQL.

- Runs paused for review survive `kill -9` of the server: after a restart on the same store
  a reviewer's approval resumes one, and its refund is made exactly once.
- Then two reviewers resolve each of the other paused tickets at the same moment: exactly one
  gets `200`, the other `409` naming the winner, and the refund is made once. 30 races on
  SQLite, 15 on PostgreSQL: each racing ticket is first routed and paused by the server, which
  costs more than its race; more races would mostly measure routing.

One server life per store for both (start-ups dominate the file's time).

Race tickets come from customers of their own (each with one invoice), added to the store
after the demo CRM was seeded, so every ticket proposes a refund nobody else can take.
"""

from __future__ import annotations

import os
import signal
import subprocess
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from helpers import free_port, start_server
from sqlalchemy import Engine, func
from sqlmodel import Session, select

from deskroute.store.db import make_engine, transaction
from deskroute.store.tables import Customer, Invoice, Refund
from deskroute.store.types import utcnow

KEY = "review-process-key"
AUTH = {"Authorization": f"Bearer {KEY}"}
REFUND = {
    "subject": "Refund please",
    "body": "Please refund invoice INV-2026-0181 in full, we never used the service.",
    "customer_id": "C-1023",
}
RACES = {"sqlite": 30, "postgresql": 15}


@contextmanager
def _server(env: dict[str, str], log: Path) -> Iterator[tuple[subprocess.Popen[bytes], str]]:
    port = free_port()
    server = start_server(env, port, log)
    try:
        yield server, f"http://127.0.0.1:{port}"
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(30)


def _kill(server: subprocess.Popen[bytes]) -> None:
    os.killpg(server.pid, signal.SIGKILL)
    server.wait(10)


def _env(tmp_path: Path, demo_model: Path, database_url: str) -> dict[str, str]:
    env = {
        **os.environ,
        "DESKROUTE_HOME": str(tmp_path / "home"),
        "DESKROUTE_MODEL_PATH": str(demo_model),
        "DESKROUTE_API_KEYS": KEY,
        "DESKROUTE_ROUTING_POLL_SECONDS": "0.05",
        "DESKROUTE_DATABASE_URL": database_url,
        "DESKROUTE_SEED_DEMO": "1",
    }
    return env


def _submit(client: httpx.Client, ticket: dict[str, str]) -> dict[str, Any]:
    answer = client.post("/v1/tickets?wait=30", json=ticket)
    assert answer.status_code == 200, answer.text
    outcome: dict[str, Any] = answer.json()["outcome"]
    assert outcome["state"] == "awaiting_review", outcome
    return outcome


def _refunds(engine: Engine, ticket_id: str) -> int:
    with Session(engine) as session:
        count = session.exec(
            select(func.count()).select_from(Refund).where(Refund.ticket_id == ticket_id)
        ).one()
    return int(count)


def _race_customers(engine: Engine, count: int) -> list[dict[str, str]]:
    """`count` customers with one paid invoice each; a refund request from each."""
    now = utcnow()
    tickets = []
    with transaction(engine) as session:
        for i in range(count):
            customer, invoice = f"C-{9000 + i}", f"INV-2099-{i:04d}"
            session.add(
                Customer(
                    id=customer,
                    name=f"Race {i} Ltd",
                    contact_name=f"Racer {i}",
                    email=f"racer-{i}@race.example",
                    tier="business",
                    plan="Growth",
                    account_value=5000,
                    country="PT",
                    language="en",
                    timezone="Europe/Lisbon",
                    status="active",
                )
            )
            session.flush()
            session.add(
                Invoice(
                    number=invoice,
                    customer_id=customer,
                    amount=300.0,
                    currency="EUR",
                    status="paid",
                    issued_at=now - timedelta(days=20),
                    due_at=now - timedelta(days=6),
                    description="Growth plan, monthly",
                )
            )
            body = f"Please refund invoice {invoice} in full, we never used the service."
            tickets.append({"subject": "Refund please", "body": body, "customer_id": customer})
    return tickets


def _race(base_url: str, ticket_id: str) -> list[httpx.Response]:
    """Two reviewers approve the same ticket at the same moment."""
    start = threading.Barrier(2)

    def approve(reviewer: str) -> httpx.Response:
        with httpx.Client(base_url=base_url, headers=AUTH, timeout=60) as client:
            start.wait()
            return client.post(
                f"/v1/escalations/{ticket_id}/resolve",
                json={"action": "approve", "reviewer": reviewer},
            )

    with ThreadPoolExecutor(2) as pool:
        return list(pool.map(approve, ["ana", "bo"]))


@pytest.fixture
def store(database_url: str) -> Iterator[tuple[str, Engine]]:
    """The store's URL, and an engine the test reads it with."""
    engine = make_engine(database_url)
    yield database_url, engine
    engine.dispose()


def test_paused_runs_survive_kill_9_and_each_is_resolved_once(
    store: tuple[str, Engine], tmp_path: Path, demo_model: Path
) -> None:
    url, engine = store
    races = RACES[engine.url.get_backend_name()]
    env = _env(tmp_path, demo_model, url)
    log = tmp_path / "server.log"
    with _server(env, log) as (server, base_url):
        tickets = _race_customers(engine, races)
        with (
            httpx.Client(base_url=base_url, headers=AUTH, timeout=60) as client,
            ThreadPoolExecutor(8) as pool,
        ):
            paused = _submit(client, REFUND)
            racing = list(pool.map(lambda ticket: _submit(client, ticket), tickets))
        _kill(server)
    ticket_id = paused["ticket_id"]
    with Session(engine) as session:
        assert session.exec(select(func.count()).select_from(Refund)).one() == 0

    with _server(env, log) as (_server_again, base_url):
        with httpx.Client(base_url=base_url, headers=AUTH, timeout=60) as client:
            assert client.get("/v1/escalations").json()["count"] == races + 1
            done = client.post(
                f"/v1/escalations/{ticket_id}/resolve",
                json={"action": "approve", "reviewer": "ana"},
            )
            assert done.status_code == 200, f"{done.text}\n{log.read_text()}"
            assert done.json()["state"] == "resolved"
            again = client.post(
                f"/v1/escalations/{ticket_id}/resolve",
                json={"action": "approve", "reviewer": "ana"},
            )
            assert again.status_code == 409 and "already resolved by ana" in again.text
            assert client.get(f"/v1/tickets/{ticket_id}").json()["status"] == "resolved"
        assert _refunds(engine, ticket_id) == 1

        for outcome in racing:
            race_id = outcome["ticket_id"]
            answers = _race(base_url, race_id)
            statuses = sorted(answer.status_code for answer in answers)
            assert statuses == [200, 409], [a.text for a in answers]
            won = next(a for a in answers if a.status_code == 200).json()
            winner = won["review"]["decisions"][-1]["reviewer"]
            lost = next(a for a in answers if a.status_code == 409).json()["error"]
            assert f"by {winner}" in lost["message"], lost
            assert _refunds(engine, race_id) == 1
    with Session(engine) as session:
        assert session.exec(select(func.count()).select_from(Refund)).one() == races + 1
