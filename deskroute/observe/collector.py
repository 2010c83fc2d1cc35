"""The metrics a scrape of `GET /metrics` returns, built from the store when it is scraped.

Scrapes closer together than `MIN_INTERVAL_S` get the figures of the previous one: a
dashboard refreshing every few seconds costs the store nothing more."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass

from prometheus_client import CollectorRegistry, ProcessCollector
from prometheus_client.core import (
    CounterMetricFamily,
    GaugeMetricFamily,
    HistogramMetricFamily,
    InfoMetricFamily,
    Metric,
)
from prometheus_client.registry import Collector
from sqlalchemy import Engine
from sqlmodel import Session

from deskroute.observe.scan import BUCKETS, OutcomeScan, Totals
from deskroute.store import observe

MIN_INTERVAL_S = 10.0


@dataclass(frozen=True)
class Snapshot:
    totals: Totals
    runs: tuple[int, int]
    tickets: dict[str, int]
    escalations: dict[str, int]
    waiting: dict[str, int]
    agents: dict[str, int]
    deliveries: dict[tuple[str, str], int]
    unfanned: int
    alerts: dict[str, int]


class StoreCollector(Collector):
    """Routing outcomes, queues, the outbox, LLM calls and alerts, as the store holds them;
    `models` names the models this process loaded (`local`, and `llm` when one is set)."""

    def __init__(
        self, engine: Engine, *, models: dict[str, str], min_interval_s: float = MIN_INTERVAL_S
    ) -> None:
        self.engine = engine
        self.models = models
        self.min_interval_s = min_interval_s
        self.scan = OutcomeScan(engine)
        self.scan.start()
        self._lock = threading.Lock()
        self._taken: tuple[float, Snapshot] | None = None

    def snapshot(self) -> Snapshot:
        with self._lock:
            now = time.monotonic()
            if self._taken is None or now - self._taken[0] >= self.min_interval_s:
                self._taken = (now, self._read())
            return self._taken[1]

    def _read(self) -> Snapshot:
        totals = self.scan.update()
        with Session(self.engine) as session:
            return Snapshot(
                totals=totals,
                runs=observe.routing_runs(session),
                tickets=observe.tickets_by_status(session),
                escalations=observe.escalations_by_reason(session),
                waiting=observe.waiting_by_queue(session),
                agents=observe.agents_by_status(session),
                deliveries=observe.deliveries_by_state(session),
                unfanned=observe.unfanned_events(session),
                alerts=observe.alerts_by_rule(session),
            )

    def collect(self) -> Iterator[Metric]:
        s = self.snapshot()
        runs = CounterMetricFamily(
            "deskroute_routing_runs",
            "Routing runs stored, by whether they escalated to a person.",
            labels=["escalated"],
        )
        total, escalated = s.runs
        runs.add_metric(["false"], total - escalated)
        runs.add_metric(["true"], escalated)
        yield runs
        models = CounterMetricFamily(
            "deskroute_model_runs",
            "Routing runs since this process started, by the classifier model version that "
            "decided (rule:NAME for a rule).",
            labels=["model_version"],
        )
        for version, count in sorted(s.totals.models.items()):
            models.add_metric([version], count)
        yield models
        reasons = CounterMetricFamily(
            "deskroute_escalations",
            "Tickets escalated to a person, by their first escalation reason.",
            labels=["reason"],
        )
        for reason, count in sorted(s.escalations.items()):
            reasons.add_metric([reason], count)
        yield reasons
        latency = HistogramMetricFamily(
            "deskroute_routing_seconds",
            "Time the routing graph took per run (the sum of its nodes' times, as stored), "
            "since this process started.",
            buckets=[
                *(
                    (str(bound), count)
                    for bound, count in zip(BUCKETS, s.totals.buckets, strict=True)
                ),
                ("+Inf", s.totals.latency_count),
            ],
            sum_value=s.totals.latency_sum,
        )
        yield latency
        llm = CounterMetricFamily(
            "deskroute_llm_calls",
            "LLM consultations since this process started, by role and how they ended "
            "(unavailable and invalid: failed).",
            labels=["role", "outcome"],
        )
        for (role, outcome), count in sorted(s.totals.llm_calls.items()):
            llm.add_metric([role, outcome], count)
        yield llm
        yield _gauge("deskroute_tickets", "Tickets in the store, by status.", "status", s.tickets)
        yield _gauge(
            "deskroute_queue_waiting",
            "Tickets waiting for an agent, by queue.",
            "queue",
            s.waiting,
        )
        yield _gauge("deskroute_agents", "Agents, by status.", "status", s.agents)
        deliveries = GaugeMetricFamily(
            "deskroute_outbox_deliveries",
            "Outbox deliveries by destination and state (pending: the backlog; dead: given up).",
            labels=["destination", "state"],
        )
        for (destination, state), count in sorted(s.deliveries.items()):
            deliveries.add_metric([destination, state], count)
        yield deliveries
        yield GaugeMetricFamily(
            "deskroute_outbox_unfanned_events",
            "Events not yet turned into deliveries.",
            value=s.unfanned,
        )
        alerts = CounterMetricFamily("deskroute_alerts", "Alerts raised, by rule.", labels=["rule"])
        for rule, count in sorted(s.alerts.items()):
            alerts.add_metric([rule], count)
        yield alerts
        info = InfoMetricFamily("deskroute_model", "The models this process loaded.")
        info.add_metric([], self.models)
        yield info


def _gauge(name: str, doc: str, label: str, values: dict[str, int]) -> GaugeMetricFamily:
    family = GaugeMetricFamily(name, doc, labels=[label])
    for key, count in sorted(values.items()):
        family.add_metric([key], count)
    return family


def registry(engine: Engine, *, models: dict[str, str]) -> CollectorRegistry:
    """A registry of the store's metrics and this process's resources (CPU, memory)."""
    registry = CollectorRegistry()
    registry.register(StoreCollector(engine, models=models))
    registry.register(ProcessCollector(registry=None))
    return registry
