"""The queue page (escalations by priority, then age, with filters and counts) and the
corrections page (the labelled examples reviews left behind, newest first).

Filters are a GET form, so a filtered queue is a link a reviewer can share or bookmark; an
empty field means "any". Values the queue cannot use are shown as an error on the page (422).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import get_args
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError

from deskroute.api.deps import WorkspaceDep
from deskroute.errors import BadInputError, ConflictError
from deskroute.models.classification import EscalationReason
from deskroute.models.review_query import Priority, ReviewQuery
from deskroute.review.corrections import list_corrections
from deskroute.review.service import list_escalations
from deskroute.review.views import EscalationPage
from deskroute.web.auth import HOME, CurrentReviewer
from deskroute.web.pages import render
from deskroute.web.tickets import category_names

PAGE_SIZE = 25
CORRECTIONS_SHOWN = 200
# Query parameter -> ReviewQuery field.
FILTERS = {
    "state": "state",
    "reason": "reason",
    "queue": "queue",
    "category": "category",
    "priority": "priority",
    "waiting": "older_than_minutes",
    "order": "order",
}

router = APIRouter(prefix=HOME, include_in_schema=False)


@dataclass(frozen=True)
class Facet:
    """A count in the queue's summary, which links to the queue filtered by it."""

    name: str
    count: int
    url: str
    current: bool


def queue_url(filters: dict[str, str], **changes: str | int | None) -> str:
    """The queue with these filters, some changed (None or "" drops one)."""
    merged = {**filters, **{k: "" if v is None else str(v) for k, v in changes.items()}}
    query = urlencode({k: v for k, v in merged.items() if v})
    return f"{HOME}?{query}" if query else HOME


def _query(filters: dict[str, str], offset: str) -> ReviewQuery:
    fields: dict[str, object] = {FILTERS[k]: v for k, v in filters.items()}
    if offset:
        fields["offset"] = offset
    try:
        return ReviewQuery.model_validate({**fields, "limit": PAGE_SIZE})
    except ValidationError as exc:
        first = exc.errors()[0]
        name = str(first["loc"][0]) if first["loc"] else "filters"
        shown = next((k for k, v in FILTERS.items() if v == name), name)
        raise BadInputError(str(first["msg"]), field=shown) from exc


def _facets(counts: dict[str, int], key: str, filters: dict[str, str]) -> list[Facet]:
    return [
        Facet(
            name, count, queue_url(filters, **{key: name, "offset": None}), filters.get(key) == name
        )
        for name, count in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    ]


@router.get("", response_class=HTMLResponse)
def queue_page(
    request: Request,
    ws: WorkspaceDep,
    session: CurrentReviewer,
    state: str = "",
    reason: str = "",
    queue: str = "",
    category: str = "",
    priority: str = "",
    waiting: str = "",
    order: str = "",
    offset: str = "",
) -> Response:
    """The escalations waiting for review (or resolved), by priority, then oldest first, or
    those whose label would teach the model most first."""
    given = {
        "state": state,
        "reason": reason,
        "queue": queue,
        "category": category,
        "priority": priority,
        "waiting": waiting,
        "order": order,
    }
    filters = {k: v.strip() for k, v in given.items() if v.strip()}
    error: BadInputError | ConflictError | None = None
    try:
        query = _query(filters, offset.strip())
        page = list_escalations(ws, query)
    except (BadInputError, ConflictError) as exc:
        error = exc
        page = EscalationPage(
            items=[], count=0, limit=PAGE_SIZE, offset=0, by_reason={}, by_queue={}
        )
    shown_to = page.offset + len(page.items)
    return render(
        request,
        "queue.html",
        session=session,
        status=(409 if isinstance(error, ConflictError) else 422) if error else 200,
        page=page,
        error=error,
        filters=filters,
        resolved=filters.get("state") == "resolved",
        learning=filters.get("order") == "learning",
        by_reason=_facets(page.by_reason, "reason", filters),
        by_queue=_facets(page.by_queue, "queue", filters),
        previous_url=queue_url(filters, offset=max(0, page.offset - PAGE_SIZE) or None)
        if page.offset > 0
        else None,
        next_url=queue_url(filters, offset=shown_to) if shown_to < page.count else None,
        clear_url=queue_url({k: filters[k] for k in ("state", "order") if k in filters}),
        reasons=get_args(EscalationReason),
        queues=sorted(ws.policies.queues),
        categories=category_names(ws),
        priorities=get_args(Priority),
    )


@router.get("/corrections", response_class=HTMLResponse)
def corrections(request: Request, ws: WorkspaceDep, session: CurrentReviewer) -> Response:
    """The labelled examples reviews left behind, newest first."""
    rows = list_corrections(ws, limit=CORRECTIONS_SHOWN, newest_first=True)
    return render(
        request,
        "corrections.html",
        session=session,
        rows=rows,
        shown=CORRECTIONS_SHOWN,
        categories=category_names(ws),
    )
