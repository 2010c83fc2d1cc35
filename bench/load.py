"""Load over loopback: a second process posts tickets to a real `deskroute serve` for a while,
then checks that every accepted ticket was routed exactly once.

It starts the server itself (fresh store in a temporary home, the demo model), keeps
`--connections` keep-alive connections busy for `--duration` seconds, then waits until the
routers have drained the backlog and counts, in the store, tickets without an outcome (lost)
and tickets or outcomes that exist twice (duplicated).

    uv run python bench/load.py [--duration 60] [--connections 16] [--workers 1] [--json]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from deskroute.classify.demo import examples_of
from deskroute.policies import load_policies
from deskroute.settings import Settings

KEY = "load-bench-key"
CHANNELS = ("email", "chat", "web", "api")


@dataclass
class Tally:
    latencies_ms: list[float] = field(default_factory=list)
    accepted: dict[str, str] = field(default_factory=dict)
    """external id -> ticket id, for every 202."""
    errors: dict[int, int] = field(default_factory=dict)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _tickets(count_hint: int) -> list[bytes]:
    """Example tickets as JSON bodies, each from its own customer address (so duplicates of
    one another are not expected; the duplicate check still runs for each)."""
    texts, _ = examples_of(load_policies(Settings().policies_dir))
    return [
        json.dumps(
            {
                "body": texts[i % len(texts)],
                "channel": CHANNELS[i % len(CHANNELS)],
                "customer_email": f"load-{i}@example.com",
                "source": "load",
                "external_id": f"load-{i}",
            }
        ).encode()
        for i in range(count_hint)
    ]


async def _connection(
    port: int, bodies: list[bytes], next_index: list[int], until: float, tally: Tally
) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    head = (
        f"POST /v1/tickets HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
        f"Authorization: Bearer {KEY}\r\nContent-Type: application/json\r\n"
    ).encode()
    try:
        while time.perf_counter() < until and next_index[0] < len(bodies):
            body = bodies[next_index[0]]
            next_index[0] += 1
            started = time.perf_counter()
            writer.write(head + b"Content-Length: %d\r\n\r\n" % len(body) + body)
            await writer.drain()
            status = int((await reader.readline()).split()[1])
            length = 0
            while (line := await reader.readline()) not in (b"\r\n", b""):
                name, _, value = line.partition(b":")
                if name.lower() == b"content-length":
                    length = int(value)
            answer = json.loads(await reader.readexactly(length))
            tally.latencies_ms.append((time.perf_counter() - started) * 1000)
            if status == 202:
                tally.accepted[json.loads(body)["external_id"]] = answer["ticket_id"]
            else:
                tally.errors[status] = tally.errors.get(status, 0) + 1
    finally:
        writer.close()


async def _load(port: int, seconds: float, connections: int) -> tuple[Tally, float]:
    bodies = _tickets(int(seconds * 2000))
    tally, next_index = Tally(), [0]
    started = time.perf_counter()
    until = started + seconds
    await asyncio.gather(
        *(_connection(port, bodies, next_index, until, tally) for _ in range(connections))
    )
    return tally, time.perf_counter() - started


def _start(env: dict[str, str], port: int, workers: int, log: Path) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "deskroute", "serve", "--port", str(port)]
    server = subprocess.Popen(
        [*command, "--workers", str(workers)],
        env=env,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return server
        time.sleep(0.2)
    server.kill()
    raise RuntimeError(f"the server did not start; see {log}")


def _store_state(db: Path) -> dict[str, Any]:
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        pending = conn.execute(
            "SELECT COUNT(*) FROM tickets WHERE status IN ('received', 'routing')"
        ).fetchone()[0]
        outcomes = dict(conn.execute("SELECT ticket_id, COUNT(*) FROM outcomes GROUP BY ticket_id"))
        per_external = conn.execute(
            "SELECT COUNT(*) FROM (SELECT external_id FROM tickets WHERE source = 'load' "
            "GROUP BY external_id HAVING COUNT(*) > 1)"
        ).fetchone()[0]
    return {"pending": pending, "outcomes": outcomes, "tickets_twice": per_external}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=60.0, help="Seconds of load.")
    parser.add_argument("--connections", type=int, default=16, help="Concurrent connections.")
    parser.add_argument("--workers", type=int, default=1, help="HTTP worker processes.")
    parser.add_argument("--drain-timeout", type=float, default=1800.0)
    parser.add_argument("--json", action="store_true", help="Print one JSON object.")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="deskroute-load-") as folder:
        home = Path(folder)
        env = {**os.environ, "DESKROUTE_HOME": str(home), "DESKROUTE_API_KEYS": KEY}
        if "DESKROUTE_MODEL_PATH" not in env:
            env["DESKROUTE_MODEL_PATH"] = str(Settings().resolved_model_path)
        port = _free_port()
        server = _start(env, port, args.workers, home / "server.log")
        try:
            tally, elapsed = asyncio.run(_load(port, args.duration, args.connections))
            drain_started = time.monotonic()
            while (state := _store_state(home / "deskroute.db"))["pending"]:
                if time.monotonic() - drain_started > args.drain_timeout:
                    break
                time.sleep(1)
            drain_s = time.monotonic() - drain_started
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(60)
    latencies = sorted(tally.latencies_ms)
    routed = [state["outcomes"].get(t, 0) for t in tally.accepted.values()]
    result = {
        "duration_s": round(elapsed, 1),
        "connections": args.connections,
        "http_workers": args.workers,
        "accepted": len(tally.accepted),
        "accepted_per_s": round(len(tally.accepted) / elapsed, 1),
        "p50_ms": round(statistics.median(latencies), 2),
        "p99_ms": round(latencies[int(len(latencies) * 0.99) - 1], 2),
        "max_ms": round(latencies[-1], 2),
        "non_202": tally.errors,
        "drain_s": round(drain_s, 1),
        "lost": sum(1 for n in routed if n == 0),
        "duplicated": sum(1 for n in routed if n > 1) + state["tickets_twice"],
    }
    if args.json:
        print(json.dumps(result))
    else:
        for name, value in result.items():
            print(f"{name}: {value}")


if __name__ == "__main__":
    main()
