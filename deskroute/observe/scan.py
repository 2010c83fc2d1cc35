"""Routing latency, LLM calls and classifier model versions of the outcomes stored since this
process started, read once each: the scan remembers the last outcome it read and adds the new
ones at each scrape. They count from the process's start, as a process's own counters would
(Prometheus' `rate()` and `increase()` take a restart in their stride): reading a long history
at the first scrape would take longer than a scrape may (about a minute a million outcomes)."""

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
    models: Counter[str] = field(default_factory=Counter)
    """Classifier model version -> routing runs."""
    llm_calls: Counter[tuple[str, str]] = field(default_factory=Counter)
    """(role, outcome) -> LLM consultations."""
    buckets: list[int] = field(default_factory=lambda: [0] * len(BUCKETS))
    """Runs at or under each bucket's bound (cumulative, as Prometheus wants them)."""
    latency_sum: float = 0.0
    latency_count: int = 0


@dataclass
class OutcomeScan:
    engine: Engine
    last_id: int | None = None
    """The last outcome read; None until the first update, which starts after the outcomes
    stored so far."""
    totals: Totals = field(default_factory=Totals)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def start(self) -> None:
        """Begin after the outcomes stored so far (called when the process starts)."""
        with self._lock, Session(self.engine) as session:
            self.last_id = observe.last_outcome_id(session)

    def update(self) -> Totals:
        """Read the outcomes stored since the last update; the totals so far."""
        with self._lock, Session(self.engine) as session:
            if self.last_id is None:
                self.last_id = observe.last_outcome_id(session)
            while True:
                rows = observe.outcomes_after(session, after=self.last_id, limit=BATCH)
                for row_id, parts in rows:
                    self._add(parts)
                    self.last_id = row_id
                if len(rows) < BATCH:
                    return self.totals

    def _add(self, parts: dict[str, object]) -> None:
        totals = self.totals
        classifier = parts["classifier"] if isinstance(parts["classifier"], dict) else {}
        totals.models[str(classifier.get("model_version") or "none")] += 1
        for call in parts["llm"] if isinstance(parts["llm"], list) else []:
            totals.llm_calls[(str(call.get("role")), str(call.get("outcome")))] += 1
        timings = parts["timings_ms"] if isinstance(parts["timings_ms"], dict) else {}
        seconds = sum(float(ms) for ms in timings.values()) / 1000
        totals.latency_sum += seconds
        totals.latency_count += 1
        for index, bound in enumerate(BUCKETS):
            if seconds <= bound:
                totals.buckets[index] += 1
