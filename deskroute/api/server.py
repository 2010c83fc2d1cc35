"""`deskroute serve`: HTTP workers under uvicorn plus separate routing processes.

Routing runs in its own processes, at a lower CPU priority, so a burst of tickets is accepted
at full speed and routed as fast as the machine allows; the store is the queue between them.
Every process reads its settings from the environment.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import threading
from multiprocessing.context import ForkContext, SpawnContext
from multiprocessing.process import BaseProcess

import uvicorn

from deskroute.api.app import create_app, freeze_startup_objects
from deskroute.api.auth import Credentials
from deskroute.background import LOOPS, run_loops
from deskroute.runtime import Workspace, open_workspace
from deskroute.settings import Settings
from deskroute.worker import RoutingWorker

log = logging.getLogger(__name__)

ROUTER_NICENESS = 10
PARENT_CHECK_S = 0.5
ROUTER_STOP_S = 30.0


def _watch_parent(parent_pid: int, stop: threading.Event) -> None:
    """Stop when the server died without saying so (it was killed)."""
    while not stop.wait(PARENT_CHECK_S):
        if os.getppid() != parent_pid:
            stop.set()


def run_router(parent_pid: int, ws: Workspace | None) -> None:
    """A routing process: claims and routes tickets until SIGTERM or the server's death.
    A ticket being routed when it stops is finished first. A forked router gets the server's
    workspace (policies, model, graph) and only needs its own database connections."""
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the group; the server decides
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda _sig, _frame: stop.set())
    # uvicorn ends a SIGTERM-ed server by re-raising the signal, so the server may vanish
    # without stopping its routers: they watch for that themselves.
    threading.Thread(target=_watch_parent, args=(parent_pid, stop), daemon=True).start()
    os.nice(ROUTER_NICENESS)
    if ws is None:
        ws = open_workspace(Settings())
    else:
        ws.after_fork()
    RoutingWorker(ws).run(stop)


def run_keeper(parent_pid: int, ws: Workspace | None) -> None:
    """The process that runs the loops after routing (`deskroute.background`): assignment,
    the SLA sweep and outbox delivery, until SIGTERM or the server's death."""
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda _sig, _frame: stop.set())
    threading.Thread(target=_watch_parent, args=(parent_pid, stop), daemon=True).start()
    if ws is None:
        ws = open_workspace(Settings())
    else:
        ws.after_fork()
    run_loops(ws, stop, LOOPS)


def _start_routers(ws: Workspace, count: int) -> list[BaseProcess]:
    """Fork where the platform allows it (no second start-up), else spawn fresh processes."""
    if "fork" in multiprocessing.get_all_start_methods():
        context: ForkContext | SpawnContext = multiprocessing.get_context("fork")
        ws.engine.dispose()  # no connection may be shared with a child
        inherited: Workspace | None = ws
    else:
        context, inherited = multiprocessing.get_context("spawn"), None
    processes: list[BaseProcess] = [
        context.Process(
            target=run_router, args=(os.getpid(), inherited), name=f"deskroute-router-{i}"
        )
        for i in range(count)
    ]
    processes.append(
        context.Process(target=run_keeper, args=(os.getpid(), inherited), name="deskroute-keeper")
    )
    for process in processes:
        process.start()
    return processes


def serve(settings: Settings, *, host: str, port: int, workers: int, routers: int) -> None:
    """Check credentials, prepare the store and model once, start routers, then serve HTTP."""
    Credentials.from_settings(settings)
    # One process creates the tables, seeds the demo CRM and trains the demo model, before
    # any other process could race it.
    app = create_app(settings, route_in_background=False)
    ws: Workspace = app.state.ws
    for warning in ws.warnings:
        log.warning("%s", warning)
    freeze_startup_objects()
    processes = _start_routers(ws, routers)
    try:
        if workers == 1:
            uvicorn.run(app, host=host, port=port, timeout_graceful_shutdown=10)
        else:
            uvicorn.run(
                "deskroute.api.app:create_served_app",
                factory=True,
                host=host,
                port=port,
                workers=workers,
                timeout_graceful_shutdown=10,
            )
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.join(ROUTER_STOP_S)
            if process.is_alive():
                log.error("router %s did not stop in time; killing it", process.name)
                process.kill()
