"""What became of each ticket after routing: when an agent first took it, whether it changed
hands, who holds it, its first response and resolution, and its SLA warnings and breaches.

One narrow row per ticket (a percentile needs every ticket's duration, and SQLite has no
percentile function), read through covering indexes on `assignments` and `sla_clocks`, and
added up with numpy per period, group and day.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray
from sqlalchemy import case, func, or_, select
from sqlmodel import Session, col

from deskroute.analytics.cohort import CURRENT, PREVIOUS, TOTAL, Cohort, Tallies, key_of
from deskroute.analytics.sql import epoch_seconds
from deskroute.store.tables import Assignment, Outcome, SlaClock

_o, _a, _c = Outcome, Assignment, SlaClock
CLOCKED, WARNED, BREACHED, REASSIGNED = 1, 2, 4, 8
"""The bits of a ticket's state: it has SLA clocks; one warned; one breached; an agent was
given it more than once."""
DAY_S = 86400.0


def _flag(condition: Any, bit: int) -> Any:
    return case((condition, bit), else_=0)


def add_ownership(session: Session, cohort: Cohort, tallies: Tallies) -> None:
    warned = or_(
        col(_c.first_response_warned_at).is_not(None), col(_c.resolution_warned_at).is_not(None)
    )
    breached = or_(
        col(_c.first_response_breached_at).is_not(None),
        col(_c.resolution_breached_at).is_not(None),
    )
    routed, started = epoch_seconds(col(_o.created_at)), epoch_seconds(col(_c.started_at))
    keyed = [cohort.key] if tallies.grouped else []
    result = session.connection().execute(
        select(
            routed,
            epoch_seconds(col(_a.first_assigned_at)) - routed,
            epoch_seconds(col(_c.first_response_at)) - started,
            epoch_seconds(col(_c.resolved_at)) - started,
            func.coalesce(col(_a.agent_id), -1),
            _flag(col(_c.ticket_id).is_not(None), CLOCKED)
            + _flag(warned, WARNED)
            + _flag(breached, BREACHED)
            + _flag(col(_a.times_given) > 1, REASSIGNED),
            *keyed,
        )
        .select_from(_o)
        .outerjoin(_a, col(_a.ticket_id) == col(_o.ticket_id))
        .outerjoin(_c, col(_c.ticket_id) == col(_o.ticket_id))
        .where(*cohort.where)
    )
    # The driver's plain tuples: every column is a number or a string no type converts, and a
    # Row per ticket would cost more than the query (a third of the time, on 100,000 tickets).
    rows = result.cursor.fetchall()
    result.close()
    if rows:
        _add(_Facts(rows, cohort), tallies)


class _Facts:
    """The rows as columns, with each ticket's period and day."""

    def __init__(self, rows: Sequence[Any], cohort: Cohort) -> None:
        columns = list(zip(*rows, strict=True))
        routed = np.array(columns[0], dtype=np.float64)
        self.assign_s = np.array(columns[1], dtype=np.float64)  # None -> NaN
        self.first_s = np.array(columns[2], dtype=np.float64)
        self.resolve_s = np.array(columns[3], dtype=np.float64)
        self.agent = np.array(columns[4], dtype=np.int64)
        state = np.array(columns[5], dtype=np.int64)
        codes: dict[str, int] = {}
        if len(columns) > 6:
            keys = [codes.setdefault(key_of(k), len(codes)) for k in columns[6]]
            self.key = np.array(keys, dtype=np.int64)
        else:
            self.key = np.zeros(len(rows), dtype=np.int64)
        self.keys = list(codes)
        """The breakdown's values; `key` holds each ticket's index in them."""
        start = cohort.window.start.timestamp()
        earlier = routed < start
        self.period = np.where(earlier, PREVIOUS, CURRENT)
        origin = np.where(earlier, cohort.window.previous.start.timestamp(), start)
        self.day = np.floor((routed - origin) / DAY_S).astype(np.int64)
        self.clocked = (state & CLOCKED) > 0
        self.warned = (state & WARNED) > 0
        self.breached = ((state & BREACHED) > 0) & self.clocked
        self.assigned = ~np.isnan(self.assign_s)
        self.reassigned = self.assigned & ((state & REASSIGNED) > 0)


def _add(facts: _Facts, tallies: Tallies) -> None:
    for period in np.unique(facts.period).tolist():
        in_period = facts.period == period
        _add_to(tallies, period, TOTAL, facts, in_period)
        if tallies.grouped:
            for code in np.unique(facts.key[in_period]).tolist():
                mask = in_period & (facts.key == code)
                _add_to(tallies, period, facts.keys[code], facts, mask)
        days = facts.day[in_period]
        reassigned = np.bincount(days, weights=facts.reassigned[in_period])
        breached = np.bincount(days, weights=facts.breached[in_period])
        for day in np.unique(days).tolist():
            point = tallies.day(period, day)
            point.reassigned += int(reassigned[day])
            point.sla_breached += int(breached[day])
        holders = facts.agent[in_period & (facts.agent >= 0)]
        agents, counts = np.unique(holders, return_counts=True)
        tallies.owners[period] = dict(zip(agents.tolist(), counts.tolist(), strict=True))


def _add_to(
    tallies: Tallies, period: int, key: str, facts: _Facts, mask: NDArray[np.bool_]
) -> None:
    tally = tallies.by_key[period, key]
    f = tally.figures
    assigned = mask & facts.assigned
    clocked = mask & facts.clocked
    resolved = clocked & ~np.isnan(facts.resolve_s)
    f.assigned += int(assigned.sum())
    f.reassigned += int((mask & facts.reassigned).sum())
    f.sla_tickets += int(clocked.sum())
    f.sla_at_risk += int((clocked & facts.warned).sum())
    f.sla_breached += int((clocked & facts.breached).sum())
    f.sla_resolved += int((resolved & ~facts.breached).sum())
    tally.durations["assignment"].append(facts.assign_s[assigned])
    tally.durations["first_response"].append(facts.first_s[clocked & ~np.isnan(facts.first_s)])
    tally.durations["resolution"].append(facts.resolve_s[resolved])
