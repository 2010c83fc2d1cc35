"""`deskroute bench`: throughput and latency of the full workflow (embedded default, SQLite
persistence on) against a bare LangGraph graph with as many no-op nodes as a ticket visits."""

from __future__ import annotations

import operator
import resource
import statistics
import tempfile
from collections import Counter
from pathlib import Path
from time import perf_counter
from typing import Annotated, Any, TypedDict

from langgraph.graph import END, START, StateGraph
from pydantic import BaseModel
from sqlmodel import Session, select

from deskroute.classify.demo import examples_of
from deskroute.runtime import open_workspace
from deskroute.service import route_new
from deskroute.settings import Settings
from deskroute.store.tables import Customer

CHANNELS = ("email", "chat", "web", "api")
WARMUP = 20


class BenchResult(BaseModel):
    tickets: int
    tickets_per_s: float
    p50_ms: float
    p99_ms: float
    peak_rss_mb: float
    bare_graph_tickets_per_s: float
    bare_graph_nodes: int
    ratio: float
    escalated_share: float
    node_ms_mean: dict[str, float]


class _BareState(TypedDict, total=False):
    ticket: dict[str, Any]
    path: Annotated[list[str], operator.add]


def bare_graph(nodes: int) -> Any:
    graph = StateGraph(_BareState)
    previous = START
    for i in range(nodes):
        name = f"n{i}"
        graph.add_node(name, lambda _state, name=name: {"path": [name]})
        graph.add_edge(previous, name)
        previous = name
    graph.add_edge(previous, END)
    return graph.compile()


def _tickets(settings: Settings, count: int) -> list[dict[str, Any]]:
    """Example tickets from `policies/examples`, each paired with a different CRM customer
    (example i with customer i // len(examples)), so no two are duplicates of each other."""
    ws = open_workspace(settings)
    texts, _ = examples_of(ws.policies)
    with Session(ws.engine) as session:
        customers = list(session.exec(select(Customer.id).order_by(Customer.id)))
    return [
        {
            "body": texts[i % len(texts)],
            "channel": CHANNELS[i % len(CHANNELS)],
            "customer_id": customers[(i // len(texts)) % len(customers)],
        }
        for i in range(count + WARMUP)
    ]


def run_bench(base: Settings, tickets: int) -> BenchResult:
    with tempfile.TemporaryDirectory(prefix="deskroute-bench-") as folder:
        settings = base.model_copy(
            update={
                "database_url": f"sqlite:///{Path(folder) / 'bench.db'}",
                "model_path": base.model_path or base.resolved_model_path,
            }
        )
        open_workspace(base)  # builds the demo model if it is missing, outside the timing
        batch = _tickets(settings, tickets)
        ws = open_workspace(settings)
        for ticket in batch[:WARMUP]:
            route_new(ws, ticket)
        latencies, paths, escalated = [], [], 0
        node_totals: Counter[str] = Counter()
        started = perf_counter()
        for ticket in batch[WARMUP:]:
            t0 = perf_counter()
            _, record = route_new(ws, ticket)
            latencies.append((perf_counter() - t0) * 1000)
            paths.append(len(record.path))
            escalated += record.escalated
            node_totals.update(record.timings_ms)
        elapsed = perf_counter() - started
    nodes = round(statistics.mean(paths))
    bare = bare_graph(nodes)
    for _ in range(WARMUP):
        bare.invoke({"ticket": {}})
    bare_started = perf_counter()
    for ticket in batch[WARMUP:]:
        bare.invoke({"ticket": ticket})
    bare_rate = tickets / (perf_counter() - bare_started)
    rate = tickets / elapsed
    latencies.sort()
    return BenchResult(
        tickets=tickets,
        tickets_per_s=round(rate, 1),
        p50_ms=round(latencies[len(latencies) // 2], 2),
        p99_ms=round(latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))], 2),
        peak_rss_mb=round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        bare_graph_tickets_per_s=round(bare_rate, 1),
        bare_graph_nodes=nodes,
        ratio=round(rate / bare_rate, 3),
        escalated_share=round(escalated / tickets, 3),
        node_ms_mean={k: round(v / tickets, 3) for k, v in sorted(node_totals.items())},
    )
