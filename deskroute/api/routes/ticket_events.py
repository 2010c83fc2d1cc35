"""`POST /v1/tickets/{id}/events`: the helpdesk tells DeskRoute what happened to a ticket."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from deskroute.api.deps import PrincipalDep, WorkspaceDep
from deskroute.api.schemas import ErrorBody
from deskroute.models.ownership import SlaInfo
from deskroute.models.ticket_events import TicketEventIn
from deskroute.sla.events import record_event

router = APIRouter(prefix="/v1", tags=["tickets"])


@router.post(
    "/tickets/{ticket_id}/events",
    responses={status: {"model": ErrorBody} for status in (400, 401, 404, 409, 422)},
    summary="Record a first response, resolution, reopening or wait on the customer; "
    "answers the ticket's SLA clocks as they stand after it (a repeat answers the same)",
)
def post_ticket_event(
    ticket_id: Annotated[str, Path(max_length=64)],
    event: TicketEventIn,
    ws: WorkspaceDep,
    _caller: PrincipalDep,
) -> SlaInfo:
    return record_event(ws, ticket_id, event)
