"""`compute_metrics`: the routing figures a support lead reviews every week, from the store.

The tickets of a period are those whose routing run ended in it (`outcomes` rows not led to by
a review, read through `ix_outcomes_analytics` alone); what happened to each later is joined
on its id: escalation reasons, review corrections, assignment history, SLA clocks. Counts are
summed by the database, grouped by period, day and the breakdown's value; durations come back
as one number per ticket, the least a percentile can be taken from on SQLite.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any, get_args

import numpy as np
from sqlalchemy import and_, case, false, func, literal, null, or_, select, true
from sqlalchemy.sql.expression import ColumnElement
from sqlmodel import Session, col

from deskroute.analytics.query import Dimension, MetricsQuery, Window
from deskroute.analytics.report import (
    AgentLoad,
    Day,
    Durations,
    Figures,
    Group,
    MetricsReport,
    PeriodFigures,
)
from deskroute.analytics.sql import seconds_between, utc_day
from deskroute.errors import BadInputError
from deskroute.models.classification import EscalationReason
from deskroute.policies.llm_prices import LlmPrices
from deskroute.store.tables import (
    Agent,
    Assignment,
    AssignmentLog,
    Correction,
    Escalation,
    Outcome,
    SlaClock,
)

NONE = "none"
"""The key of tickets without a value for the breakdown (and the filter value that finds them)."""
REASONS: tuple[str, ...] = get_args(EscalationReason)
OPEN_STATES = ("assigned", "started")
_GIVEN = ("assigned", "reassigned")
_TOTAL = ""
"""The key the period's overall figures are tallied under."""

_o = Outcome
_DIMENSION_COLUMNS: dict[Dimension, Any] = {
    "category": col(_o.category),
    "queue": col(_o.queue),
    "tier": col(_o.tier),
    "language": col(_o.language),
    "channel": col(_o.channel),
}


class Cohort:
    """The routing runs of one window (and the one before it, when compared), filtered, with
    the expressions every query groups them by."""

    def __init__(self, query: MetricsQuery, window: Window) -> None:
        self.window = window
        self.compared = query.compare_previous
        self.low = window.previous.start if self.compared else window.start
        self.by = query.by
        self.filters = query.filters

    @property
    def where(self) -> list[ColumnElement[bool]]:
        conditions = [
            col(_o.reviewed) == false(),
            col(_o.created_at) >= self.low,
            col(_o.created_at) < self.window.end,
        ]
        for dimension, value in self.filters.items():
            column = _DIMENSION_COLUMNS[dimension]
            conditions.append(column.is_(None) if value == NONE else column == value)
        return conditions

    @property
    def period(self) -> ColumnElement[int]:
        """1: the window asked for; 0: the one before it."""
        if not self.compared:
            return literal(1)
        return case((col(_o.created_at) < self.window.start, 0), else_=1)

    @property
    def key(self) -> ColumnElement[Any]:
        return _DIMENSION_COLUMNS[self.by] if self.by is not None else null()

    @property
    def day(self) -> ColumnElement[Any]:
        return utc_day(col(_o.created_at))


class _Tally:
    """The figures of one period and key, as the rows come in."""

    def __init__(self) -> None:
        self.figures = Figures()
        self.llm_tokens: dict[str, tuple[int, int]] = defaultdict(lambda: (0, 0))
        self.durations: dict[str, list[float]] = defaultdict(list)


class _Tallies:
    """Tallies per (period, key), with the period's total under `_TOTAL`, and per day."""

    def __init__(self) -> None:
        self.by_key: dict[tuple[int, str], _Tally] = defaultdict(_Tally)
        self.days: dict[tuple[int, date], Day] = {}

    def each(self, period: int, key: str | None, grouped: bool) -> list[_Tally]:
        tallies = [self.by_key[period, _TOTAL]]
        if grouped:
            tallies.append(self.by_key[period, key if key is not None else NONE])
        return tallies

    def day(self, period: int, value: Any) -> Day:
        day = value if isinstance(value, date) else date.fromisoformat(str(value))
        if (period, day) not in self.days:
            self.days[period, day] = Day(day=day)
        return self.days[period, day]


def compute_metrics(
    session: Session, query: MetricsQuery, *, prices: LlmPrices, now: datetime
) -> MetricsReport:
    """The figures of the query's period (and the one before it when asked), overall, per
    value of `query.by` and per day, plus the agents' open tickets now."""
    try:
        window = query.window(now)
    except ValueError as exc:
        raise BadInputError(str(exc), field="since") from exc
    cohort = Cohort(query, window)
    tallies = _Tallies()
    grouped = query.by is not None
    _routing(session, cohort, tallies, grouped)
    _reasons(session, cohort, tallies, grouped)
    _corrections(session, cohort, tallies, grouped)
    _ownership(session, cohort, tallies, grouped)
    per_agent = _assigned_per_agent(session, cohort)
    return MetricsReport(
        generated_at=now,
        by=query.by,
        filters={str(k): v for k, v in query.filters.items()},
        currency=prices.currency,
        current=_period(tallies, 1, window, prices, per_agent.get(1, {})),
        previous=_period(tallies, 0, window.previous, prices, per_agent.get(0, {}))
        if cohort.compared
        else None,
        open_per_agent=AgentLoad(agents=open_per_agent(session)),
    )


def _routing(session: Session, cohort: Cohort, tallies: _Tallies, grouped: bool) -> None:
    """Tickets in, escalated, duplicates, model versions and LLM usage: one grouped scan."""
    escalated = func.sum(case((col(_o.escalated), 1), else_=0))
    duplicates = func.sum(case((col(_o.duplicate_of).is_not(None), 1), else_=0))
    keys = (cohort.period, cohort.day, cohort.key, col(_o.model_version), col(_o.llm_model))
    rows = session.exec(  # type: ignore[call-overload]
        select(
            *keys,
            func.count(),
            escalated,
            duplicates,
            func.sum(col(_o.llm_calls)),
            func.sum(col(_o.llm_input_tokens)),
            func.sum(col(_o.llm_output_tokens)),
        )
        .where(*cohort.where)
        .group_by(*keys)
    )
    for period, day, key, version, model, n, esc, dup, calls, tokens_in, tokens_out in rows:
        esc, dup, calls = int(esc), int(dup), int(calls)
        for tally in tallies.each(period, key, grouped):
            f = tally.figures
            f.tickets_in += n
            f.escalated += esc
            f.auto_routed += n - esc
            f.duplicates += dup
            version_key = version or NONE
            f.model_versions[version_key] = f.model_versions.get(version_key, 0) + n
            if model is not None:
                f.llm.models[model] = f.llm.models.get(model, 0) + calls
                spent = tally.llm_tokens[model]
                tally.llm_tokens[model] = (spent[0] + int(tokens_in), spent[1] + int(tokens_out))
            f.llm.calls += calls
            f.llm.input_tokens += int(tokens_in)
            f.llm.output_tokens += int(tokens_out)
        point = tallies.day(period, day)
        point.tickets_in += n
        point.escalated += esc


def _reasons(session: Session, cohort: Cohort, tallies: _Tallies, grouped: bool) -> None:
    """Escalated tickets per reason, from the review queue's row of each."""
    e = Escalation
    counts = [
        func.sum(case((col(e.reasons).contains(f" {r} ", autoescape=True), 1), else_=0))
        for r in REASONS
    ]
    rows = session.exec(  # type: ignore[call-overload]
        select(cohort.period, cohort.key, *counts)
        .select_from(_o)
        .join(e, col(e.ticket_id) == col(_o.ticket_id))
        .where(*cohort.where, col(_o.escalated) == true())
        .group_by(cohort.period, cohort.key)
    )
    for period, key, *numbers in rows:
        for tally in tallies.each(period, key, grouped):
            reasons = tally.figures.escalation_reasons
            for reason, n in zip(REASONS, numbers, strict=True):
                if n:
                    reasons[reason] = reasons.get(reason, 0) + int(n)


def _corrections(session: Session, cohort: Cohort, tallies: _Tallies, grouped: bool) -> None:
    """Review decisions on escalated tickets (confirmed or corrected) and misroute flags on
    auto-routed ones (any correction of a routed ticket that does not confirm it)."""
    c = Correction
    confirmed = col(c.kind) == "confirmed"
    keys = (cohort.period, cohort.day, cohort.key, col(_o.escalated), confirmed)
    rows = session.exec(  # type: ignore[call-overload]
        select(*keys, func.count())
        .select_from(_o)
        .join(c, col(c.ticket_id) == col(_o.ticket_id))
        .where(*cohort.where)
        .group_by(*keys)
    )
    for period, day, key, escalated, is_confirmed, n in rows:
        point = tallies.day(period, day)
        for tally in tallies.each(period, key, grouped):
            f = tally.figures
            if escalated and is_confirmed:
                f.reviews_confirmed += n
            elif escalated:
                f.reviews_corrected += n
            elif not is_confirmed:
                f.misroute_flags += n
        if escalated and is_confirmed:
            point.reviews_confirmed += n
        elif escalated:
            point.reviews_corrected += n


def _ownership(session: Session, cohort: Cohort, tallies: _Tallies, grouped: bool) -> None:
    """Assignment, hand-overs, first response, resolution and SLA state: one row per ticket
    (each ticket's durations are needed for the percentiles)."""
    log, clock = AssignmentLog, SlaClock
    first_given = (
        select(func.min(col(log.at)))
        .where(col(log.ticket_id) == col(_o.ticket_id), col(log.kind).in_(_GIVEN))
        .scalar_subquery()
    )
    owners = (
        select(func.count())
        .where(
            col(log.ticket_id) == col(_o.ticket_id),
            or_(
                col(log.kind) == "assigned",
                and_(
                    col(log.kind) == "reassigned", col(log.agent).is_distinct_from(log.from_agent)
                ),
            ),
        )
        .scalar_subquery()
    )
    warned = or_(
        col(clock.first_response_warned_at).is_not(None),
        col(clock.resolution_warned_at).is_not(None),
    )
    breached = or_(
        col(clock.first_response_breached_at).is_not(None),
        col(clock.resolution_breached_at).is_not(None),
    )
    rows = session.exec(  # type: ignore[call-overload]
        select(
            cohort.period,
            cohort.day,
            cohort.key,
            seconds_between(first_given, col(_o.created_at)),
            owners,
            col(clock.ticket_id).is_not(None),
            seconds_between(col(clock.first_response_at), col(clock.started_at)),
            seconds_between(col(clock.resolved_at), col(clock.started_at)),
            case((warned, 1), else_=0),
            case((breached, 1), else_=0),
        )
        .select_from(_o)
        .outerjoin(clock, col(clock.ticket_id) == col(_o.ticket_id))
        .where(*cohort.where)
    )
    for period, day, key, assign_s, n_owners, clocked, first_s, resolve_s, risk, late in rows:
        if assign_s is None and not clocked:
            continue
        for tally in tallies.each(period, key, grouped):
            f = tally.figures
            if assign_s is not None:
                f.assigned += 1
                tally.durations["assignment"].append(assign_s)
                if n_owners > 1:
                    f.reassigned += 1
            if clocked:
                f.sla_tickets += 1
                f.sla_at_risk += risk
                f.sla_breached += late
                if first_s is not None:
                    tally.durations["first_response"].append(first_s)
                if resolve_s is not None:
                    tally.durations["resolution"].append(resolve_s)
                    f.sla_resolved += 1 - late
        point = tallies.day(period, day)
        point.reassigned += 1 if assign_s is not None and n_owners > 1 else 0
        point.sla_breached += late if clocked else 0


def _assigned_per_agent(session: Session, cohort: Cohort) -> dict[int, dict[str, int]]:
    """Per period, how many of its tickets each agent was given (first or taking over)."""
    log = AssignmentLog
    rows = session.exec(  # type: ignore[call-overload]
        select(cohort.period, col(log.agent), func.count())
        .select_from(_o)
        .join(log, col(log.ticket_id) == col(_o.ticket_id))
        .where(*cohort.where, col(log.kind).in_(_GIVEN), col(log.agent).is_not(None))
        .group_by(cohort.period, col(log.agent))
    )
    given: dict[int, dict[str, int]] = defaultdict(dict)
    for period, agent, n in rows:
        given[period][agent] = n
    return given


def open_per_agent(session: Session) -> dict[str, int]:
    """Open tickets (assigned or started) per agent now: every online agent, and any other
    agent still holding tickets."""
    rows = session.exec(  # type: ignore[call-overload]
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


def _durations(values: list[float]) -> Durations:
    if not values:
        return Durations()
    p50, p90 = np.percentile(np.asarray(values, dtype=float), [50, 90])
    return Durations(count=len(values), p50_s=round(float(p50), 1), p90_s=round(float(p90), 1))


def _finish(tally: _Tally, prices: LlmPrices) -> Figures:
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
    priced = len(unpriced) < len(tally.llm_tokens) or not tally.llm_tokens
    f.llm.cost = round(cost, 6) if priced else None
    f.llm.unpriced_models = unpriced
    return f


def _days(window: Window) -> Iterable[date]:
    day = window.start.date()
    last = (window.end - timedelta(microseconds=1)).date()
    while day <= last:
        yield day
        day += timedelta(days=1)


def _period(
    tallies: _Tallies, period: int, window: Window, prices: LlmPrices, given: dict[str, int]
) -> PeriodFigures:
    groups = [
        Group(key=key, figures=_finish(tally, prices))
        for (p, key), tally in tallies.by_key.items()
        if p == period and key != _TOTAL
    ]
    groups.sort(key=lambda g: (-g.figures.tickets_in, g.key))
    return PeriodFigures(
        start=window.start,
        end=window.end,
        total=_finish(tallies.by_key[period, _TOTAL], prices),
        groups=groups,
        days=[tallies.days.get((period, d)) or Day(day=d) for d in _days(window)],
        assigned_per_agent=AgentLoad(agents=dict(sorted(given.items()))),
    )
