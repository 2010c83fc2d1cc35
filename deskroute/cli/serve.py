"""`serve`: the HTTP API for chat and e-mail intake bots."""

from __future__ import annotations

import os
from typing import Annotated

import typer

from deskroute.settings import Settings


def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="TCP port.")] = 8000,
    workers: Annotated[int, typer.Option(min=1, max=64, help="HTTP worker processes.")] = 1,
    routers: Annotated[int, typer.Option(min=1, max=64, help="Routing processes.")] = 1,
    insecure: Annotated[
        bool, typer.Option(help="Accept requests without credentials (local development only).")
    ] = False,
) -> None:
    """Serve the HTTP API; tickets are stored before the answer and routed in the background."""
    from deskroute.api.server import serve as run_server  # the web stack loads only here

    if insecure:
        os.environ["DESKROUTE_INSECURE_NO_AUTH"] = "1"  # every worker process reads it
    run_server(Settings(), host=host, port=port, workers=workers, routers=routers)


def register(app: typer.Typer) -> None:
    app.command()(serve)
