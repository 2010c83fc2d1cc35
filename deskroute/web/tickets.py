"""The ticket page: one escalation with its whole context, and the reviewer's decision on it;
or a ticket routed without a person, with a form to flag it as misrouted.

Opening an escalation takes the ticket's soft lock for the signed-in reviewer. A decision (or
a flag) posts back here; done, the browser is sent to the ticket page again (303), which then
shows the outcome. One the service refuses shows the page again with the error next to its
form (422), or with who decided first (409).
"""

from __future__ import annotations

import re
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import FormData

from deskroute.api.deps import WorkspaceDep
from deskroute.errors import BadInputError, ConflictError, NotFoundError
from deskroute.models.review import REVIEW_ACTIONS
from deskroute.review.misroute import flag_misrouted, routed_ticket
from deskroute.review.service import open_escalation, resolve
from deskroute.review.sessions import ActiveSession
from deskroute.runtime import Workspace
from deskroute.web.auth import HOME, CheckedReviewer, CurrentReviewer
from deskroute.web.forms import FormError, decision_from_form, misroute_from_form, typed_values
from deskroute.web.pages import done, render
from deskroute.web.ticket_view import ticket_context

router = APIRouter(prefix=HOME, include_in_schema=False)
_TICKET_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")


async def posted_form(request: Request) -> FormData:
    """The posted form (read once; the CSRF check has read it already)."""
    return await request.form()


PostedForm = Annotated[FormData, Depends(posted_form)]


def ticket_url(ticket_id: str) -> str:
    return f"{HOME}/tickets/{ticket_id}"


def category_names(ws: Workspace) -> dict[str, str]:
    """Category ids and the names reviewers know them by, in the taxonomy's order."""
    return {key: category.name for key, category in ws.policies.taxonomy.categories.items()}


def problem_page(request: Request, session: ActiveSession, status: int, message: str) -> Response:
    titles = {404: "No such escalated ticket", 409: "This ticket cannot be reviewed"}
    return render(
        request,
        "error.html",
        session=session,
        status=status,
        title=titles.get(status, "Something is wrong"),
        message=message[:1].upper() + message[1:],
    )


def _ticket_page(
    request: Request,
    ws: Workspace,
    session: ActiveSession,
    ticket_id: str,
    *,
    status: int = 200,
    notice: str | None = None,
    conflict: str | None = None,
    failed: FormError | None = None,
) -> Response:
    if not _TICKET_ID.fullmatch(ticket_id):
        return problem_page(request, session, 404, f"no ticket {ticket_id[:64]!r}")
    try:
        detail = open_escalation(ws, ticket_id, reviewer=session.reviewer)
    except NotFoundError as exc:
        return problem_page(request, session, 404, str(exc))
    except ConflictError:  # not escalated: routed (the misroute form), or it says why not
        return _routed_page(request, ws, session, ticket_id, notice=notice)
    context = ticket_context(
        detail, reviewer=session.reviewer, categories=category_names(ws), failed=failed
    )
    return render(
        request,
        "ticket.html",
        session=session,
        status=status,
        notice=notice,
        conflict=conflict,
        **context,
    )


def _routed_page(
    request: Request,
    ws: Workspace,
    session: ActiveSession,
    ticket_id: str,
    *,
    status: int = 200,
    notice: str | None = None,
    conflict: str | None = None,
    failed: FormError | None = None,
) -> Response:
    """A ticket routed without a person, with its misroute form; any other ticket that is
    not escalated says why it cannot be reviewed."""
    try:
        ticket = routed_ticket(ws, ticket_id)
    except NotFoundError as exc:
        return problem_page(request, session, 404, str(exc))
    except ConflictError as exc:
        return problem_page(request, session, 409, str(exc))
    return render(
        request,
        "routed.html",
        session=session,
        status=status,
        ticket=ticket,
        categories=category_names(ws),
        notice=notice,
        conflict=conflict,
        failed=failed,
    )


@router.get("/find", response_class=HTMLResponse)
def find_ticket(request: Request, session: CurrentReviewer, ticket: str = "") -> Response:
    """The lookup box: to a ticket's page by its id."""
    wanted = ticket.strip()
    if not _TICKET_ID.fullmatch(wanted):
        return problem_page(request, session, 404, f"no ticket {wanted[:64]!r}")
    return RedirectResponse(ticket_url(wanted), status_code=303)


@router.get("/tickets/{ticket_id}", response_class=HTMLResponse)
def ticket_page(
    request: Request,
    ws: WorkspaceDep,
    session: CurrentReviewer,
    ticket_id: str,
    decided: str | None = None,
    flagged: str | None = None,
) -> Response:
    notice = f"Your decision is recorded: {done(decided)}." if decided in REVIEW_ACTIONS else None
    if flagged is not None:
        notice = "Your flag is kept as a correction."
    return _ticket_page(request, ws, session, ticket_id, notice=notice)


@router.post("/tickets/{ticket_id}/resolve", response_class=HTMLResponse)
def resolve_submit(
    request: Request,
    ws: WorkspaceDep,
    session: CheckedReviewer,
    form: PostedForm,
    ticket_id: str,
) -> Response:
    typed = typed_values(form)
    try:
        decision = decision_from_form(form, reviewer=session.reviewer)
        resolve(ws, ticket_id, decision)
    except BadInputError as exc:
        failed = FormError.of(exc, typed)
        return _ticket_page(request, ws, session, ticket_id, status=422, failed=failed)
    except ConflictError as exc:
        return _ticket_page(request, ws, session, ticket_id, status=409, conflict=str(exc))
    except NotFoundError as exc:
        return problem_page(request, session, 404, str(exc))
    return RedirectResponse(f"{ticket_url(ticket_id)}?decided={decision.action}", status_code=303)


@router.post("/tickets/{ticket_id}/misroute", response_class=HTMLResponse)
def misroute_submit(
    request: Request,
    ws: WorkspaceDep,
    session: CheckedReviewer,
    form: PostedForm,
    ticket_id: str,
) -> Response:
    typed = typed_values(form)
    try:
        flag_misrouted(ws, ticket_id, misroute_from_form(form, reviewer=session.reviewer))
    except BadInputError as exc:
        failed = FormError.of(exc, {**typed, "form": "misroute"})
        return _routed_page(request, ws, session, ticket_id, status=422, failed=failed)
    except ConflictError as exc:
        return _routed_page(request, ws, session, ticket_id, status=409, conflict=str(exc))
    except NotFoundError as exc:
        return problem_page(request, session, 404, str(exc))
    return RedirectResponse(f"{ticket_url(ticket_id)}?flagged=1", status_code=303)
