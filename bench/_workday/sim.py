"""The simulated day: a clock in fixed steps (`step_s`, 30 simulated seconds by default) that
drives the real DeskRoute components with `now=` at every step, in this order:

1. the tickets that arrived since the last step are stored and given their outcome, and
   handed to an agent as routing does, each at its arrival time;
2. agents work: one that has finished its ticket resolves it (its exact finishing time), and
   one that is free and online starts the most urgent ticket assigned to it (the earliest
   assigned among equals) - its first response - and works it for its handling time;
3. agents come online or go offline at this step's time (shift starts and ends, mid-day
   absences: the service returns an absent agent's unstarted tickets to the pool; a ticket
   in hand is finished);
4. the assigners run, `assigners` threads at once, each asking the assignment service for the
   waiting tickets;
5. the SLA sweep, and outbox delivery to the helpdesk's webhook (down for ten minutes);
6. a snapshot of the store: tickets per assignment state, and each agent's open tickets
   against their capacity.

Events between two steps keep their own time (a ticket finished at 10:03:12 is resolved at
10:03:12), never earlier than the previous step (the sweep has run up to there). After the
last arrival the day runs on, with the next day's shifts, until every ticket is resolved and
the outbox has nothing left to deliver (or `drain_hours` pass).
"""

from __future__ import annotations

import random
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from bench._workday import desk
from bench._workday.desk import Snapshot
from bench._workday.stream import SimTicket
from bench._workday.world import AgentSpec, status_changes
from deskroute.models.ownership import AgentStatus
from deskroute.runtime import Workspace

OUTBOX_DOWN_AT = time(10, 0)
OUTBOX_DOWN = timedelta(minutes=10)


@dataclass
class Working:
    ticket_id: str
    done_at: datetime


@dataclass
class DayRun:
    """What the simulation saw; the figures come from the store (`metrics`)."""

    snapshots: list[Snapshot] = field(default_factory=list)
    timeline: dict[str, list[tuple[datetime, str]]] = field(default_factory=dict)
    """Each agent's status changes, as the simulation made them."""
    ids: dict[str, str] = field(default_factory=dict)
    """Simulated ticket key -> the store's ticket id."""
    end: datetime | None = None
    """When the day ended: every ticket resolved and the outbox drained, or time ran out."""


@dataclass
class Arrivals:
    """The day's tickets, stored as their arrival times pass, each from a customer of its tier
    (the demo CRM's, chosen by a seeded draw)."""

    tickets: list[SimTicket]
    customers: dict[str, list[str]]
    seed: int
    handling: dict[str, float] = field(default_factory=dict)
    """Handling seconds by the store's ticket id."""
    _next: int = 0
    _rng: random.Random = field(init=False)

    def __post_init__(self) -> None:
        self._rng = random.Random(self.seed)

    @property
    def done(self) -> bool:
        return self._next == len(self.tickets)

    def take(self, day: Day, now: datetime) -> None:
        """Store every ticket arrived by `now`, each at its own arrival time."""
        while not self.done and self.tickets[self._next].arrival <= now:
            ticket = self.tickets[self._next]
            day.clock.now = ticket.arrival
            ticket_id = desk.intake(
                day.ws, ticket, customer_id=self._rng.choice(self.customers[ticket.tier])
            )
            day.run.ids[ticket.key] = ticket_id
            self.handling[ticket_id] = ticket.handling_s
            self._next += 1


@dataclass
class Day:
    """One strategy's day on one store."""

    ws: Workspace
    tickets: list[SimTicket]
    team: list[AgentSpec]
    midnight: datetime
    assigners: int
    drain_hours: float
    seed: int
    clock: desk.SimClock
    step_s: float = 30.0
    outbox: desk.Outbox | None = None
    """Delivery to the helpdesk's webhook (None: no delivery in this run)."""
    receiver_down: threading.Event | None = None
    """Set while the helpdesk's webhook is down."""
    progress: Callable[[str], None] | None = None
    run: DayRun = field(default_factory=DayRun)
    breaches: list[datetime] = field(default_factory=list)
    """When each first-response breach was stamped (read from the store after the day)."""
    _working: dict[str, Working | None] = field(default_factory=dict)
    _online: dict[str, bool] = field(default_factory=dict)

    def simulate(self) -> DayRun:
        changes = sorted(
            (at, agent.name, status)
            for agent in self.team
            for day in (self.midnight, self.midnight + timedelta(days=1))
            for at, status in status_changes(agent, day)
        )
        self.run.timeline = {a.name: [] for a in self.team}
        self._working = {a.name: None for a in self.team}
        self._online = {a.name: False for a in self.team}
        desk.add_team(self.ws, self.team, now=self.midnight)
        arrivals = Arrivals(self.tickets, desk.customers_by_tier(self.ws), self.seed)
        give_up = self.tickets[-1].arrival + timedelta(hours=self.drain_hours)
        step = timedelta(seconds=self.step_s)
        prev, now = self.midnight - step, self.midnight
        with ThreadPoolExecutor(self.assigners, thread_name_prefix="assigner") as pool:
            while True:
                arrivals.take(self, now)
                self.clock.now = now
                self._work(prev, now, arrivals.handling)
                while changes and changes[0][0] <= now:
                    self._status(*changes.pop(0))
                for done in [
                    pool.submit(desk.assign_round, self.ws, now=now) for _ in range(self.assigners)
                ]:
                    done.result()
                desk.sweep(self.ws, now=now)
                self._deliver(now)
                snapshot = desk.snapshot(self.ws, now=now)
                self.run.snapshots.append(snapshot)
                if self.progress and now.minute == 0 and now.second == 0:
                    self.progress(
                        f"{now:%H:%M} waiting {snapshot.waiting}, assigned {snapshot.assigned}"
                    )
                if arrivals.done and (self._quiet(snapshot) or now >= give_up):
                    break
                prev, now = now, now + step
        self.run.end = now
        return self.run

    def _status(self, at: datetime, name: str, status: AgentStatus) -> None:
        if self._online[name] != (status == "online"):
            self._online[name] = status == "online"
            self.run.timeline[name].append((at, status))
            desk.set_status(self.ws, name, status, now=at)

    def _deliver(self, now: datetime) -> None:
        """An outbox pass, with the webhook down inside its window."""
        if self.outbox is None or self.receiver_down is None:
            return
        down_from = self.midnight + timedelta(hours=OUTBOX_DOWN_AT.hour)
        if down_from <= now < down_from + OUTBOX_DOWN:
            self.receiver_down.set()
        else:
            self.receiver_down.clear()
        desk.deliver(self.ws, self.outbox, now=now)

    def _quiet(self, snapshot: Snapshot) -> bool:
        """Every ticket resolved and, where the outbox delivers, nothing left to deliver."""
        if snapshot.waiting or snapshot.assigned or snapshot.started:
            return False
        return self.outbox is None or not desk.undelivered(self.ws)

    def _work(self, prev: datetime, now: datetime, handling: dict[str, float]) -> None:
        """Each agent finishes what is done by `now` and starts what is assigned to them."""
        queues = desk.assigned_queues(self.ws)
        for name, working in self._working.items():
            free_at = prev
            while True:
                if working is not None:
                    if working.done_at > now:
                        break
                    desk.ticket_event(self.ws, working.ticket_id, "resolved", at=working.done_at)
                    free_at, working = working.done_at, None
                queue = queues.get(name, [])
                if not self._online[name] or not queue:
                    break
                ticket_id, assigned_at = queue.pop(0)
                start = max(free_at, assigned_at)
                desk.ticket_event(self.ws, ticket_id, "first_response", at=start)
                working = Working(ticket_id, start + timedelta(seconds=handling[ticket_id]))
            self._working[name] = working
