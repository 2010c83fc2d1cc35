"""The assignment rules, pure: who may take a ticket, who should, and why a ticket waits.

Eligible: online, inside working hours, with the skill (the ticket's category or queue),
the language and the customer tier, and capacity left (a VIP ticket may exceed it by the
policy's allowance). `best_match` orders them by least weighted load, then longest idle
(never assigned first); `round_robin`, the naive baseline, by longest idle alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from deskroute.assignment.hours import working
from deskroute.models.ownership import WaitingReason
from deskroute.policies.assignment import AssignmentPolicy

Requirement = str
"""`language` or `skill`: what a long wait may relax."""


@dataclass(frozen=True)
class AgentLoad:
    """An agent as the rules see them: their profile and open tickets now."""

    id: int
    name: str
    status: str
    skills: frozenset[str]
    languages: frozenset[str]
    tiers: frozenset[str]
    capacity: int
    timezone: str = "UTC"
    hours: dict[str, Any] = field(default_factory=dict)
    open_tickets: int = 0
    load: int = 0
    """Open tickets weighted by priority (`load_weights`)."""
    last_assigned_at: datetime | None = None


@dataclass(frozen=True)
class Need:
    """What a ticket asks of its agent."""

    category: str | None
    queue: str
    language: str
    tier: str | None
    vip: bool
    waiting_since: datetime | None = None
    team_queue: str | None = None
    """The category's team queue: a follow-up from a review queue goes to that team too."""


def may_relax(
    need: Need, requirement: Requirement, policy: AssignmentPolicy, now: datetime
) -> bool:
    """Whether the ticket has waited longer than the policy allows for this requirement."""
    minutes = getattr(policy.relax_after_minutes, requirement)
    if need.waiting_since is None or minutes is None:
        return False
    return now - need.waiting_since >= timedelta(minutes=minutes)


def skilled(agent: AgentLoad, need: Need, drop: frozenset[Requirement]) -> bool:
    """Has the skill (unless dropped) and serves the tier (an unknown sender's: any)."""
    has_skill = "skill" in drop or bool({need.queue, need.category, need.team_queue} & agent.skills)
    return has_skill and (need.tier is None or need.tier in agent.tiers)


def available(agent: AgentLoad, now: datetime) -> bool:
    return agent.status == "online" and working(agent.hours, agent.timezone, now)


def speaks(agent: AgentLoad, need: Need, drop: frozenset[Requirement]) -> bool:
    return "language" in drop or need.language in agent.languages


def has_room(agent: AgentLoad, need: Need, policy: AssignmentPolicy) -> bool:
    allowance = policy.vip_may_exceed_capacity_by if need.vip else 0
    return agent.open_tickets < agent.capacity + allowance


def eligible(
    agent: AgentLoad,
    need: Need,
    policy: AssignmentPolicy,
    now: datetime,
    drop: frozenset[Requirement] = frozenset(),
) -> bool:
    return (
        skilled(agent, need, drop)
        and available(agent, now)
        and speaks(agent, need, drop)
        and has_room(agent, need, policy)
    )


def _idle(agent: AgentLoad) -> tuple[bool, datetime | None]:
    """Never assigned sorts before anyone assigned; then the longest idle first."""
    return (agent.last_assigned_at is not None, agent.last_assigned_at)


def rank(
    agents: list[AgentLoad],
    need: Need,
    policy: AssignmentPolicy,
    now: datetime,
    drop: frozenset[Requirement] = frozenset(),
) -> list[AgentLoad]:
    """The eligible agents, best first (ties broken by name, so the order is stable)."""
    fits = [a for a in agents if eligible(a, need, policy, now, drop)]
    if policy.strategy == "round_robin":
        return sorted(fits, key=lambda a: (_idle(a), a.name))
    return sorted(fits, key=lambda a: (a.load, _idle(a), a.name))


def waiting_reason(
    agents: list[AgentLoad],
    need: Need,
    policy: AssignmentPolicy,
    now: datetime,
    drop: frozenset[Requirement] = frozenset(),
) -> WaitingReason:
    """Why nobody can take the ticket: nobody has the skill; nobody with it is online (and in
    their hours); nobody online speaks the language; or everyone who could is at capacity."""
    pool = [a for a in agents if skilled(a, need, drop)]
    if not pool:
        return "no_skill_match"
    pool = [a for a in pool if available(a, now)]
    if not pool:
        return "no_agent_online"
    pool = [a for a in pool if speaks(a, need, drop)]
    if not pool:
        return "no_language_match"
    return "all_at_capacity"


def blocking(reason: WaitingReason) -> Requirement | None:
    """The requirement a waiting reason blames, which a long wait may relax: the language when
    nobody available speaks it, the skill when nobody with it is available."""
    if reason == "no_language_match":
        return "language"
    if reason in ("no_skill_match", "no_agent_online"):
        return "skill"
    return None


@dataclass(frozen=True)
class Choice:
    """The agent chosen, or why the ticket waits; `drop`: the requirements relaxed for it."""

    agent: AgentLoad | None
    waiting: WaitingReason | None
    drop: frozenset[Requirement]


def choose(
    agents: list[AgentLoad],
    need: Need,
    policy: AssignmentPolicy,
    now: datetime,
    drop: frozenset[Requirement] = frozenset(),
) -> Choice:
    """The best agent, relaxing a blocking requirement once the ticket has waited long enough
    for it (requirements relaxed before, `drop`, stay relaxed)."""
    while True:
        ranked = rank(agents, need, policy, now, drop)
        if ranked:
            return Choice(ranked[0], None, drop)
        reason = waiting_reason(agents, need, policy, now, drop)
        requirement = blocking(reason)
        if (
            requirement is None
            or requirement in drop
            or not may_relax(need, requirement, policy, now)
        ):
            return Choice(None, reason, drop)
        drop = drop | {requirement}
