"""`compute_metrics`: the routing figures a support lead reviews every week, from the store,
for the CLI (`deskroute report`), the API (`GET /v1/metrics/summary`) and the dashboard.

Counts are summed by the database (`counts`); what became of each ticket after routing comes
back as one narrow row per ticket (`ownership`). Nothing reads the outcome records' JSON.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta

import numpy as np
from sqlalchemy import and_, func, select
from sqlmodel import Session, col

from deskroute.analytics.cohort import CURRENT, PREVIOUS, TOTAL, Cohort, Tallies, Tally, day_of
from deskroute.analytics.counts import (
    add_corrections,
    add_reasons,
    add_review_llm,
    add_routing,
)
from deskroute.analytics.ownership import add_ownership
from deskroute.analytics.query import MetricsQuery, Window
from deskroute.analytics.report import (
    AgentLoad,
    Durations,
    Figures,
    Group,
    MetricsReport,
    PeriodFigures,
)
from deskroute.errors import BadInputError
from deskroute.policies.llm_prices import LlmPrices
from deskroute.store.tables import Agent, Assignment

OPEN_STATES = ("assigned", "started")


def compute_metrics(
    session: Session, query: MetricsQuery, *, prices: LlmPrices, now: datetime
) -> MetricsReport:
    """The figures of the query's period (and the one before it when asked), overall, per
    value of `query.by` and per day, with the agents' open tickets now."""
    try:
        window = query.window(now)
    except ValueError as exc:
        raise BadInputError(str(exc), field="since") from exc
    cohort = Cohort(query, window)
    tallies = Tallies(window, grouped=query.by is not None)
    for add in (add_routing, add_review_llm, add_reasons, add_corrections, add_ownership):
        add(session, cohort, tallies)
    names = agent_names(session)
    return MetricsReport(
        generated_at=now,
        by=query.by,
        filters={str(k): v for k, v in query.filters.items()},
        currency=prices.currency,
        current=_period(tallies, CURRENT, window, prices, names),
        previous=_period(tallies, PREVIOUS, window.previous, prices, names)
        if cohort.compared
        else None,
        open_per_agent=AgentLoad(agents=open_per_agent(session)),
    )


def agent_names(session: Session) -> dict[int, str]:
    rows = session.connection().execute(select(col(Agent.id), col(Agent.name)))
    return {i: n for i, n in rows if i is not None}


def open_per_agent(session: Session) -> dict[str, int]:
    """Open tickets (assigned or started) per agent now: every online agent, and any other
    agent still holding tickets."""
    rows = session.connection().execute(
        select(col(Agent.name), col(Agent.status), func.count(col(Assignment.ticket_id)))
        .select_from(Agent)
        .outerjoin(
            Assignment,
            and_(
                col(Assignment.agent_id) == col(Agent.id),
                col(Assignment.state).in_(OPEN_STATES),
            ),
        )
        .where(col(Agent.removed_at).is_(None))
        .group_by(col(Agent.name), col(Agent.status))
    )
    return {name: n for name, status, n in rows if status == "online" or n}


def _durations(parts: list[np.ndarray]) -> Durations:
    values = np.concatenate(parts) if parts else np.empty(0)
    if values.size == 0:
        return Durations()
    p50, p90 = np.percentile(values, [50, 90])
    return Durations(count=int(values.size), p50_s=round(float(p50), 1), p90_s=round(float(p90), 1))


def _finish(tally: Tally, prices: LlmPrices) -> Figures:
    f = tally.figures
    f.time_to_assignment = _durations(tally.durations["assignment"])
    f.time_to_first_response = _durations(tally.durations["first_response"])
    f.time_to_resolution = _durations(tally.durations["resolution"])
    cost, unpriced = 0.0, []
    for model, (tokens_in, tokens_out) in sorted(tally.llm_tokens.items()):
        price = prices.price(model)
        if price is None:
            unpriced.append(model)
        else:
            cost += price.cost(input_tokens=tokens_in, output_tokens=tokens_out)
    f.llm.cost = None if unpriced and len(unpriced) == len(tally.llm_tokens) else round(cost, 6)
    f.llm.unpriced_models = unpriced
    return f


def _days(window: Window) -> int:
    """How many 24 hours the window has (the last may be shorter)."""
    return math.ceil((window.end - window.start) / timedelta(days=1))


def _period(
    tallies: Tallies, period: int, window: Window, prices: LlmPrices, names: dict[int, str]
) -> PeriodFigures:
    groups = [
        Group(key=key, figures=_finish(tally, prices))
        for (p, key), tally in list(tallies.by_key.items())
        if p == period and key != TOTAL
    ]
    groups.sort(key=lambda g: (-g.figures.tickets_in, g.key))
    owners = {names.get(i, f"agent {i}"): n for i, n in tallies.owners.get(period, {}).items()}
    return PeriodFigures(
        start=window.start,
        end=window.end,
        total=_finish(tallies.by_key[period, TOTAL], prices),
        groups=groups,
        days=[
            tallies.days.get((period, i)) or day_of(window.start, i) for i in range(_days(window))
        ],
        tickets_per_agent=AgentLoad(agents=dict(sorted(owners.items()))),
    )
