"""The tickets a period's figures are about, and the tallies the queries add them up in.

The tickets of a period are those whose routing run ended in it: `outcomes` rows not led to
by a review, read through `ix_outcomes_analytics` alone. Whatever happened to a ticket later
(review, assignment, response, resolution) counts with it, in the period it came in.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta
from typing import Any

import numpy as np
from numpy.typing import NDArray
from sqlalchemy import Float, case, false, literal, literal_column, null, true
from sqlalchemy.sql.expression import ColumnElement
from sqlmodel import col

from deskroute.analytics.query import Dimension, MetricsQuery, Window
from deskroute.analytics.report import Day, Figures
from deskroute.analytics.sql import day_index
from deskroute.store.tables import Outcome
from deskroute.store.types import UTCDateTime

NONE = "none"
"""The key of tickets without a value for the breakdown (and the filter value that finds them)."""
TOTAL = ""
"""The key a period's overall figures are tallied under."""
CURRENT, PREVIOUS = 1, 0

_o = Outcome
DIMENSION_COLUMNS: dict[Dimension, Any] = {
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
        self._start = literal(window.start, UTCDateTime())
        self._start_s = literal(window.start.timestamp(), Float())
        self._previous_start_s = literal(window.previous.start.timestamp(), Float())
        self.period = self._period()
        """CURRENT: the window asked for; PREVIOUS: the one before it. One expression, so
        that its parameter is the same one in the SELECT and the GROUP BY (PostgreSQL
        compares them)."""

    @property
    def where(self) -> list[ColumnElement[bool]]:
        """The routing runs of the period(s)."""
        return self.runs(reviewed=False)

    def runs(self, *, reviewed: bool) -> list[ColumnElement[bool]]:
        """The runs that ended in the period(s): routing runs, or the runs reviews led to."""
        conditions = [
            col(_o.reviewed) == (true() if reviewed else false()),
            col(_o.created_at) >= self.low,
            col(_o.created_at) < self.window.end,
        ]
        for dimension, value in self.filters.items():
            column = DIMENSION_COLUMNS[dimension]
            conditions.append(column.is_(None) if value == NONE else column == value)
        return conditions

    def _period(self) -> ColumnElement[int]:
        if not self.compared:
            return literal_column(str(CURRENT))
        return case(
            (col(_o.created_at) < self._start, literal_column(str(PREVIOUS))),
            else_=literal_column(str(CURRENT)),
        )

    @property
    def key(self) -> ColumnElement[Any]:
        return DIMENSION_COLUMNS[self.by] if self.by is not None else null()

    @property
    def day(self) -> ColumnElement[Any]:
        """Which 24 hours of its period the ticket came in: 0 for the first."""
        origin: Any = self._start_s
        if self.compared:
            origin = case((col(_o.created_at) < self._start, self._previous_start_s), else_=origin)
        return day_index(col(_o.created_at), origin)

    def grouping(self, *columns: Any) -> list[ColumnElement[Any]]:
        """What to group by: the period and the breakdown's value when they vary, then
        `columns` (PostgreSQL refuses a constant there)."""
        keys = [self.period] if self.compared else []
        keys += [self.key] if self.by is not None else []
        return [*keys, *columns]


class Tally:
    """The figures of one period and key, as the queries add to them."""

    def __init__(self) -> None:
        self.figures = Figures()
        self.llm_tokens: dict[str, tuple[int, int]] = defaultdict(lambda: (0, 0))
        """Input and output tokens per `provider:model`, for the cost."""
        self.durations: dict[str, list[NDArray[np.float64]]] = defaultdict(list)
        """Seconds per ticket, by what took them (`assignment`, `first_response`, ...)."""


class Tallies:
    """Tallies per (period, key), with each period's total under `TOTAL`, and per day."""

    def __init__(self, window: Window, grouped: bool) -> None:
        self.starts = {CURRENT: window.start, PREVIOUS: window.previous.start}
        self.grouped = grouped
        self.by_key: dict[tuple[int, str], Tally] = defaultdict(Tally)
        self.days: dict[tuple[int, int], Day] = {}
        self.owners: dict[int, dict[int, int]] = defaultdict(dict)
        """Per period: how many of its tickets each agent (by id) holds or last held."""

    def each(self, period: int, key: str | None) -> list[Tally]:
        """The period's total, and its group for `key` when there is a breakdown."""
        tallies = [self.by_key[period, TOTAL]]
        if self.grouped:
            tallies.append(self.by_key[period, key_of(key)])
        return tallies

    def day(self, period: int, index: int) -> Day:
        """The `index`-th 24 hours of the period."""
        if (period, index) not in self.days:
            self.days[period, index] = day_of(self.starts[period], index)
        return self.days[period, index]


def day_of(start: datetime, index: int) -> Day:
    return Day(start=start + timedelta(days=index))


def key_of(value: str | None) -> str:
    return NONE if value is None else value
