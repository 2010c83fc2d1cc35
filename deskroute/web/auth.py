"""Who is signed in to the review page, and whether a form really came from it.

- The session cookie `deskroute_review` holds a random token (the store keeps its SHA-256).
  It is HttpOnly, SameSite=Lax, limited to `/review`, and Secure when the request came over
  HTTPS. Behind a TLS-terminating proxy, the request's scheme is what uvicorn derives from
  `X-Forwarded-Proto` for the proxies it trusts (`--forwarded-allow-ips`, by default only
  127.0.0.1), so a proxy on the same machine gets Secure cookies with no setting here.
- Every POST carries a CSRF token in the form field `csrf_token`: the session's own secret
  once signed in; before that, on the sign-in form, a random value that must equal the
  `deskroute_review_login` cookie (another site can neither read nor set it). A POST without
  a valid token gets 403.
- `current_reviewer` sends anyone not signed in to the sign-in page (303, with `next`), so no
  page that shows a ticket answers them.
"""

from __future__ import annotations

import hmac
import re
import secrets
from typing import Annotated
from urllib.parse import quote, urlsplit

from fastapi import Depends, Request
from fastapi.responses import RedirectResponse, Response

from deskroute.api.deps import WorkspaceDep
from deskroute.review.sessions import (
    SESSION_TTL,
    ActiveSession,
    NewSession,
    csrf_matches,
    reviewer_for_session,
)

SESSION_COOKIE = "deskroute_review"
LOGIN_COOKIE = "deskroute_review_login"
CSRF_FIELD = "csrf_token"
HOME = "/review"
LOGIN_PATH = "/review/login"
_LOGIN_TOKEN = re.compile(r"[A-Za-z0-9_-]{43}")


class SignInRequired(Exception):
    """Raised by `current_reviewer`; answered with a redirect to the sign-in page."""

    def __init__(self, next_url: str, *, had_cookie: bool) -> None:
        self.next_url = next_url
        self.had_cookie = had_cookie
        super().__init__("sign in first")


class CsrfRejected(Exception):
    """A POST whose CSRF token is missing or not this session's; answered with 403."""


def is_https(request: Request) -> bool:
    return request.url.scheme == "https"


def safe_next(value: str | None) -> str:
    """Where to go after signing in: a path on the review page only, never another site."""
    if not value or "\\" in value:
        return HOME
    parts = urlsplit(value)
    on_review = parts.path == HOME or parts.path.startswith(f"{HOME}/")
    return value if on_review and not parts.scheme and not parts.netloc else HOME


def sign_in_url(next_url: str) -> str:
    return f"{LOGIN_PATH}?next={quote(next_url, safe='')}"


def session_token(request: Request) -> str:
    """The session cookie's value ("" when there is none)."""
    return request.cookies.get(SESSION_COOKIE, "")


def current_reviewer(request: Request, ws: WorkspaceDep) -> ActiveSession:
    """The signed-in reviewer, or a redirect to the sign-in page."""
    token = session_token(request)
    active = reviewer_for_session(ws.engine, token=token) if token else None
    if active is None:
        here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        next_url = safe_next(here) if request.method == "GET" else HOME
        raise SignInRequired(next_url, had_cookie=bool(token))
    return active


async def checked_reviewer(
    request: Request, active: Annotated[ActiveSession, Depends(current_reviewer)]
) -> ActiveSession:
    """The signed-in reviewer of a POST whose form carries the session's CSRF token."""
    given = (await request.form()).get(CSRF_FIELD)
    if not isinstance(given, str) or not csrf_matches(active, given):
        raise CsrfRejected()
    return active


CurrentReviewer = Annotated[ActiveSession, Depends(current_reviewer)]
"""For pages: the signed-in reviewer (others are sent to sign in)."""
CheckedReviewer = Annotated[ActiveSession, Depends(checked_reviewer)]
"""For every POST: the signed-in reviewer, with the form's CSRF token checked."""


def is_signed_in(request: Request, ws: WorkspaceDep) -> bool:
    token = session_token(request)
    return bool(token) and reviewer_for_session(ws.engine, token=token) is not None


def set_session_cookie(response: Response, request: Request, new: NewSession) -> None:
    response.set_cookie(
        SESSION_COOKIE,
        new.token,
        max_age=int(SESSION_TTL.total_seconds()),
        path=HOME,
        secure=is_https(request),
        httponly=True,
        samesite="lax",
    )


def clear_session_cookie(response: Response, request: Request) -> None:
    response.delete_cookie(
        SESSION_COOKIE, path=HOME, secure=is_https(request), httponly=True, samesite="lax"
    )


def login_token(request: Request) -> str:
    """The sign-in form's CSRF value: the browser's current one, or a new one."""
    known = request.cookies.get(LOGIN_COOKIE, "")
    return known if _LOGIN_TOKEN.fullmatch(known) else secrets.token_urlsafe(32)


def set_login_cookie(response: Response, request: Request, token: str) -> None:
    response.set_cookie(
        LOGIN_COOKIE,
        token,
        path=LOGIN_PATH,
        secure=is_https(request),
        httponly=True,
        samesite="lax",
    )


def clear_login_cookie(response: Response, request: Request) -> None:
    response.delete_cookie(
        LOGIN_COOKIE, path=LOGIN_PATH, secure=is_https(request), httponly=True, samesite="lax"
    )


def login_form_is_ours(request: Request, given: str) -> bool:
    """Whether the sign-in form's token equals the cookie this site set with the form."""
    known = request.cookies.get(LOGIN_COOKIE, "")
    return bool(_LOGIN_TOKEN.fullmatch(known)) and hmac.compare_digest(
        known.encode("ascii"), given.encode("utf-8", "replace")
    )


def redirect_to_sign_in(exc: SignInRequired, request: Request) -> RedirectResponse:
    response = RedirectResponse(sign_in_url(exc.next_url), status_code=303)
    if exc.had_cookie:  # expired or signed out elsewhere: the browser may forget it
        clear_session_cookie(response, request)
    return response
