"""Every failure answers `{"error": {"code", "message", "field"}}` with a 4xx status; only a
bug is a 500, and that one is logged once with its traceback, still answers in the same shape
and leaves the client's keep-alive connection open."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException
from starlette.requests import ClientDisconnect
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from deskroute.api.auth import AuthError
from deskroute.errors import BadInputError, ConflictError, NotFoundError

log = logging.getLogger(__name__)

E = TypeVar("E", bound=Exception)

# Bad input whose code says the request as a whole is unusable rather than one field.
_BAD_REQUEST_CODES = frozenset({"malformed_email", "not_utf8", "empty", "invalid_json"})
# Validation errors of the request body as a whole (no JSON object at all), which must not be
# reported as if the ticket's own `body` field were wrong.
_NOT_AN_OBJECT = frozenset({"missing", "model_attributes_type", "model_type", "dict_type"})


def error_response(
    status: int, code: str, message: str, field: str | None = None, **headers: str
) -> JSONResponse:
    body = {"error": {"code": code, "message": message, "field": field}}
    return JSONResponse(body, status_code=status, headers=headers or None)


def _field(loc: tuple[Any, ...]) -> str | None:
    """`("body", "customer", "email")` -> `customer.email`; the location kind is dropped."""
    parts = (
        [str(p) for p in loc[1:]] if loc and loc[0] in ("body", "query", "header", "path") else []
    )
    if loc and loc[0] == "header" and parts:
        return parts[0]
    return ".".join(parts) or (str(loc[0]) if loc else None)


async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
    first = exc.errors()[0]
    if first["type"] == "json_invalid":
        detail = first.get("ctx", {}).get("error", "")
        return error_response(
            400, "invalid_json", f"the body is not valid JSON: {detail}".strip(": ")
        )
    if tuple(first["loc"]) == ("body",) and first["type"] in _NOT_AN_OBJECT:
        media = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if media != "application/json":
            return error_response(
                415,
                "unsupported_media_type",
                f"send JSON with Content-Type: application/json (got {media or 'none'})",
            )
        return error_response(
            422, "invalid_body", "the body must be a JSON object of the documented fields"
        )
    message = str(first["msg"]).removeprefix("Value error, ")
    if first["loc"][0] == "header" and first["type"] == "string_pattern_mismatch":
        message = "use printable ASCII characters, without spaces"
    code = "unknown_field" if first["type"] == "extra_forbidden" else str(first["type"])
    return error_response(422, code, message, _field(tuple(first["loc"])))


async def _bad_input(_request: Request, exc: BadInputError) -> JSONResponse:
    if exc.code == "too_large":
        status = 413
    elif exc.code in _BAD_REQUEST_CODES:
        status = 400
    else:
        status = 422
    return error_response(status, exc.code, exc.message, exc.field)


async def _not_found(_request: Request, exc: NotFoundError) -> JSONResponse:
    return error_response(404, "not_found", str(exc))


async def _conflict(_request: Request, exc: ConflictError) -> JSONResponse:
    return error_response(409, "conflict", str(exc), exc.field)


async def _auth(_request: Request, exc: AuthError) -> JSONResponse:
    return error_response(401, "unauthorized", AuthError.message, **{"WWW-Authenticate": "Bearer"})


def _not_utf8(request: Request, exc: UnicodeDecodeError) -> JSONResponse:
    """JSON must be UTF-8 (RFC 8259); say so, and where, rather than "cannot parse"."""
    declared = request.headers.get("content-type", "").partition("charset=")[2].strip(' "')
    said = f"; the request declares charset={declared}" if declared else ""
    return error_response(
        400,
        "not_utf8",
        f"the body is not UTF-8 text (byte 0x{exc.object[exc.start]:02x} at offset {exc.start})"
        f"{said}: send JSON encoded as UTF-8",
    )


async def _http(request: Request, exc: HTTPException) -> JSONResponse:
    if exc.status_code == 400 and isinstance(exc.__cause__, UnicodeDecodeError):
        return _not_utf8(request, exc.__cause__)  # FastAPI's "error parsing the body"
    codes = {400: "invalid_body", 404: "not_found", 405: "method_not_allowed", 413: "too_large"}
    code = codes.get(exc.status_code, f"http_{exc.status_code}")
    return error_response(exc.status_code, code, str(exc.detail), **(exc.headers or {}))


def _internal_error() -> JSONResponse:
    return error_response(500, "internal_error", "internal error; it has been logged")


def _handle(
    app: FastAPI, kind: type[E], handler: Callable[[Request, E], Awaitable[JSONResponse]]
) -> None:
    """Register a handler for the exception type it takes. (Starlette types every handler as
    taking `Exception`; FastAPI's decorator accepts any callable, and this pairs the two.)"""
    app.exception_handler(kind)(handler)


async def _bug(request: Request, exc: Exception) -> JSONResponse:
    """The last resort, for a bug outside `CatchBugs` (Starlette re-raises after it, so the
    server logs it a second time and closes the connection)."""
    log.error("internal error on %s %s", request.method, request.url.path, exc_info=exc)
    return _internal_error()


class CatchBugs:
    """Answer a bug in a route with a 500 and log it, once; unlike Starlette's own handler it
    does not re-raise, so the server neither logs it again nor drops the connection."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def watched(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, watched)
        except ClientDisconnect:
            # Nobody is left to answer, and it is not our bug.
            log.info("the client left before its request was read: %s", scope["path"])
        except Exception as exc:
            if started:  # too late for an answer: the server must cut the response short
                raise
            log.error("internal error on %s %s", scope["method"], scope["path"], exc_info=exc)
            await _internal_error()(scope, receive, send)


def install_error_handlers(app: FastAPI) -> None:
    _handle(app, RequestValidationError, _validation)
    _handle(app, BadInputError, _bad_input)
    _handle(app, NotFoundError, _not_found)
    _handle(app, ConflictError, _conflict)
    _handle(app, AuthError, _auth)
    _handle(app, HTTPException, _http)
    _handle(app, Exception, _bug)


class BodyTooLarge(HTTPException):
    def __init__(self, limit: int) -> None:
        super().__init__(413, f"the request body is larger than {limit:,} bytes")


class BodyLimit:
    """Refuse bodies over the limit: at once by Content-Length, else while they stream in."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > self.max_bytes:
            error = BodyTooLarge(self.max_bytes)
            response = error_response(413, "too_large", str(error.detail))
            await response(scope, receive, send)
            return
        total = 0

        async def limited() -> Message:
            nonlocal total
            message = await receive()
            if message["type"] == "http.request":
                total += len(message.get("body", b""))
                if total > self.max_bytes:
                    raise BodyTooLarge(self.max_bytes)
            return message

        await self.app(scope, limited, send)
