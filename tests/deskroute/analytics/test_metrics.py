"""Every figure of `compute_metrics` on the hand-made history of `tests/handmade_history.py`,
whose values are worked out there by hand; on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest
from handmade_history import NOW, PRICES, SELFHOST
from sqlalchemy import Engine
from sqlmodel import Session

from deskroute.analytics.metrics import compute_metrics
from deskroute.analytics.query import MetricsQuery
from deskroute.analytics.report import MetricsReport
from deskroute.errors import BadInputError
from deskroute.policies.llm_prices import LlmPrices, load_llm_prices

GPT_COST = (2300 * 1.0 + 230 * 2.0) / 1_000_000
"""Routing T1 and T3 and the run after T3's review: 2,300 tokens in, 230 out, at 1 and 2 EUR
per million."""


@pytest.fixture(scope="module")
def prices(tmp_path_factory: pytest.TempPathFactory) -> LlmPrices:
    folder = tmp_path_factory.mktemp("policies")
    (folder / "llm_prices.yaml").write_text(PRICES, encoding="utf-8")
    return load_llm_prices(folder)


@pytest.fixture
def engine(history: Engine) -> Engine:
    return history


def _report(engine: Engine, prices: LlmPrices, **query: object) -> MetricsReport:
    with Session(engine) as session:
        return compute_metrics(session, MetricsQuery.model_validate(query), prices=prices, now=NOW)


def test_the_weeks_figures_and_the_week_before(engine: Engine, prices: LlmPrices) -> None:
    report = _report(engine, prices, compare_previous=True)

    now = report.current.total
    assert (now.tickets_in, now.auto_routed, now.escalated, now.duplicates) == (6, 4, 2, 1)
    assert now.escalation_reasons == {
        "low_confidence": 1,
        "human_requested": 1,
        "sensitive_action": 1,
    }
    assert (now.reviews_confirmed, now.reviews_corrected, now.review_accuracy) == (1, 1, 0.5)
    assert (now.misroute_flags, now.misroute_rate) == (1, 0.25)  # T6, of 4 routed
    assert (now.assigned, now.reassigned, now.reassignment_rate) == (4, 1, 0.25)
    # Assigned after 60, 120, 1800 and 240 s: the median of 120 and 240, and 240 + 0.7 * 1560.
    assert now.time_to_assignment.model_dump() == {"count": 4, "p50_s": 180.0, "p90_s": 1332.0}
    # Answered after 600, 1200, 900, 300, 2400 s; resolved after 3600, 7200, 300, 10800 s.
    assert now.time_to_first_response.model_dump() == {
        "count": 5,
        "p50_s": 900.0,
        "p90_s": 1920.0,
    }
    assert now.time_to_resolution.model_dump() == {"count": 4, "p50_s": 5400.0, "p90_s": 9720.0}
    assert (now.sla_tickets, now.sla_at_risk, now.sla_breached) == (5, 2, 2)
    assert (now.sla_resolved, now.sla_met_share) == (3, 0.6)  # T1, T2, T4 of those + T3, T6
    assert (now.llm.calls, now.llm.input_tokens, now.llm.output_tokens) == (5, 2500, 250)
    assert now.llm.models == {"openai:gpt-4o-mini": 4, SELFHOST: 1}
    assert now.llm.unpriced_models == [SELFHOST]
    assert now.llm.cost == pytest.approx(GPT_COST)
    assert now.llm_calls_per_100 == pytest.approx(500 / 6, abs=1e-4)
    assert now.llm_cost_per_100 == pytest.approx(100 * GPT_COST / 6, abs=1e-4)
    assert now.model_versions == {"v2": 5, "v1": 1}
    assert report.currency == "EUR"

    assert report.previous is not None
    before = report.previous.total
    assert (before.tickets_in, before.escalated, before.reviews_corrected) == (2, 1, 1)
    assert before.escalation_reasons == {"low_confidence": 1}
    assert before.time_to_assignment.model_dump() == {"count": 1, "p50_s": 300.0, "p90_s": 300.0}
    assert (before.sla_tickets, before.sla_breached, before.sla_met_share) == (2, 1, 0.5)
    assert before.llm.cost == 0.0 and before.model_versions == {"v1": 2}


def test_days_are_the_periods_24_hours_from_their_start(engine: Engine, prices: LlmPrices) -> None:
    report = _report(engine, prices, compare_previous=True)

    assert report.previous is not None
    now, before = report.current.days, report.previous.days
    assert [d.start for d in now][:2] == [NOW.replace(day=30, month=11), NOW.replace(day=1)]
    assert [d.tickets_in for d in now] == [1, 0, 1, 0, 1, 1, 2]  # T1; T2; T3; T4; T5 and T6
    assert [d.escalated for d in now] == [0, 0, 0, 0, 1, 1, 0]
    assert [d.reviews_corrected for d in now] == [0, 0, 0, 0, 1, 0, 0]
    assert [d.reviews_confirmed for d in now] == [0, 0, 0, 0, 0, 1, 0]
    assert [d.reassigned for d in now] == [0, 0, 1, 0, 0, 0, 0]
    assert [d.sla_breached for d in now] == [0, 0, 0, 0, 1, 0, 1]
    assert [d.tickets_in for d in before] == [0, 0, 0, 0, 1, 0, 1]


def test_by_category_each_group_against_the_same_group_before(
    engine: Engine, prices: LlmPrices
) -> None:
    report = _report(engine, prices, compare_previous=True, by="category")

    groups = {g.key: g.figures for g in report.current.groups}
    assert [g.key for g in report.current.groups] == [
        "billing",
        "technical_issue",
        "account_access",
    ]
    billing, technical = groups["billing"], groups["technical_issue"]
    assert (billing.tickets_in, billing.duplicates, billing.reassigned) == (3, 1, 1)
    assert billing.time_to_assignment.model_dump() == {"count": 2, "p50_s": 90.0, "p90_s": 114.0}
    # Corrections count under the category the ticket was routed to.
    assert (technical.reviews_corrected, technical.misroute_flags) == (1, 1)
    # A run's LLM calls count under the category it ran for: T3's review run under billing.
    assert (technical.llm.calls, billing.llm.calls) == (3, 2)
    assert technical.llm.unpriced_models == [SELFHOST]
    assert groups["account_access"].review_accuracy == 1.0
    assert report.previous is not None
    assert [(g.key, g.figures.tickets_in) for g in report.previous.groups] == [("billing", 2)]
    # The groups add up to the total.
    assert sum(g.figures.tickets_in for g in report.current.groups) == 6


def test_a_tier_breakdown_names_unknown_senders_none(engine: Engine, prices: LlmPrices) -> None:
    report = _report(engine, prices, by="tier")

    tiers = {g.key: g.figures.tickets_in for g in report.current.groups}
    assert tiers == {"enterprise": 2, "standard": 2, "business": 1, "none": 1}
    assert report.previous is None


@pytest.mark.parametrize(
    ("filters", "tickets"),
    [
        ({"category": "billing"}, 3),
        ({"language": "de"}, 1),
        ({"channel": "email", "tier": "enterprise"}, 2),
        ({"tier": "none"}, 1),
        ({"queue": "nowhere"}, 0),
    ],
)
def test_filters_keep_only_their_tickets(
    engine: Engine, prices: LlmPrices, filters: dict[str, str], tickets: int
) -> None:
    report = _report(engine, prices, **filters)

    assert report.current.total.tickets_in == tickets
    assert report.filters == filters


def test_agents_load_of_the_period_and_now(engine: Engine, prices: LlmPrices) -> None:
    report = _report(engine, prices)

    # T1 and T3 are ann's, T2 (taken over) and T6 bob's; only T3 is still open, and cat is
    # offline with nothing.
    assert report.current.tickets_per_agent.agents == {"ann": 2, "bob": 2}
    assert report.current.tickets_per_agent.min_max_ratio == 1.0
    assert report.open_per_agent.agents == {"ann": 1, "bob": 0}
    assert report.open_per_agent.min_max_ratio == 0.0


def test_an_empty_period_has_no_rates(engine: Engine, prices: LlmPrices) -> None:
    report = _report(engine, prices, since="24h", until="2026-11-01T00:00:00")

    total = report.current.total
    assert total.tickets_in == 0 and total.escalation_rate is None
    assert total.time_to_assignment.p50_s is None and total.llm_cost_per_100 is None
    assert [d.tickets_in for d in report.current.days] == [0]


def test_since_after_until_is_refused(engine: Engine, prices: LlmPrices) -> None:
    with pytest.raises(BadInputError, match="must be before until") as caught:
        _report(engine, prices, since="2026-12-08", until="2026-12-01")
    assert caught.value.field == "since"


def test_a_price_file_with_a_bad_value_names_the_file_and_key(tmp_path: Path) -> None:
    from deskroute.errors import ConfigError

    (tmp_path / "llm_prices.yaml").write_text(
        'models:\n  "openai:x": {input_per_million: -1, output_per_million: 1}\n'
    )
    with pytest.raises(ConfigError, match=r"llm_prices.yaml: models.openai:x.input_per_million"):
        load_llm_prices(tmp_path)
    assert load_llm_prices(tmp_path / "elsewhere").models == {}
