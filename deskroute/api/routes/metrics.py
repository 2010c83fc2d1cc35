"""`GET /v1/metrics/summary`: the routing figures of a period, as `deskroute report --json`."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from deskroute.analytics.query import MetricsQuery
from deskroute.analytics.report import MetricsReport
from deskroute.analytics.service import desk_of, metrics_summary
from deskroute.api.deps import PrincipalDep, WorkspaceDep
from deskroute.api.schemas import ErrorBody

router = APIRouter(prefix="/v1", tags=["metrics"])


@router.get(
    "/metrics/summary",
    responses={status: {"model": ErrorBody} for status in (401, 422)},
    summary="Routing figures of a period, with the period before when asked",
)
def metrics_summary_route(
    ws: WorkspaceDep, _caller: PrincipalDep, query: Annotated[MetricsQuery, Query()]
) -> MetricsReport:
    return metrics_summary(desk_of(ws), query)
