"""`GET /v1/outcomes`: outcome records, filtered and paginated, newest first."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request

from deskroute.api.deps import PrincipalDep, WorkspaceDep
from deskroute.api.schemas import ErrorBody, OutcomePage
from deskroute.models.outcome_query import OutcomeQuery
from deskroute.service import find_outcomes

router = APIRouter(prefix="/v1", tags=["outcomes"])


@router.get(
    "/outcomes",
    responses={status: {"model": ErrorBody} for status in (401, 422)},
    summary="Outcome records, newest first",
)
def list_outcome_records(
    request: Request,
    ws: WorkspaceDep,
    _caller: PrincipalDep,
    query: Annotated[OutcomeQuery, Query()],
) -> OutcomePage:
    total, items = find_outcomes(ws, query)
    more = query.offset + len(items) < total
    next_url = (
        str(request.url.include_query_params(offset=query.offset + query.limit)) if more else None
    )
    return OutcomePage(
        total=total, limit=query.limit, offset=query.offset, items=items, next_url=next_url
    )
