"""Where a routed ticket's time goes: the nodes' own work against LangGraph's own work.

Routes the example tickets through the real workflow once, recording every node's output
(stream_mode="updates"). Then it runs the same tickets again through the same graph (edges,
routers, state schema, reducers) whose nodes only return the recorded outputs, so what is left
is LangGraph's own cost on this graph. A bare graph of 16 no-op nodes (the `deskroute bench`
reference) runs in the same blocks. Prints one JSON object.

    uv run python bench/graph_overhead.py [--tickets 600]
"""

from __future__ import annotations

import argparse
import gc
import json
import statistics
import tempfile
from collections import defaultdict, deque
from time import perf_counter

from langgraph.runtime import Runtime

from deskroute.bench import bare_graph, bench_settings, bench_tickets
from deskroute.runtime import open_workspace
from deskroute.service import submit_ticket
from deskroute.settings import Settings
from graph.builder import build_graph, workflow_nodes
from graph.context import Deps
from graph.state import RouteState, RouteUpdate
from graph.timing import NodeFn

Recorded = dict[str, deque[RouteUpdate]]


def _replaying(name: str, current: list[Recorded]) -> NodeFn:
    def node(state: RouteState, runtime: Runtime[Deps]) -> RouteUpdate:
        return current[0][name].popleft()

    return node


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tickets", type=int, default=600)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    base = Settings()
    with tempfile.TemporaryDirectory(prefix="deskroute-overhead-") as folder:
        settings = bench_settings(base, folder)
        open_workspace(base)  # builds the demo model if it is missing
        ws = open_workspace(settings)
        views = [
            submit_ticket(ws, t).ticket
            for t in bench_tickets(settings, args.tickets)[: args.tickets]
        ]
        recorded: list[Recorded] = []
        bodies, steps, real = [], [], []
        for view in views:
            started = perf_counter()
            updates = list(
                ws.graph.stream({"ticket": view}, context=ws.deps, stream_mode="updates")
            )
            real.append(perf_counter() - started)
            by_node: Recorded = defaultdict(deque)
            for update in updates:
                ((name, output),) = update.items()
                by_node[name].append(output)
                bodies.append(sum(ms for _node, ms in output["trace"]))
            recorded.append(by_node)
            steps.append(len(updates))
    # The recorded outputs stay alive for the replays: keep them out of the collector's scans,
    # as `open_workspace` does with what it loads, or every full collection slows both graphs.
    gc.freeze()
    current: list[Recorded] = [{}]
    replay = build_graph({name: _replaying(name, current) for name in workflow_nodes()}).compile()
    bare = bare_graph(16)
    replay_s, bare_s = [], []
    for _ in range(args.rounds):
        started = perf_counter()
        for view, by_node in zip(views, recorded, strict=True):
            current[0] = {name: deque(outputs) for name, outputs in by_node.items()}
            replay.invoke({"ticket": view}, context=ws.deps, output_keys=["outcome"])
        replay_s.append(perf_counter() - started)
        started = perf_counter()
        for view in views:
            bare.invoke({"ticket": {"body": view.body}})
        bare_s.append(perf_counter() - started)
    n, mean_steps = len(views), statistics.mean(steps)
    replay_ms = statistics.median(replay_s) * 1000 / n
    bare_ms = statistics.median(bare_s) * 1000 / n
    print(
        json.dumps(
            {
                "tickets": n,
                "steps_per_ticket": round(mean_steps, 2),
                "graph_ms_per_ticket": round(statistics.mean(real) * 1000, 3),
                "node_bodies_ms_per_ticket": round(sum(bodies) / n, 3),
                "langgraph_ms_per_ticket": round(replay_ms, 3),
                "langgraph_ms_per_step": round(replay_ms / mean_steps, 3),
                "bare16_ms_per_ticket": round(bare_ms, 3),
                "bare16_ms_per_step": round(bare_ms / 16, 3),
            }
        )
    )


if __name__ == "__main__":
    main()
