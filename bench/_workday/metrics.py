"""The day's figures, read from the store's records (tickets, assignments, assignment_log,
sla_clocks, outbox_events); the simulation adds only what the store keeps no history of: each
agent's status over time, and the per-step snapshots.

Definitions:
- capacity_violations: (step, agent) pairs, checked after every step, where the agent held
  more open tickets (assigned or started) than the policy allows: their capacity, plus the
  VIP allowance (`vip_may_exceed_capacity_by`) while they hold a VIP ticket, plus the SLA
  breaches escalated to them as a queue's lead (given capacity or not). `over_capacity_allowed`
  counts the pairs over the bare capacity but within those allowances.
- offline_assignments: assignment_log rows (assigned or reassigned) naming an agent whose status,
  at that instant, was offline.
- assign_p50_s / assign_p95_s: the ticket's first `assigned` log row minus its arrival
  (`tickets.created_at`); tickets never assigned are counted in `never_assigned`.
- breach_rate: tickets whose first-response clock was stamped breached / tickets.
- load: each agent's busy share of their online time (sum of started -> resolved over the
  hours they were online, on shift); load_ratio = max / min over agents online at least an hour,
  load_cv = standard deviation / mean of the same. Tickets differ in handling time and shifts
  differ in length, so tickets per agent would measure neither. It includes the differences
  no assignment can remove: a skill's share of the tickets, a quieter hour of a shift.
  It may pass 1 a little: an agent going offline finishes the ticket in hand first.
- occupancy: what the assigner balances, each agent's open tickets over their capacity, averaged
  over the steps they were online; occupancy_ratio and occupancy_cv as for the load.
- outbox_lost: events in the outbox whose idempotency key the receiver never accepted.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, func, select

from bench._workday.sim import DayRun
from deskroute.runtime import Workspace
from deskroute.store.tables import (
    Agent,
    Assignment,
    AssignmentLog,
    OutboxEvent,
    SlaClock,
    Ticket,
)


def _percentile(values: Sequence[float], share: float) -> float | None:
    """The value below which `share` of them lie, rounded to 0.1; None without values."""
    ordered = sorted(values)
    if not ordered:
        return None
    return round(ordered[min(len(ordered) - 1, int(len(ordered) * share))], 1)


def _ratio(values: Sequence[float]) -> float | None:
    """max / min, rounded; None when the least is 0."""
    return round(max(values) / min(values), 3) if min(values) > 0 else None


def _cv(values: Sequence[float]) -> float:
    return round(statistics.pstdev(values) / statistics.fmean(values), 3)


def status_at(timeline: list[tuple[datetime, str]], at: datetime) -> str:
    status = "offline"
    for changed, value in timeline:
        if changed > at:
            break
        status = value
    return status


def online_seconds(timeline: list[tuple[datetime, str]], end: datetime) -> float:
    total, since = 0.0, None
    for changed, status in [*timeline, (end, "offline")]:
        if status == "online" and since is None:
            since = changed
        elif status == "offline" and since is not None:
            total += (min(changed, end) - since).total_seconds()
            since = None
    return total


def figures(ws: Workspace, run: DayRun, *, vip_allowance: int) -> dict[str, Any]:
    """Every figure of one strategy's day."""
    if run.end is None:
        raise ValueError("the day has not been simulated yet")
    ids = set(run.ids.values())
    with Session(ws.engine) as session:
        arrivals = {
            t: at for t, at in session.exec(select(Ticket.id, Ticket.created_at)) if t in ids
        }
        first_assigned = dict(
            session.exec(
                select(AssignmentLog.ticket_id, func.min(AssignmentLog.at))
                .where(AssignmentLog.kind == "assigned")
                .group_by(AssignmentLog.ticket_id)
            ).all()
        )
        given = session.exec(
            select(AssignmentLog.agent, AssignmentLog.at).where(
                col(AssignmentLog.kind).in_(["assigned", "reassigned"])
            )
        ).all()
        clocks = session.exec(
            select(
                SlaClock.ticket_id, SlaClock.first_response_at, SlaClock.first_response_breached_at
            )
        ).all()
        agents = session.exec(select(Agent.id, Agent.name, Agent.capacity)).all()
        names = {agent_id: name for agent_id, name, _cap in agents}
        work = session.exec(
            select(Assignment.agent_id, Assignment.started_at, Assignment.closed_at).where(
                col(Assignment.started_at).is_not(None), col(Assignment.closed_at).is_not(None)
            )
        ).all()
    breached = sum(1 for _t, _at, breach in clocks if breach is not None)
    responses = [
        (answered - arrivals[t]).total_seconds()
        for t, answered, _breach in clocks
        if answered is not None and t in arrivals
    ]
    waits = [
        (first_assigned[t] - arrivals[t]).total_seconds() for t in arrivals if t in first_assigned
    ]
    offline = sum(
        1 for agent, at in given if agent and status_at(run.timeline.get(agent, []), at) != "online"
    )
    busy: dict[str, float] = {}
    for agent_id, started, closed in work:
        if agent_id is not None and started is not None and closed is not None:
            name = names[agent_id]
            busy[name] = busy.get(name, 0.0) + (closed - started).total_seconds()
    by_agent = {}
    for name, timeline in run.timeline.items():
        online = online_seconds(timeline, run.end)
        if online >= 3600:
            by_agent[name] = busy.get(name, 0.0) / online
    loads = list(by_agent.values())
    capacity = {name: cap for _id, name, cap in agents}
    seen: dict[str, list[float]] = {name: [] for name in by_agent}
    for snapshot in run.snapshots:
        for name, shares in seen.items():
            if status_at(run.timeline[name], snapshot.at) == "online":
                shares.append(snapshot.held.get(name, 0) / capacity[name])
    occupancy = [statistics.fmean(shares) for shares in seen.values() if shares]
    violations = over_allowed = 0
    for snapshot in run.snapshots:
        for over in snapshot.over_capacity:
            allowed = over.capacity + (vip_allowance if over.vip else 0) + over.escalated
            if over.open > allowed:
                violations += 1
            else:
                over_allowed += 1

    return {
        "tickets": len(arrivals),
        "capacity_violations": violations,
        "over_capacity_allowed": over_allowed,
        "offline_assignments": offline,
        "assign_p50_s": _percentile(waits, 0.50),
        "assign_p95_s": _percentile(waits, 0.95),
        "never_assigned": len(arrivals) - len(waits),
        "first_response_p50_s": _percentile(responses, 0.50),
        "first_response_p95_s": _percentile(responses, 0.95),
        "breaches": breached,
        "breach_rate": round(breached / len(arrivals), 4),
        "load_ratio": _ratio(loads),
        "load_cv": _cv(loads),
        "load_min": round(min(loads), 3),
        "load_max": round(max(loads), 3),
        "load_by_agent": {name: round(load, 3) for name, load in sorted(by_agent.items())},
        "occupancy_ratio": _ratio(occupancy),
        "occupancy_cv": _cv(occupancy),
    }


def outbox_lost(ws: Workspace, accepted: set[str]) -> dict[str, int]:
    """Events in the outbox against the idempotency keys the receiver accepted."""
    with Session(ws.engine) as session:
        keys = set(session.exec(select(OutboxEvent.key)).all())
    return {"outbox_events": len(keys), "outbox_lost": len(keys - accepted)}
