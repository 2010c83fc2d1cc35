"""The review page's sign-in and sign-out, and `mount_review`, which serves every page under
`/review` (the queue and corrections in `queue.py`, a ticket and its decisions in `tickets.py`,
the routing figures in `dashboard.py`).

HTML only, rendered on the server, so it works with JavaScript off. The routes are left out
of the OpenAPI schema, which documents the JSON API.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, FastAPI, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles

from deskroute.api.deps import WorkspaceDep
from deskroute.review.sessions import SignInRefused, SignInThrottled, sign_in, sign_out
from deskroute.web.auth import (
    HOME,
    CheckedReviewer,
    CsrfRejected,
    SignInRequired,
    clear_login_cookie,
    clear_session_cookie,
    is_signed_in,
    login_form_is_ours,
    login_token,
    redirect_to_sign_in,
    safe_next,
    session_token,
    set_login_cookie,
    set_session_cookie,
)
from deskroute.web.dashboard import router as dashboard_router
from deskroute.web.pages import STATIC_DIR, render
from deskroute.web.queue import router as queue_router
from deskroute.web.tickets import router as tickets_router

router = APIRouter(prefix=HOME, include_in_schema=False)
FormText = Annotated[str, Form()]


def _sign_in_page(
    request: Request,
    *,
    next_url: str,
    status: int = 200,
    error: str | None = None,
    notice: str | None = None,
    name: str = "",
    headers: dict[str, str] | None = None,
) -> HTMLResponse:
    token = login_token(request)
    response = render(
        request,
        "login.html",
        session=None,
        status=status,
        headers=headers,
        login_csrf=token,
        next_url=next_url,
        error=error,
        notice=notice,
        name=name,
    )
    set_login_cookie(response, request, token)
    return response


def _csrf_rejected(request: Request) -> HTMLResponse:
    return render(
        request,
        "error.html",
        session=None,
        status=403,
        title="This form cannot be accepted",
        message="Its security token is missing or out of date, so it may not have come from "
        "this page. Go back, reload the page and try again.",
    )


@router.get("/login", response_class=HTMLResponse)
def sign_in_form(
    request: Request,
    ws: WorkspaceDep,
    next_url: Annotated[str, Query(alias="next")] = HOME,
    signed_out: bool = False,
) -> Response:
    if is_signed_in(request, ws):
        return RedirectResponse(safe_next(next_url), status_code=303)
    notice = "You are signed out." if signed_out else None
    return _sign_in_page(request, next_url=safe_next(next_url), notice=notice)


@router.post("/login", response_class=HTMLResponse)
def sign_in_submit(
    request: Request,
    ws: WorkspaceDep,
    name: FormText = "",
    password: FormText = "",
    csrf_token: FormText = "",
    next_url: Annotated[str, Form(alias="next")] = HOME,
) -> Response:
    if not login_form_is_ours(request, csrf_token):
        return _csrf_rejected(request)
    next_url = safe_next(next_url)
    try:
        new = sign_in(ws.engine, name=name, password=password)
    except SignInThrottled as exc:
        wait = {"Retry-After": str(exc.retry_after_s)}
        return _sign_in_page(
            request, next_url=next_url, status=429, error=str(exc), name=name, headers=wait
        )
    except SignInRefused as exc:
        return _sign_in_page(request, next_url=next_url, status=401, error=str(exc), name=name)
    response = RedirectResponse(next_url, status_code=303)
    set_session_cookie(response, request, new)
    clear_login_cookie(response, request)
    return response


@router.post("/logout")
def sign_out_submit(request: Request, ws: WorkspaceDep, _session: CheckedReviewer) -> Response:
    sign_out(ws.engine, token=session_token(request))
    response = RedirectResponse("/review/login?signed_out=1", status_code=303)
    clear_session_cookie(response, request)
    return response


def mount_review(app: FastAPI) -> None:
    """Serve the review page, its stylesheet, and its answers to the two auth exceptions."""

    async def _sign_in_required(request: Request, exc: SignInRequired) -> Response:
        return redirect_to_sign_in(exc, request)

    async def _csrf(request: Request, _exc: CsrfRejected) -> Response:
        return _csrf_rejected(request)

    for pages in (router, queue_router, tickets_router, dashboard_router):
        app.include_router(pages)
    app.mount(f"{HOME}/static", StaticFiles(directory=STATIC_DIR), name="review-static")
    app.exception_handler(SignInRequired)(_sign_in_required)
    app.exception_handler(CsrfRejected)(_csrf)
