"""`/v1/escalations`: the review queue, one escalation with its context, and a reviewer's
decision; `/v1/tickets/{id}/misroute`: a reviewer's flag on a ticket routed without a person.
The same API keys as intake; the reviewer names themself in the decision."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request

from deskroute.api.deps import PrincipalDep, WorkspaceDep
from deskroute.api.schemas import ErrorBody
from deskroute.models.outcome import OutcomeRecord
from deskroute.models.review import Decision, Misroute
from deskroute.models.review_query import ReviewQuery
from deskroute.review import service as review
from deskroute.review.corrections import CorrectionOut
from deskroute.review.misroute import flag_misrouted
from deskroute.review.views import EscalationDetail, EscalationPage

router = APIRouter(prefix="/v1", tags=["escalations"])

TicketId = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_\-]+$")]
Reviewer = Annotated[
    str | None,
    Query(
        min_length=1,
        max_length=100,
        description="Who opens it: takes the ticket's soft lock, which others see.",
    ),
]


@router.get(
    "/escalations",
    responses={status: {"model": ErrorBody} for status in (401, 422)},
    summary="The review queue: by priority, then oldest first, or in the learning order",
)
def list_escalations(
    request: Request,
    ws: WorkspaceDep,
    _caller: PrincipalDep,
    query: Annotated[ReviewQuery, Query()],
) -> EscalationPage:
    """`order=learning` puts first the escalations whose label would teach the model most,
    each with `learning.reason` (`409` when no trained model is loaded)."""
    page = review.list_escalations(ws, query)
    if query.offset + len(page.items) < page.count:
        next_offset = query.offset + query.limit
        page.next_url = str(request.url.include_query_params(offset=next_offset))
    return page


@router.get(
    "/escalations/{ticket_id}",
    responses={status: {"model": ErrorBody} for status in (401, 404, 409, 422)},
    summary="One escalation: the context package and the ticket's history",
)
def show_escalation(
    ws: WorkspaceDep, _caller: PrincipalDep, ticket_id: TicketId, reviewer: Reviewer = None
) -> EscalationDetail:
    return review.open_escalation(ws, ticket_id, reviewer=reviewer)


@router.post(
    "/escalations/{ticket_id}/resolve",
    responses={status: {"model": ErrorBody} for status in (401, 404, 409, 415, 422)},
    summary="Decide an escalation: approve, edit, reject, reassign, reply or dismiss",
)
def resolve_escalation(
    ws: WorkspaceDep, _caller: PrincipalDep, ticket_id: TicketId, decision: Decision
) -> OutcomeRecord:
    """Resumes the ticket's paused run with the decision, through the same policy gate the
    specialists use, and answers the outcome it leads to. `409` when the ticket was already
    decided (naming who and when) or is not escalated; `422` naming the field when the
    decision does not fit (an unknown category, arguments outside the tool's schema or the
    policy's limits)."""
    return review.resolve(ws, ticket_id, decision)


@router.post(
    "/tickets/{ticket_id}/misroute",
    status_code=201,
    responses={status: {"model": ErrorBody} for status in (401, 404, 409, 415, 422)},
    summary="Flag a routed ticket as misrouted: its right category is kept as a correction",
)
def misroute_ticket(
    ws: WorkspaceDep, _caller: PrincipalDep, ticket_id: TicketId, flag: Misroute
) -> CorrectionOut:
    """`{"category", "reviewer", "note"?}`. Answers the correction, which `deskroute
    corrections export` and training read; the note joins the ticket's notes. `409` for a
    ticket that waits for review (reassign it there), was decided by a person, is not routed
    yet or was flagged already; `422` naming `category` for an unknown one or the one it was
    routed to."""
    return flag_misrouted(ws, ticket_id, flag)
