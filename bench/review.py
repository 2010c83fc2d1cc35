"""Escalation review under load: N escalations resolved through the real API, what their
checkpoints weigh, and what checkpointing costs routing.

1. Routes tickets that escalate (refund requests and vague questions, each from a customer of
   its own: copies of the demo CRM's) into a fresh SQLite store, in this process, until N wait
   for review.
2. Starts a real `deskroute serve` on that store and works through the queue as a reviewer
   does, over HTTP on one keep-alive connection: list the queue, open the first ticket (its
   soft lock), resolve it (approve the proposed refund, or reply). p50/p99 of each request.
3. Checkpoint bytes per paused ticket, and after resolution (resolved runs are pruned): as
   LangGraph serializes them, and as the SQLite `checkpoints` and `writes` tables hold them.
4. Routing throughput with checkpointing on and off (`Settings.review_pause`), on the tickets
   of `deskroute bench`, in interleaved blocks of the same run. Targets: on/off >= 0.8, and
   resolve p99 < 50 ms.

    uv run python bench/review.py [--n 1000] [--tickets 300] [--json]
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from time import perf_counter
from typing import Any

import httpx
from sqlmodel import Session, col, select

from deskroute.bench import BLOCK, WARMUP, bench_settings, bench_tickets
from deskroute.review.checkpoints import checkpoint_bytes
from deskroute.runtime import Workspace, open_workspace
from deskroute.service import route_new, route_ticket, submit_ticket
from deskroute.settings import Settings
from deskroute.store.seed import clone_customers
from deskroute.store.tables import Invoice

KEY = "review-bench-key"
VAGUE = (
    "Hello, I have a question about something, can someone call me?",
    "Hi there, something seems off for us, could someone phone me back?",
)
TARGET_RATIO = 0.8
TARGET_RESOLVE_P99_MS = 50.0


def _paid_invoice(ws: Workspace, customer_id: str) -> str | None:
    with Session(ws.engine) as session:
        return session.exec(
            select(Invoice.number)
            .where(Invoice.customer_id == customer_id, Invoice.status == "paid")
            .order_by(col(Invoice.number))
        ).first()


def _ticket(ws: Workspace, i: int, customer_id: str) -> dict[str, str]:
    """Every other ticket asks to refund one of its customer's paid invoices."""
    invoice = _paid_invoice(ws, customer_id) if i % 2 == 0 else None
    if invoice is None:
        return {"body": VAGUE[i // 2 % len(VAGUE)], "customer_id": customer_id}
    body = f"Please refund invoice {invoice} in full, we never used the service."
    return {"subject": "Refund please", "body": body, "customer_id": customer_id}


def escalate(ws: Workspace, n: int) -> tuple[list[tuple[str, str]], int, float]:
    """Route tickets until `n` wait for review: (ticket id, the decision it gets), how many
    were routed, and the seconds it took."""
    waiting: list[tuple[str, str]] = []
    customers = clone_customers(ws.engine, 2 * n)  # ids are numbered from 0: clone once
    started = perf_counter()
    for i, customer_id in enumerate(customers):
        outcome = route_new(ws, _ticket(ws, i, customer_id))[1]
        if outcome.state == "awaiting_review":
            proposes = any(a.status == "proposed" for a in outcome.actions)
            waiting.append((outcome.ticket_id, "approve" if proposes else "reply"))
            if len(waiting) == n:
                return waiting, i + 1, perf_counter() - started
    sys.exit(f"only {len(waiting)} of {2 * n} tickets escalated; {n} were asked for")


def table_bytes(db: Path) -> dict[str, int]:
    """What the checkpointer's tables hold: rows and bytes of the serialized values."""
    with sqlite3.connect(db) as conn:
        checkpoints, checkpoint_bytes_ = conn.execute(
            "SELECT count(*), coalesce(sum(length(checkpoint) + length(metadata)), 0) "
            "FROM checkpoints"
        ).fetchone()
        writes, write_bytes = conn.execute(
            "SELECT count(*), coalesce(sum(length(value)), 0) FROM writes"
        ).fetchone()
    return {
        "checkpoint_rows": checkpoints,
        "checkpoint_bytes": checkpoint_bytes_,
        "write_rows": writes,
        "write_bytes": write_bytes,
    }


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def serve(settings: Settings, folder: Path) -> tuple[subprocess.Popen[bytes], str]:
    """A real `deskroute serve` on the bench's store, once it answers `/readyz`."""
    port = _free_port()
    env = {
        **os.environ,
        "DESKROUTE_HOME": str(folder),
        "DESKROUTE_DATABASE_URL": settings.resolved_database_url,
        "DESKROUTE_MODEL_PATH": str(settings.resolved_model_path),
        "DESKROUTE_API_KEYS": KEY,
    }
    log = (folder / "server.log").open("ab")
    server = subprocess.Popen(
        [sys.executable, "-m", "deskroute", "serve", "--port", str(port)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/readyz", timeout=1).status_code == 200:
                return server, base
        except httpx.TransportError:
            time.sleep(0.1)
    os.killpg(server.pid, signal.SIGKILL)
    sys.exit(f"the server did not start; see {folder / 'server.log'}")


def _percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return {"p50_ms": round(statistics.median(ordered), 2), "p99_ms": round(p99, 2)}


def review_over_http(base: str, waiting: list[tuple[str, str]]) -> dict[str, dict[str, float]]:
    """List, open, resolve each ticket in turn, as one reviewer working through the queue."""
    timings: dict[str, list[float]] = {"list": [], "show": [], "resolve": []}
    headers = {"Authorization": f"Bearer {KEY}"}
    with httpx.Client(base_url=base, headers=headers, timeout=60) as client:
        for i, (ticket_id, action) in enumerate(waiting):
            reviewer = f"reviewer-{i % 5}"
            decision: dict[str, str] = {"action": action, "reviewer": reviewer}
            if action == "reply":
                decision["reply"] = "Thank you, we will call you today."
            requests = {
                "list": client.build_request("GET", "/v1/escalations"),
                "show": client.build_request(
                    "GET", f"/v1/escalations/{ticket_id}", params={"reviewer": reviewer}
                ),
                "resolve": client.build_request(
                    "POST", f"/v1/escalations/{ticket_id}/resolve", json=decision
                ),
            }
            for name, request in requests.items():
                started = perf_counter()
                answer = client.send(request)
                timings[name].append((perf_counter() - started) * 1000)
                if answer.status_code != 200:
                    sys.exit(f"{name} {ticket_id}: {answer.status_code} {answer.text}")
    return {name: _percentiles(samples) for name, samples in timings.items()}


def throughput(base: Settings, folder: Path, tickets: int) -> dict[str, float]:
    """Tickets per second through `route_ticket` with checkpointing on and off: the same
    tickets, each mode on a store of its own, in interleaved blocks (the machine's speed
    drifts from one minute to the next)."""
    modes: dict[str, tuple[Workspace, list[Any]]] = {}
    for mode, pause in (("on", True), ("off", False)):
        settings = bench_settings(base, str(folder / mode)).model_copy(
            update={"review_pause": pause}
        )
        (folder / mode).mkdir()
        batch = bench_tickets(settings, tickets)
        ws = open_workspace(settings)
        modes[mode] = (ws, [submit_ticket(ws, t).ticket for t in batch])
    elapsed = {mode: 0.0 for mode in modes}
    escalated = {mode: 0 for mode in modes}
    for ws, views in modes.values():
        for view in views[:WARMUP]:
            route_ticket(ws, view)
    for start in range(2 * WARMUP, 2 * WARMUP + tickets, BLOCK):
        for mode, (ws, views) in modes.items():
            block = views[start : start + BLOCK]
            began = perf_counter()
            for view in block:
                escalated[mode] += route_ticket(ws, view).state == "awaiting_review"
            elapsed[mode] += perf_counter() - began
    on, off = tickets / elapsed["on"], tickets / elapsed["off"]
    return {
        "tickets": tickets,
        "escalated_share": round(escalated["on"] / tickets, 3),
        "tickets_per_s_checkpointing_on": round(on, 1),
        "tickets_per_s_checkpointing_off": round(off, 1),
        "ratio": round(on / off, 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=1000, help="Escalations to resolve.")
    parser.add_argument("--tickets", type=int, default=300, help="Tickets per throughput mode.")
    parser.add_argument("--json", action="store_true", help="Print one JSON object.")
    args = parser.parse_args()
    logging.getLogger("httpx").setLevel(logging.WARNING)  # not a line per request
    base = Settings()
    open_workspace(base)  # builds the demo model if it is missing
    with tempfile.TemporaryDirectory(prefix="deskroute-review-bench-") as name:
        folder = Path(name)
        settings = bench_settings(base, name)
        db = folder / "bench.db"
        ws = open_workspace(settings)
        saver = ws.checkpointer
        if saver is None:
            sys.exit("checkpointing is off (DESKROUTE_REVIEW_PAUSE): nothing pauses")
        waiting, routed, routing_s = escalate(ws, args.n)
        paused_bytes = [checkpoint_bytes(saver, ticket_id) for ticket_id, _ in waiting]
        paused_tables = table_bytes(db)
        server, url = serve(settings, folder)
        try:
            http = review_over_http(url, waiting)
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(30)
        resolved_bytes = [checkpoint_bytes(saver, ticket_id) for ticket_id, _ in waiting]
        with sqlite3.connect(db) as conn:
            refunds = conn.execute("SELECT count(*) FROM refunds").fetchone()[0]
        resolved_tables = table_bytes(db)
        routing = throughput(base, folder, args.tickets)
    n = len(waiting)
    result = {
        "escalations": n,
        "approved": sum(action == "approve" for _, action in waiting),
        "refunds_made": refunds,
        "routed_to_get_them": routed,
        "escalations_per_s": round(n / routing_s, 1),
        "list": http["list"],
        "show": http["show"],
        "resolve": http["resolve"],
        "checkpoint_bytes_per_paused_ticket": round(statistics.mean(paused_bytes)),
        "checkpoint_bytes_per_resolved_ticket": round(statistics.mean(resolved_bytes)),
        "sqlite_tables_paused": paused_tables,
        "sqlite_bytes_per_paused_ticket": round(
            (paused_tables["checkpoint_bytes"] + paused_tables["write_bytes"]) / n
        ),
        "sqlite_tables_resolved": resolved_tables,
        "routing": routing,
        "targets_met": {
            "ratio": routing["ratio"] >= TARGET_RATIO,
            "resolve_p99": http["resolve"]["p99_ms"] < TARGET_RESOLVE_P99_MS,
        },
    }
    if args.json:
        print(json.dumps(result))
        return
    for key, value in result.items():
        print(f"{key}: {value}")


if __name__ == "__main__":
    main()
