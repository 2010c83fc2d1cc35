"""`GET /metrics`: Prometheus metrics, read from the store at scrape time
(`deskroute.observe`). Behind the same API keys as the rest of the API: give Prometheus one in
its scrape config (`authorization: {credentials: KEY}`)."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest

from deskroute.api.deps import PrincipalDep
from deskroute.api.schemas import ErrorBody

router = APIRouter(tags=["metrics"])


@router.get(
    "/metrics",
    response_class=Response,
    responses={200: {"content": {CONTENT_TYPE_LATEST: {}}}, 401: {"model": ErrorBody}},
    summary="Prometheus metrics",
)
def metrics(request: Request, _caller: PrincipalDep) -> Response:
    """Routing runs by outcome, escalations by reason, tickets by status, queue depth, agents,
    outbox backlog and dead letters, alerts by rule, the models this process loaded; since the
    process started: routing latency, LLM calls by outcome, runs by classifier model version."""
    registry: CollectorRegistry = request.app.state.metrics
    return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)
