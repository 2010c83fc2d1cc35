"""`/v1/escalations`: the review queue, one escalation with its context, and a reviewer's
decision. The same API keys as intake; the reviewer names themself in the decision."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request

from deskroute.api.deps import PrincipalDep, WorkspaceDep
from deskroute.api.schemas import ErrorBody
from deskroute.models.outcome import OutcomeRecord
from deskroute.models.review import Decision
from deskroute.models.review_query import ReviewQuery
from deskroute.review import service as review
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
