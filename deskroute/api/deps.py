"""Request dependencies: the workspace, the authenticated caller, common parameters."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header, Query, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from deskroute.api.auth import (
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    AuthError,
    Credentials,
    Principal,
    check_signature_headers,
)
from deskroute.runtime import Workspace

_bearer = HTTPBearer(
    auto_error=False,
    description="An API key from DESKROUTE_API_KEYS. Webhook sources may sign the body instead.",
)


def _workspace(request: Request) -> Workspace:
    ws: Workspace = request.app.state.ws
    return ws


async def _authenticate(
    request: Request,
    bearer: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    credentials: Credentials = request.app.state.credentials
    if credentials.open_access:
        return Principal(name="anonymous")
    if bearer is not None:
        return credentials.check_bearer(bearer.credentials)
    signature = request.headers.get(SIGNATURE_HEADER)
    timestamp = request.headers.get(TIMESTAMP_HEADER)
    if signature and timestamp:
        check_signature_headers(timestamp, signature)
        body = await request.body()
        return credentials.check_signature(timestamp=timestamp, signature=signature, body=body)
    raise AuthError()


async def _raw_body(request: Request) -> bytes:
    return await request.body()


WorkspaceDep = Annotated[Workspace, Depends(_workspace)]
PrincipalDep = Annotated[Principal, Depends(_authenticate)]
RawBody = Annotated[bytes, Depends(_raw_body)]
IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        min_length=1,
        max_length=200,
        pattern=r"^[\x21-\x7e]+$",
        description="Printable ASCII, no spaces. Repeats with the same key return the first "
        "ticket (`200`).",
    ),
]
Wait = Annotated[
    float,
    Query(ge=0, le=30, description="Seconds to wait for the outcome before answering `202`."),
]


def scoped_key(principal: Principal, key: str | None) -> str | None:
    """Idempotency keys are per caller, so two bots cannot collide."""
    return f"{principal.name}:{key}" if key else None
