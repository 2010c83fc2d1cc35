"""`deskroute bench`: throughput and latency of the full workflow (embedded default, SQLite
persistence on, every ticket submitted, routed and recorded) against bare LangGraph graphs of
no-op nodes measured in the same run: one with as many nodes as the workflow graph (`ratio`),
and, stricter, one with as many nodes as a ticket visits on average (`ratio_per_path`)."""

from __future__ import annotations

import multiprocessing
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

from deskroute.classify.demo import examples_of
from deskroute.runtime import open_workspace
from deskroute.service import route_new, route_ticket, submit_ticket
from deskroute.settings import Settings
from deskroute.store.seed import clone_customers

CHANNELS = ("email", "chat", "web", "api")
WARMUP = 20

GOODWILL_INCIDENTS = [
    "The connector problems last week cost us a day of reporting.",
    "Our exports failed for two days in a row during month-end closing.",
    "The dashboard was down while our auditors were in the office.",
    "Sync to the warehouse lagged six hours behind on Friday.",
    "Your team missed the onboarding call we had booked for our new hires.",
    "Scheduled reports arrived empty for the whole of last week.",
    "We were locked out of the admin console for an afternoon.",
    "The API rate limits were lowered without notice and broke our integration.",
    "Support took four days to answer our urgent request in May.",
    "We were billed for seats we had already removed, and it took a week to sort out.",
]
"""Ten different incidents a customer may ask a goodwill credit for (ten different requests,
so that none is linked to another as its duplicate); bench/credits.py and its tests use them."""
BLOCK = 50


class BenchResult(BaseModel):
    tickets: int
    tickets_per_s: float
    p50_ms: float
    p99_ms: float
    peak_rss_mb: float
    """Peak resident memory of the routing process (the demo model, if missing, is built in a
    child process first, as a service would find it already built)."""
    bare_graph_tickets_per_s: float
    bare_graph_nodes: int
    ratio: float
    """tickets_per_s / bare_graph_tickets_per_s (a bare graph with the workflow's node count)."""
    bare_path_tickets_per_s: float
    bare_path_nodes: int
    ratio_per_path: float
    """Against a bare graph with only as many nodes as a ticket visits on average."""
    escalated_share: float
    submit_ms_mean: float
    """Validating, normalising and storing a ticket, before the graph runs."""
    graph_ms_mean: float
    """The graph run: the node bodies below, the record node's write, and LangGraph's own work
    between the nodes."""
    node_ms_mean: dict[str, float]
    """Each node's body per ticket (all tickets, so a specialist few reach counts little); the
    record node cannot time itself into the record it writes, so it is absent."""


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


def _run(graph: Any, block: list[dict[str, Any]]) -> float:
    started = perf_counter()
    for ticket in block:
        graph.invoke({"ticket": ticket})
    return perf_counter() - started


def bench_tickets(settings: Settings, count: int) -> list[dict[str, Any]]:
    """The example tickets of `policies/examples`, each from its own known customer (copies
    of the demo CRM customers), as a help desk sees them: few open tickets per sender."""
    ws = open_workspace(settings)
    texts, _ = examples_of(ws.policies)
    customers = clone_customers(ws.engine, count + 2 * WARMUP)
    return [
        {
            "body": texts[i % len(texts)],
            "channel": CHANNELS[i % len(CHANNELS)],
            "customer_id": customers[i],
        }
        for i in range(count + 2 * WARMUP)
    ]


def _ensure_model(settings: Settings) -> None:
    """Build the demo model if it is missing or stale, in a child process: training takes far
    more memory than routing, and a process never lowers its recorded peak."""
    child = multiprocessing.get_context("spawn").Process(target=open_workspace, args=(settings,))
    child.start()
    child.join()
    if child.exitcode != 0:
        raise RuntimeError(f"building the demo model failed (exit code {child.exitcode})")


def bench_settings(base: Settings, folder: str) -> Settings:
    """The configured model and policies, with a fresh SQLite store in `folder` holding the
    demo CRM (the bench's senders are copies of its customers)."""
    return base.model_copy(
        update={
            "database_url": f"sqlite:///{Path(folder) / 'bench.db'}",
            "seed_demo": True,
            "model_path": base.model_path or base.resolved_model_path,
        }
    )


def run_bench(base: Settings, tickets: int) -> BenchResult:
    with tempfile.TemporaryDirectory(prefix="deskroute-bench-") as folder:
        settings = bench_settings(base, folder)
        _ensure_model(base)
        batch = bench_tickets(settings, tickets)
        ws = open_workspace(settings)
        graph_nodes = len([n for n in ws.graph.get_graph().nodes if not n.startswith("__")])
        for ticket in batch[:WARMUP]:
            route_new(ws, ticket)
        warm = [route_new(ws, t)[1] for t in batch[WARMUP : 2 * WARMUP]]
        path_nodes = round(statistics.mean(len(r.path) for r in warm))
        bare, bare_path = bare_graph(graph_nodes), bare_graph(path_nodes)
        for graph in (bare, bare_path):
            for ticket in batch[:WARMUP]:
                graph.invoke({"ticket": ticket})
        # Interleaved blocks, so that the workflow and the bare graphs share the machine's
        # conditions (its speed drifts by tens of percent from one minute to the next).
        latencies, escalated = [], 0
        node_totals: Counter[str] = Counter()
        elapsed = bare_elapsed = path_elapsed = submit_total = graph_total = 0.0
        measured = batch[2 * WARMUP :]
        for start in range(0, len(measured), BLOCK):
            block = measured[start : start + BLOCK]
            t0 = perf_counter()
            for ticket in block:
                t1 = perf_counter()
                submitted = submit_ticket(ws, ticket)  # route_new, in two timed halves
                t2 = perf_counter()
                record = route_ticket(ws, submitted.ticket)
                t3 = perf_counter()
                submit_total += t2 - t1
                graph_total += t3 - t2
                latencies.append((t3 - t1) * 1000)
                escalated += record.escalated
                node_totals.update(record.timings_ms)
            elapsed += perf_counter() - t0
            bare_elapsed += _run(bare, block)
            path_elapsed += _run(bare_path, block)
    rate = len(measured) / elapsed
    bare_rate = len(measured) / bare_elapsed
    path_rate = len(measured) / path_elapsed
    latencies.sort()
    return BenchResult(
        tickets=tickets,
        tickets_per_s=round(rate, 1),
        p50_ms=round(latencies[len(latencies) // 2], 2),
        p99_ms=round(latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))], 2),
        peak_rss_mb=round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        bare_graph_tickets_per_s=round(bare_rate, 1),
        bare_graph_nodes=graph_nodes,
        ratio=round(rate / bare_rate, 3),
        bare_path_tickets_per_s=round(path_rate, 1),
        bare_path_nodes=path_nodes,
        ratio_per_path=round(rate / path_rate, 3),
        escalated_share=round(escalated / tickets, 3),
        submit_ms_mean=round(submit_total * 1000 / len(measured), 3),
        graph_ms_mean=round(graph_total * 1000 / len(measured), 3),
        node_ms_mean={k: round(v / len(measured), 3) for k, v in sorted(node_totals.items())},
    )
