"""`/healthz` (the process answers) and `/readyz` (store reachable, model loaded); no auth."""

from __future__ import annotations

from fastapi import APIRouter, Response

from deskroute.api.deps import WorkspaceDep
from deskroute.api.schemas import Health, Readiness
from deskroute.runtime import UnavailableClassifier
from deskroute.service import store_reachable

router = APIRouter(tags=["health"])


@router.get("/healthz")
async def healthz() -> Health:
    """Answered on the event loop: no request thread is needed, so requests that wait for
    their outcome (`?wait=`) and hold every thread of the pool cannot make it look dead."""
    return Health(status="ok")


@router.get("/readyz", responses={503: {"model": Readiness}})
def readyz(ws: WorkspaceDep, response: Response) -> Readiness:
    store = store_reachable(ws)
    ws.refresh_model()
    classifier = ws.deps.cascade.local
    model = not isinstance(classifier, UnavailableClassifier)
    ready = store and model
    response.status_code = 200 if ready else 503
    return Readiness(
        status="ready" if ready else "not_ready",
        store=store,
        model=model,
        model_version=classifier.version if model else None,
    )
