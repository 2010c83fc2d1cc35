"""Checks on the request line and headers, before routing, authentication or the body is
read: what no endpoint could use is refused here with the usual error body."""

from __future__ import annotations

from urllib.parse import parse_qsl

from starlette.types import ASGIApp, Receive, Scope, Send

from deskroute.api.errors import error_response
from deskroute.models.ticket import NUL


def _nul_in_url(scope: Scope) -> tuple[str, str | None] | None:
    """(where, parameter) of a NUL character in the path or the query string."""
    if NUL in scope["path"]:
        return "the path", None
    query: bytes = scope.get("query_string", b"")
    if b"%00" in query or b"\x00" in query:
        for name, value in parse_qsl(query.decode("latin-1"), keep_blank_values=True):
            if NUL in name or NUL in value:
                return f"query parameter {name.replace(NUL, '')!r}", name.replace(NUL, "")
        return "the query string", None
    return None


class RequestGuard:
    """Refuse a URL that holds a NUL character (no ticket id or filter can hold one, and
    PostgreSQL cannot even compare with it) with `400 nul_character`."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and (found := _nul_in_url(scope)) is not None:
            where, field = found
            message = f"{where} holds a NUL character (%00)"
            await error_response(400, "nul_character", message, field)(scope, receive, send)
            return
        await self.app(scope, receive, send)
