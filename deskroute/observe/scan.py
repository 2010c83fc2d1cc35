"""Routing runs, their latency and their LLM calls, read from the stored outcomes once each:
the scan remembers the last outcome it read and adds the new ones at each scrape. Every HTTP
worker scans the same store from its first outcome, so each reports the same totals and a
scrape that reaches another worker sees no counter go back (the first scrape of a worker
reads the whole history, a batch at a time)."""

from __future__ import annotations

import threading
from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import Engine
from sqlmodel import Session

from deskroute.store import observe

BUCKETS: tuple[float, ...] = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
"""Routing latency buckets in seconds (the sum of the graph's node times)."""
BATCH = 5000


@dataclass
class Totals:
    runs: Counter[tuple[str, str]] = field(default_factory=Counter)
    """(escalated "true"/"false", classifier model version) -> routing runs."""
    llm_calls: Counter[tuple[str, str]] = field(default_factory=Counter)
    """(role, outcome) -> LLM consultations."""
    buckets: list[int] = field(default_factory=lambda: [0] * len(BUCKETS))
    """Runs at or under each bucket's bound (cumulative, as Prometheus wants them)."""
    latency_sum: float = 0.0
    latency_count: int = 0


@dataclass
class OutcomeScan:
    engine: Engine
    last_id: int = 0
    totals: Totals = field(default_factory=Totals)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def update(self) -> Totals:
        """Read the outcomes stored since the last update; the totals so far."""
        with self._lock, Session(self.engine) as session:
            while True:
                rows = observe.outcomes_after(session, after=self.last_id, limit=BATCH)
                for row_id, escalated, parts in rows:
                    self._add(escalated, parts)
                    self.last_id = row_id
                if len(rows) < BATCH:
                    return self.totals

    def _add(self, escalated: bool, parts: dict[str, object]) -> None:
        totals = self.totals
        classifier = parts["classifier"] if isinstance(parts["classifier"], dict) else {}
        version = str(classifier.get("model_version") or "none")
        totals.runs[("true" if escalated else "false", version)] += 1
        for call in parts["llm"] if isinstance(parts["llm"], list) else []:
            totals.llm_calls[(str(call.get("role")), str(call.get("outcome")))] += 1
        timings = parts["timings_ms"] if isinstance(parts["timings_ms"], dict) else {}
        seconds = sum(float(ms) for ms in timings.values()) / 1000
        totals.latency_sum += seconds
        totals.latency_count += 1
        for index, bound in enumerate(BUCKETS):
            if seconds <= bound:
                totals.buckets[index] += 1
