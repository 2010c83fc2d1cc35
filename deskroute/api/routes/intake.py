"""`POST /v1/intake/email` (a raw RFC 822 message) and `POST /v1/intake/chat` (a transcript)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from deskroute.api.accept import accept
from deskroute.api.deps import (
    IdempotencyKey,
    PrincipalDep,
    RawBody,
    Wait,
    WorkspaceDep,
    scoped_key,
)
from deskroute.api.routes.tickets import ERRORS
from deskroute.api.schemas import TicketAccepted
from deskroute.intake.chat import ChatTranscript
from deskroute.intake.email import parse_email
from deskroute.service import submit_email, submit_ticket

router = APIRouter(prefix="/v1/intake", tags=["intake"])

RFC822_BODY = {
    "requestBody": {
        "required": True,
        "content": {"message/rfc822": {"schema": {"type": "string", "format": "binary"}}},
    }
}


@router.post(
    "/email",
    status_code=202,
    responses={200: {"model": TicketAccepted}, **ERRORS},
    openapi_extra=RFC822_BODY,
    summary="Submit a raw e-mail; a reply in a known thread joins that ticket",
)
def intake_email(
    raw: RawBody,
    request: Request,
    response: Response,
    ws: WorkspaceDep,
    principal: PrincipalDep,
    source: Annotated[
        str, Query(min_length=1, max_length=100, description="The mailbox or bot it came from.")
    ] = "email",
    idempotency_key: IdempotencyKey = None,
    wait: Wait = 0,
) -> TicketAccepted:
    email = parse_email(raw)
    done = submit_email(
        ws, email, source=source, idempotency_key=scoped_key(principal, idempotency_key)
    )
    return accept(request, response, ws, done, wait)


@router.post(
    "/chat",
    status_code=202,
    responses={200: {"model": TicketAccepted}, **ERRORS},
    summary="Submit a chat transcript as one ticket",
)
def intake_chat(
    transcript: ChatTranscript,
    request: Request,
    response: Response,
    ws: WorkspaceDep,
    principal: PrincipalDep,
    idempotency_key: IdempotencyKey = None,
    wait: Wait = 0,
) -> TicketAccepted:
    submitted = submit_ticket(
        ws, transcript.ticket_fields(), idempotency_key=scoped_key(principal, idempotency_key)
    )
    return accept(request, response, ws, submitted, wait)
