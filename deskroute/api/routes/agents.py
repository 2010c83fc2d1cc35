"""`/v1/agents`: the people tickets are assigned to; the same API keys as the other routes."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, status

from deskroute.api.deps import PrincipalDep, WorkspaceDep
from deskroute.api.schemas import ErrorBody
from deskroute.assignment import agents
from deskroute.models.agents import AgentChange, AgentIn, AgentView

router = APIRouter(prefix="/v1", tags=["agents"])

AgentNameParam = Annotated[str, Path(min_length=1, max_length=64)]


@router.get("/agents", responses={401: {"model": ErrorBody}}, summary="Every agent, by name")
def list_agents(ws: WorkspaceDep, _caller: PrincipalDep) -> list[AgentView]:
    return agents.list_agents(ws)


@router.post(
    "/agents",
    status_code=status.HTTP_201_CREATED,
    responses={s: {"model": ErrorBody} for s in (401, 409, 415, 422)},
    summary="Add an agent",
)
def add_agent(ws: WorkspaceDep, _caller: PrincipalDep, agent: AgentIn) -> AgentView:
    """`422` naming the field for an unknown skill, language, queue, time zone or bad hours;
    `409` when the name is taken."""
    return agents.add_agent(ws, agent)


@router.get(
    "/agents/{name}", responses={s: {"model": ErrorBody} for s in (401, 404)}, summary="One agent"
)
def get_agent(ws: WorkspaceDep, _caller: PrincipalDep, name: AgentNameParam) -> AgentView:
    return agents.get_agent(ws, name)


@router.patch(
    "/agents/{name}",
    responses={s: {"model": ErrorBody} for s in (401, 404, 415, 422)},
    summary="Change an agent's status or profile",
)
def change_agent(
    ws: WorkspaceDep, _caller: PrincipalDep, name: AgentNameParam, change: AgentChange
) -> AgentView:
    """Going offline returns the agent's unstarted tickets to the pool, offered to others at
    once; coming online offers them the waiting tickets."""
    return agents.change_agent(ws, name, change)


@router.delete(
    "/agents/{name}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses={s: {"model": ErrorBody} for s in (401, 404)},
    summary="Remove an agent; their open tickets go to others",
)
def remove_agent(ws: WorkspaceDep, _caller: PrincipalDep, name: AgentNameParam) -> None:
    agents.remove_agent(ws, name)
