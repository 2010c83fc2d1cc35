"""`GET /v1/outcomes`: outcome records, filtered and paginated, newest first."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Query, Request

from deskroute.api.deps import PrincipalDep, WorkspaceDep
from deskroute.api.schemas import ErrorBody, OutcomePage
from deskroute.errors import BadInputError
from deskroute.service import find_outcomes

router = APIRouter(prefix="/v1", tags=["outcomes"])


def _utc(value: datetime | None, field: str) -> datetime | None:
    """Times without a zone are UTC; ones that cannot be expressed in UTC are bad input."""
    if value is None:
        return None
    try:
        return value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)
    except OverflowError as exc:
        raise BadInputError("out of range", field=field, code="out_of_range") from exc


@router.get(
    "/outcomes",
    responses={status: {"model": ErrorBody} for status in (401, 422)},
    summary="Outcome records, newest first",
)
def list_outcome_records(
    request: Request,
    ws: WorkspaceDep,
    _caller: PrincipalDep,
    category: Annotated[str | None, Query(max_length=100)] = None,
    queue: Annotated[str | None, Query(max_length=100)] = None,
    escalated: bool | None = None,
    since: Annotated[datetime | None, Query(description="Created at or after (UTC).")] = None,
    until: Annotated[datetime | None, Query(description="Created before (UTC).")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000_000)] = 0,
) -> OutcomePage:
    total, items = find_outcomes(
        ws,
        category=category,
        queue=queue,
        escalated=escalated,
        since=_utc(since, "since"),
        until=_utc(until, "until"),
        limit=limit,
        offset=offset,
    )
    more = offset + len(items) < total
    next_url = str(request.url.include_query_params(offset=offset + limit)) if more else None
    return OutcomePage(total=total, limit=limit, offset=offset, items=items, next_url=next_url)
