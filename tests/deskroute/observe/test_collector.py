"""The Prometheus metrics read from a real SQLite store: what each family counts; totals over
the whole store; a histogram of the stored routing times, LLM calls and model versions of the
outcomes stored since the collector started, growing as outcomes are stored."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from alert_rows import routed
from prometheus_client import generate_latest
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import Engine

from deskroute.observe.collector import StoreCollector, registry
from deskroute.store.db import make_engine, transaction
from deskroute.store.tables import Escalation

T0 = datetime(2026, 3, 4, 9, 0, tzinfo=UTC)


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    engine = make_engine(f"sqlite:///{tmp_path / 'store.db'}")
    yield engine
    engine.dispose()


def _samples(collector: StoreCollector) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    out = {}
    for family in collector.collect():
        for sample in family.samples:
            out[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return out


def test_the_families_count_what_the_store_holds(engine: Engine) -> None:
    with transaction(engine) as session:
        routed(session, at=T0, category="general", ms=99, llm=("invalid",))  # before the start
    collector = StoreCollector(engine, models={"local": "demo-1", "llm": "none"}, min_interval_s=0)
    with transaction(engine) as session:
        routed(session, at=T0, category="billing", ms=30)
        routed(session, at=T0, category="billing", ms=400, llm=("decided",))
        escalated = routed(
            session, at=T0, category="outage", escalated=True, ms=3000, llm=("unavailable",)
        )
        session.flush()
        session.add(
            Escalation(
                ticket_id=escalated,
                state="awaiting_review",
                queue="outage",
                priority="P1",
                reasons=" classifier_error ",
                primary_reason="classifier_error",
                escalated_at=T0,
                updated_at=T0,
            )
        )
    s = _samples(collector)
    runs = "deskroute_routing_runs_total"
    assert s[(runs, (("escalated", "false"),))] == 3  # every stored run
    assert s[(runs, (("escalated", "true"),))] == 1
    assert s[("deskroute_model_runs_total", (("model_version", "demo-1"),))] == 3  # since start
    assert s[("deskroute_escalations_total", (("reason", "classifier_error"),))] == 1
    bucket = "deskroute_routing_seconds_bucket"
    assert s[(bucket, (("le", "0.05"),))] == 1  # 30 ms
    assert s[(bucket, (("le", "0.5"),))] == 2  # and 400 ms
    assert s[(bucket, (("le", "2.5"),))] == 2
    assert s[(bucket, (("le", "5.0"),))] == 3  # and 3 s
    assert s[(bucket, (("le", "+Inf"),))] == 3
    assert s[("deskroute_routing_seconds_sum", ())] == pytest.approx(3.43)
    llm = "deskroute_llm_calls_total"
    assert s[(llm, (("outcome", "unavailable"), ("role", "classifier")))] == 1
    assert s[(llm, (("outcome", "decided"), ("role", "classifier")))] == 1
    assert (llm, (("outcome", "invalid"), ("role", "classifier"))) not in s
    assert s[("deskroute_tickets", (("status", "routed"),))] == 3
    assert s[("deskroute_tickets", (("status", "escalated"),))] == 1
    assert s[("deskroute_model_info", (("llm", "none"), ("local", "demo-1")))] == 1

    with transaction(engine) as session:
        routed(session, at=T0, category="billing", ms=10)
    again = _samples(collector)
    assert again[(runs, (("escalated", "false"),))] == 4
    assert again[(bucket, (("le", "0.01"),))] == 1
    assert again[(bucket, (("le", "+Inf"),))] == 4


def test_scrapes_close_together_read_the_store_once(engine: Engine) -> None:
    collector = StoreCollector(engine, models={"local": "x", "llm": "none"}, min_interval_s=60)
    first = _samples(collector)
    with transaction(engine) as session:
        routed(session, at=T0, category="billing")
    assert _samples(collector) == first


def test_the_exposition_parses(engine: Engine) -> None:
    text = generate_latest(registry(engine, models={"local": "x", "llm": "none"})).decode()
    names = {family.name for family in text_string_to_metric_families(text)}
    assert {
        "deskroute_routing_runs",
        "deskroute_model_runs",
        "deskroute_escalations",
        "deskroute_routing_seconds",
        "deskroute_llm_calls",
        "deskroute_tickets",
        "deskroute_queue_waiting",
        "deskroute_agents",
        "deskroute_outbox_deliveries",
        "deskroute_outbox_unfanned_events",
        "deskroute_alerts",
        "deskroute_model_info",
        "process_cpu_seconds",
    } <= names
