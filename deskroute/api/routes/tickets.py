"""`POST /v1/tickets` and `GET /v1/tickets/{id}`."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Request, Response

from deskroute.api.accept import accept
from deskroute.api.deps import IdempotencyKey, PrincipalDep, Wait, WorkspaceDep, scoped_key
from deskroute.api.schemas import (
    ErrorBody,
    MessageOut,
    TicketAccepted,
    TicketOut,
)
from deskroute.models.ticket import NOTES_KEY, TicketIn
from deskroute.service import submit_ticket, ticket_detail
from deskroute.store.tickets import notes_of

router = APIRouter(prefix="/v1", tags=["tickets"])

ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorBody} for status in (400, 401, 409, 413, 422)
}


@router.post(
    "/tickets",
    status_code=202,
    responses={200: {"model": TicketAccepted}, **ERRORS},
    summary="Submit a ticket; it is stored before the answer and routed in the background",
)
def create_ticket(
    ticket: TicketIn,
    request: Request,
    response: Response,
    ws: WorkspaceDep,
    principal: PrincipalDep,
    idempotency_key: IdempotencyKey = None,
    wait: Wait = 0,
) -> TicketAccepted:
    submitted = submit_ticket(ws, ticket, idempotency_key=scoped_key(principal, idempotency_key))
    return accept(request, response, ws, submitted, wait)


@router.get(
    "/tickets/{ticket_id}",
    responses={status: {"model": ErrorBody} for status in (401, 404, 422)},
    summary="A ticket, its status, later messages and latest outcome",
)
def get_ticket(
    ticket_id: Annotated[str, Path(max_length=64)], ws: WorkspaceDep, _caller: PrincipalDep
) -> TicketOut:
    detail = ticket_detail(ws, ticket_id)
    row = detail.ticket
    return TicketOut(
        id=row.id,
        status=row.status,
        channel=row.channel,
        subject=row.subject,
        body=row.body,
        customer_id=row.customer_id,
        customer_email=row.customer_email,
        language=row.language,
        external_id=row.external_id,
        source=row.source,
        created_at=row.created_at,
        received_at=row.received_at,
        metadata={k: v for k, v in row.meta.items() if k != NOTES_KEY},
        notes=notes_of(row.meta),
        messages=[
            MessageOut(
                message_id=m.message_id,
                sender=m.sender,
                subject=m.subject,
                body=m.body,
                received_at=m.received_at,
                metadata=m.meta,
            )
            for m in detail.messages
        ],
        outcome=detail.outcome,
    )
