"""Managing agents (CLI `deskroute agents`, API `/v1/agents`): every name an agent is given
is checked against the policies (skills are categories or queues, languages those of
intake.yaml, leads lead known queues), and a change that affects who can take what offers
the waiting tickets again."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlmodel import Session

from deskroute.assignment.hours import check_timezone, describe, parse_hours, working
from deskroute.assignment.service import (
    Assigner,
    assign,
    assign_waiting,
    assigner,
    locked_agent,
    return_tickets,
    set_agent_status,
)
from deskroute.errors import BadInputError, NotFoundError, did_you_mean
from deskroute.models.agents import AgentChange, AgentIn, AgentView
from deskroute.policies import Policies
from deskroute.store import agents as agent_store
from deskroute.store.db import transaction
from deskroute.store.tables import Agent

if TYPE_CHECKING:
    from deskroute.runtime import Workspace


def _check_names(policies: Policies, field: str, values: list[str], known: set[str]) -> list[str]:
    for value in values:
        if value not in known:
            raise BadInputError(
                f"unknown {field.rstrip('s').replace('_', ' ')} {value!r}"
                f"{did_you_mean(value, known)}; known: {', '.join(sorted(known))}",
                field=field,
                code=f"unknown_{field}",
            )
    return list(dict.fromkeys(values))


def _checked(policies: Policies, fields: dict[str, Any]) -> dict[str, Any]:
    """The fields as stored, each checked against the policies."""
    skills = set(policies.taxonomy.categories) | set(policies.queues)
    checked = dict(fields)
    if "skills" in fields:
        checked["skills"] = _check_names(policies, "skills", fields["skills"], skills)
    if "languages" in fields:
        languages = set(policies.intake.languages)
        checked["languages"] = _check_names(policies, "languages", fields["languages"], languages)
    if "lead_of" in fields:
        checked["lead_of"] = _check_names(
            policies, "lead_of", fields["lead_of"], set(policies.queues)
        )
    if "tiers" in fields:
        checked["tiers"] = list(dict.fromkeys(fields["tiers"]))
    if "timezone" in fields:
        checked["timezone"] = check_timezone(fields["timezone"])
    if "hours" in fields:
        checked["hours"] = parse_hours(fields["hours"])
    return checked


def view_of(
    agent: Agent, counts: dict[int, dict[str, int]], policies: Policies, now: datetime
) -> AgentView:
    mine = counts.get(agent.id or -1, {})
    return AgentView(
        name=agent.name,
        status=agent.status,  # type: ignore[arg-type]
        skills=agent.skills,
        languages=agent.languages,
        tiers=agent.tiers,
        capacity=agent.capacity,
        open_tickets=sum(mine.values()),
        load=sum(policies.assignment.weight(p) * n for p, n in mine.items()),
        timezone=agent.timezone,
        hours=describe(agent.hours),
        working_now=working(agent.hours, agent.timezone, now),
        lead_of=agent.lead_of,
        email=agent.email,
        last_assigned_at=agent.last_assigned_at,
        status_changed_at=agent.status_changed_at,
    )


def list_agents(ws: Workspace | Assigner) -> list[AgentView]:
    """Every agent on the roster, by name, with their open tickets now."""
    desk = assigner(ws)
    now = desk.clock()
    with Session(desk.engine) as session:
        counts = agent_store.open_tickets(session)
        return [view_of(a, counts, desk.policies, now) for a in agent_store.list_agents(session)]


def get_agent(ws: Workspace | Assigner, name: str) -> AgentView:
    desk = assigner(ws)
    with Session(desk.engine) as session:
        agent = agent_store.find_agent(session, name=name)
        if agent is None:
            known = [a.name for a in agent_store.list_agents(session)]
            raise NotFoundError(f"no agent {name!r}{did_you_mean(name, known)}")
        counts = agent_store.open_tickets(session, ids=[agent.id or -1])
        return view_of(agent, counts, desk.policies, desk.clock())


def add_agent(
    ws: Workspace | Assigner, agent: AgentIn, *, now: datetime | None = None
) -> AgentView:
    """Add an agent; an online one is offered the waiting tickets at once."""
    desk = assigner(ws)
    now = now or desk.clock()
    fields = _checked(desk.policies, agent.model_dump())
    with transaction(desk.engine) as session:
        agent_store.add_agent(session, fields=fields, now=now)
    if agent.status == "online":
        assign_waiting(desk, now=now)
    return get_agent(desk, agent.name)


def change_agent(
    ws: Workspace | Assigner, name: str, change: AgentChange, *, now: datetime | None = None
) -> AgentView:
    """Change an agent's profile and/or status (see `set_agent_status`); the waiting tickets
    are offered again, since the change may let them take some."""
    desk = assigner(ws)
    now = now or desk.clock()
    fields = _checked(
        desk.policies, change.model_dump(exclude_unset=True, exclude_none=True, exclude={"status"})
    )
    if fields:
        with transaction(desk.engine) as session:
            agent_store.update_agent(
                session, agent=locked_agent(session, name), changes=fields, now=now
            )
    if change.status is not None:
        set_agent_status(desk, name, change.status, now=now)
    else:
        assign_waiting(desk, now=now)
    return get_agent(desk, name)


def remove_agent(ws: Workspace | Assigner, name: str, *, now: datetime | None = None) -> list[str]:
    """Take an agent off the roster: their open tickets, started or not, go back to the pool
    first (reason `agent_removed`) and are offered to others at once. The returned ids."""
    desk = assigner(ws)
    now = now or desk.clock()
    with transaction(desk.engine) as session:
        agent = locked_agent(session, name)
        returned = return_tickets(
            session, agent=agent, states=("assigned", "started"), reason="agent_removed", at=now
        )
        agent_store.remove_agent(session, agent=agent, now=now)
    for ticket_id in returned:
        assign(desk, ticket_id, now=now)
    return returned
