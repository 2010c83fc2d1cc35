"""The synthetic history: its records are outcome records, and its figures are the ones the
tickets behind them add up to."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import get_args

import pytest
from sqlmodel import Session, col, select

from deskroute.analytics.behind import FigureName, tickets_behind
from deskroute.analytics.history import HistoryPlan, generate, shapes_from
from deskroute.analytics.metrics import compute_metrics
from deskroute.analytics.query import MetricsQuery
from deskroute.analytics.seed import seed_history
from deskroute.models.outcome import OutcomeRecord
from deskroute.policies.llm_prices import load_llm_prices
from deskroute.policies.schema import Policies
from deskroute.settings import PROJECT_ROOT
from deskroute.store.db import make_engine
from deskroute.store.seed import seed_demo
from deskroute.store.tables import Assignment, Escalation, SlaClock

END = datetime(2026, 12, 7, 9, 30, tzinfo=UTC)


def _plan(policies: Policies, **changes: object) -> HistoryPlan:
    fields: dict[str, object] = {
        "outcomes": 600,
        "days": 14,
        "end": END,
        "shapes": shapes_from(policies),
        "agents": [(1, "ann"), (2, "bob")],
        "chunk": 100,
    }
    return HistoryPlan(**{**fields, **changes})  # type: ignore[arg-type]


def test_every_record_is_an_outcome_record_and_the_same_plan_gives_the_same_rows(
    policies: Policies,
) -> None:
    batches = list(generate(_plan(policies)))
    again = list(generate(_plan(policies)))

    assert batches == again
    outcomes = [row for batch in batches for row in batch["outcomes"]]
    assert 540 <= len(outcomes) <= 660
    for row in outcomes:
        record = OutcomeRecord.model_validate(row["record"])
        assert (record.ticket_id, record.category, record.queue) == (
            row["ticket_id"],
            row["category"],
            row["queue"],
        )
        assert record.created_at == row["created_at"] < END
    tickets = [row for batch in batches for row in batch["tickets"]]
    assert len({t["id"] for t in tickets}) == len(tickets)
    assert len(batches) == pytest.approx(len(tickets) / 100, abs=1)


def test_a_settled_history_leaves_nothing_open(policies: Policies) -> None:
    rows = [row for batch in generate(_plan(policies, settle=True)) for row in batch.items()]
    by_table: dict[str, list[dict[str, object]]] = {}
    for table, items in rows:
        by_table.setdefault(table, []).extend(items)

    assert {e["state"] for e in by_table["escalations"]} == {"resolved"}
    assert {a["state"] for a in by_table["assignments"]} == {"closed"}
    assert all(clock["resolved_at"] is not None for clock in by_table["sla_clocks"])


def test_its_figures_are_the_tickets_behind_them(tmp_path: Path, policies: Policies) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'store.db'}")
    seed_demo(engine)
    written = seed_history(engine, policies, days=14, per_day=40, end=END)
    query = MetricsQuery(compare_previous=True)
    prices = load_llm_prices(PROJECT_ROOT / "policies")
    with Session(engine) as session:
        report = compute_metrics(session, query, prices=prices, now=END)
        totals = {
            figure: tickets_behind(session, query, figure, now=END, limit=1).total
            for figure in get_args(FigureName)
        }
        waiting = session.exec(select(Escalation).where(col(Escalation.state) != "resolved")).all()
        open_clocks = session.exec(select(SlaClock).where(col(SlaClock.open))).all()
        open_tickets = session.exec(
            select(Assignment).where(col(Assignment.state) != "closed")
        ).all()
    engine.dispose()

    assert 14 * 40 * 0.9 <= written <= 14 * 40 * 1.1
    now = report.current.total
    assert totals == {
        "tickets_in": now.tickets_in,
        "auto_routed": now.auto_routed,
        "escalated": now.escalated,
        "duplicates": now.duplicates,
        "confirmed": now.reviews_confirmed,
        "corrected": now.reviews_corrected,
        "misrouted": now.misroute_flags,
        "reassigned": now.reassigned,
        "sla_at_risk": now.sla_at_risk,
        "sla_breached": now.sla_breached,
    }
    assert now.tickets_in > 200 and report.previous is not None
    # The newer model took over 9 days before the end: the week before used both.
    assert set(now.model_versions) == {"linear-2026.11.24"}
    assert set(report.previous.total.model_versions) == {"linear-2026.11.02", "linear-2026.11.24"}
    # The demo's own agents took the tickets; a settled history leaves no work behind.
    assert len(report.current.tickets_per_agent.agents) >= 10
    assert (waiting, open_clocks, open_tickets) == ([], [], [])
