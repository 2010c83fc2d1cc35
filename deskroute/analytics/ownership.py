"""What became of each ticket after routing: when an agent first took it, whether it changed
hands, who holds it, its first response and resolution, and its SLA warnings and breaches.

One narrow row per ticket (a percentile needs every ticket's duration, and SQLite has no
percentile function), read through covering indexes on `assignments` and `sla_clocks`, with
its times as seconds since 1970, and added up with numpy per period, group and day.
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
CLOCKED, WARNED, BREACHED = 1, 2, 4
"""The bits of a ticket's SLA state: it has clocks; one warned; one breached."""
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
    result = session.connection().execute(
        select(
            cohort.key,
            epoch_seconds(col(_o.created_at)),
            epoch_seconds(col(_a.first_assigned_at)),
            func.coalesce(col(_a.times_given), 0),
            func.coalesce(col(_a.agent_id), -1),
            epoch_seconds(col(_c.started_at)),
            epoch_seconds(col(_c.first_response_at)),
            epoch_seconds(col(_c.resolved_at)),
            _flag(col(_c.ticket_id).is_not(None), CLOCKED)
            + _flag(warned, WARNED)
            + _flag(breached, BREACHED),
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
    """The rows as columns, with each ticket's period, day and durations."""

    def __init__(self, rows: Sequence[Any], cohort: Cohort) -> None:
        columns = list(zip(*rows, strict=True))
        codes: dict[str, int] = {}
        self.key = np.array(
            [codes.setdefault(key_of(k), len(codes)) for k in columns[0]], dtype=np.int64
        )
        """Each ticket's key, as its index in `keys`."""
        self.keys = list(codes)
        routed = np.array(columns[1], dtype=np.float64)
        assigned_at = np.array(columns[2], dtype=np.float64)  # None -> NaN
        self.given = np.array(columns[3], dtype=np.int64)
        self.agent = np.array(columns[4], dtype=np.int64)
        started = np.array(columns[5], dtype=np.float64)
        self.first_s = np.array(columns[6], dtype=np.float64) - started
        self.resolve_s = np.array(columns[7], dtype=np.float64) - started
        sla = np.array(columns[8], dtype=np.int64)
        start = cohort.window.start.timestamp()
        earlier = routed < start
        self.period = np.where(earlier, PREVIOUS, CURRENT)
        origin = np.where(earlier, cohort.window.previous.start.timestamp(), start)
        self.day = np.floor((routed - origin) / DAY_S).astype(np.int64)
        self.assign_s = assigned_at - routed
        self.clocked = (sla & CLOCKED) > 0
        self.warned = (sla & WARNED) > 0
        self.breached = ((sla & BREACHED) > 0) & self.clocked
        self.assigned = ~np.isnan(self.assign_s)
        self.reassigned = self.assigned & (self.given > 1)


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
