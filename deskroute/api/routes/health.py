"""`/healthz` (the process answers) and `/readyz` (store reachable, model loaded); no auth."""

from __future__ import annotations

import logging

from fastapi import APIRouter, Response
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from deskroute.api.deps import WorkspaceDep
from deskroute.api.schemas import Health, Readiness
from deskroute.runtime import UnavailableClassifier

log = logging.getLogger(__name__)
router = APIRouter(tags=["health"])


@router.get("/healthz")
def healthz() -> Health:
    return Health(status="ok")


@router.get("/readyz", responses={503: {"model": Readiness}})
def readyz(ws: WorkspaceDep, response: Response) -> Readiness:
    try:
        with ws.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        store = True
    except SQLAlchemyError:
        log.warning("readiness: the store is unreachable", exc_info=True)
        store = False
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
