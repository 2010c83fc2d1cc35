"""The FastAPI application: routes, error handlers, the body size limit, background routing."""

from __future__ import annotations

import gc
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from deskroute.api.auth import SIGNATURE_HEADER, TIMESTAMP_HEADER, Credentials
from deskroute.api.errors import BodyLimit, CatchBugs, install_error_handlers
from deskroute.api.guards import RequestGuard
from deskroute.api.routes import (
    agents,
    escalations,
    health,
    intake,
    metrics,
    outcomes,
    prometheus,
    ticket_events,
    tickets,
)
from deskroute.observe.collector import registry
from deskroute.runtime import open_workspace
from deskroute.settings import Settings
from deskroute.web.app import mount_review
from deskroute.worker import RoutingPool, RoutingWorker

DESCRIPTION = f"""
Intake for chat and e-mail bots. A ticket is stored before the answer and routed in the
background; `GET /v1/tickets/{{id}}` shows its outcome.

Authenticate with `Authorization: Bearer <API key>`, or sign the raw body: `{TIMESTAMP_HEADER}`
(Unix seconds) and `{SIGNATURE_HEADER}: sha256=<hex HMAC-SHA256 of "<timestamp>.<body>">`.
"""
SHUTDOWN_JOIN_S = 30.0


def create_app(settings: Settings | None = None, *, route_in_background: bool = True) -> FastAPI:
    """The app, with a routing thread of its own unless another process routes
    (`deskroute serve` runs routing in separate processes, so that it never slows intake).
    Either way, a ticket whose submitter waits (`?wait=`) is routed at once by a small pool
    of threads, off the request thread."""
    settings = settings or Settings()
    credentials = Credentials.from_settings(settings)
    ws = open_workspace(settings)
    worker = RoutingWorker(ws) if route_in_background else None
    pool = RoutingPool(ws)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        stop = threading.Event()
        thread = None
        if worker is not None:
            thread = threading.Thread(
                target=worker.run, args=(stop,), name="deskroute-routing", daemon=True
            )
            thread.start()
        try:
            yield
        finally:
            pool.close()
            if thread is not None and worker is not None:
                stop.set()
                worker.wake()
                thread.join(SHUTDOWN_JOIN_S)

    app = FastAPI(
        title="DeskRoute",
        version="1",
        description=DESCRIPTION,
        lifespan=lifespan,
    )
    app.state.ws = ws
    app.state.credentials = credentials
    app.state.worker = worker
    app.state.routing_pool = pool
    llm = ws.deps.cascade.llm
    models = {"local": ws.deps.cascade.local.version, "llm": llm.version if llm else "none"}
    app.state.metrics = registry(ws.engine, models=models)
    install_error_handlers(app)
    for module in (
        tickets,
        ticket_events,
        intake,
        outcomes,
        escalations,
        agents,
        metrics,
        health,
        prometheus,
    ):
        app.include_router(module.router)
    mount_review(app)
    # The last added runs first: URL checks, the body limit, then the bug catcher.
    app.add_middleware(CatchBugs)
    app.add_middleware(BodyLimit, max_bytes=settings.max_request_bytes)
    app.add_middleware(RequestGuard)
    return app


def freeze_startup_objects() -> None:
    """What start-up loaded (model, policies, graph) lives as long as a server process: keep
    it out of the collector's full passes, which cost CPU under load (and, after a fork,
    copies of shared memory pages)."""
    gc.freeze()


def create_served_app() -> FastAPI:
    """The app in each `deskroute serve` HTTP worker; settings come from the environment."""
    app = create_app(route_in_background=False)
    freeze_startup_objects()
    return app
