"""The dashboard: the period's routing figures against the period before, the alerts raised in
it, charts over time, and from every figure a link to the tickets behind it
(`/review/dashboard/tickets`).

Parameters are a GET form, as on the queue page: a view is a link to share or bookmark.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any, get_args
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError

from deskroute.alerts.check import list_alerts
from deskroute.analytics import views
from deskroute.analytics.behind import FIGURES, TITLES, FigureName, TicketList
from deskroute.analytics.present import Line, report_lines
from deskroute.analytics.query import DIMENSIONS, MetricsQuery
from deskroute.analytics.report import MetricsReport
from deskroute.analytics.service import desk_of, list_tickets_behind, metrics_summary
from deskroute.api.deps import WorkspaceDep
from deskroute.errors import BadInputError
from deskroute.models.alerts import AlertOut
from deskroute.store.types import utcnow
from deskroute.web.auth import HOME, CurrentReviewer
from deskroute.web.pages import render

router = APIRouter(prefix=HOME, include_in_schema=False)
DASHBOARD = f"{HOME}/dashboard"
PERIODS = {"7d": "Last 7 days", "14d": "Last 14 days", "28d": "Last 28 days"}
PAGE_SIZE = 50
HEADLINE = (
    "Tickets in",
    "Escalated to a person",
    "Confirmed by reviewers",
    "Flagged as misrouted",
    "Reassigned at least once",
    "Time to assignment, p50",
    "Resolution, p50",
    "Breached",
)
"""The figures shown as cards at the top, by label."""
ALERTS_SHOWN = 20
HOLDING_CHECKS = 2
"""An alert seen at one of the last this many checks still holds."""


@dataclass(frozen=True)
class ShownAlert:
    alert: AlertOut
    holding: bool
    """Its condition held at one of the last checks (else it has cleared)."""


def _params(since: str, by: str, filters: dict[str, str]) -> dict[str, str]:
    """The view's parameters as they go into a link (empty ones left out)."""
    return {k: v for k, v in {"since": since, "by": by, **filters}.items() if v}


def dashboard_url(params: dict[str, str], **changes: str | None) -> str:
    merged = {**params, **{k: v or "" for k, v in changes.items()}}
    query = urlencode({k: v for k, v in merged.items() if v})
    return f"{DASHBOARD}?{query}" if query else DASHBOARD


def tickets_url(
    params: dict[str, str],
    figure: str,
    *,
    reason: str | None = None,
    previous: bool = False,
    **filters: str,
) -> str:
    """The tickets behind a figure of this view (the breakdown plays no part in the list)."""
    merged = {k: v for k, v in {**params, **filters}.items() if k != "by"}
    merged.update(figure=figure, reason=reason or "", period="previous" if previous else "")
    return f"{DASHBOARD}/tickets?" + urlencode({k: v for k, v in merged.items() if v})


def _query(since: str, by: str, filters: dict[str, str]) -> MetricsQuery:
    fields: dict[str, Any] = {"since": since, "compare_previous": True, **filters}
    if by:
        fields["by"] = by
    try:
        return MetricsQuery.model_validate(fields)
    except ValidationError as exc:
        first = exc.errors()[0]
        raise BadInputError(str(first["msg"]), field=str(first["loc"][0])) from exc


def _filters(**given: str) -> dict[str, str]:
    return {d: given[d].strip() for d in DIMENSIONS if given.get(d, "").strip()}


@router.get("/dashboard", response_class=HTMLResponse)
def dashboard(
    request: Request,
    ws: WorkspaceDep,
    session: CurrentReviewer,
    since: str = "7d",
    by: str = "",
    category: str = "",
    queue: str = "",
    tier: str = "",
    language: str = "",
    channel: str = "",
) -> Response:
    """The figures of the period against the period before."""
    filters = _filters(
        category=category, queue=queue, tier=tier, language=language, channel=channel
    )
    since, by = since.strip() or "7d", by.strip()
    params = _params(since, by, filters)
    error: BadInputError | None = None
    report: MetricsReport | None = None
    try:
        report = metrics_summary(desk_of(ws), _query(since, by, filters))
    except BadInputError as exc:
        error = exc
    lines = report_lines(report) if report is not None else []
    alerts: list[ShownAlert] = []
    if report is not None:
        now = utcnow()
        recent = timedelta(minutes=HOLDING_CHECKS * ws.policies.alerts.check_every_minutes)
        alerts = [
            ShownAlert(alert=a, holding=now - a.last_seen_at <= recent)
            for a in list_alerts(ws.engine, since=report.current.start, limit=ALERTS_SHOWN)
        ]
    return render(
        request,
        "dashboard.html",
        session=session,
        status=422 if error else 200,
        error=error,
        report=report,
        lines=lines,
        headline=[line for label in HEADLINE for line in lines if line.label == label],
        alerts=alerts,
        charts=views.charts(report) if report is not None else [],
        groups=views.groups(report) if report is not None else [],
        group_columns=views.GROUP_COLUMNS,
        columns_of=views.group_columns,
        params=params,
        since=since,
        by=by,
        filters=filters,
        periods=PERIODS,
        dimensions=DIMENSIONS,
        dashboard_url=dashboard_url,
        tickets_url=tickets_url,
        link=lambda line, previous=False, **extra: _link(params, line, previous, **extra),
    )


def _link(params: dict[str, str], line: Line, previous: bool, **filters: str) -> str | None:
    if line.figure is None:
        return None
    return tickets_url(params, line.figure, reason=line.reason, previous=previous, **filters)


@router.get("/dashboard/tickets", response_class=HTMLResponse)
def tickets_behind_page(
    request: Request,
    ws: WorkspaceDep,
    session: CurrentReviewer,
    figure: str = "tickets_in",
    reason: str = "",
    period: str = "",
    since: str = "7d",
    category: str = "",
    queue: str = "",
    tier: str = "",
    language: str = "",
    channel: str = "",
    offset: str = "",
) -> Response:
    """The tickets a figure of the dashboard counts, newest first."""
    filters = _filters(
        category=category, queue=queue, tier=tier, language=language, channel=channel
    )
    since = since.strip() or "7d"
    params = _params(since, "", filters)
    previous = period.strip() == "previous"
    error: BadInputError | None = None
    found = TicketList(total=0, offset=0)
    title, window, now = "Tickets", None, utcnow()
    try:
        name = _figure(figure.strip())
        title = TITLES[name]
        query = _query(since, "", filters)
        found = list_tickets_behind(
            desk_of(ws),
            query,
            name,
            reason=reason.strip() or None,
            previous=previous,
            limit=PAGE_SIZE,
            offset=_offset(offset),
            now=now,
        )
        window = query.window(now).previous if previous else query.window(now)
    except (BadInputError, ValueError) as exc:
        error = exc if isinstance(exc, BadInputError) else BadInputError(str(exc), field="since")
    shown_to = found.offset + len(found.items)
    here = {**params, "figure": figure, "reason": reason, "period": period}
    return render(
        request,
        "dashboard_tickets.html",
        session=session,
        status=422 if error else 200,
        error=error,
        found=found,
        title=title,
        reason=reason.strip(),
        previous=previous,
        filters=filters,
        window=window,
        back_url=dashboard_url(params),
        previous_url=_page(here, found.offset - PAGE_SIZE) if found.offset > 0 else None,
        next_url=_page(here, shown_to) if shown_to < found.total else None,
    )


def _page(params: dict[str, str], offset: int) -> str:
    merged = {**params, "offset": str(offset) if offset > 0 else ""}
    return f"{DASHBOARD}/tickets?" + urlencode({k: v for k, v in merged.items() if v})


def _figure(name: str) -> FigureName:
    for known in get_args(FigureName):
        if name == known:
            return known
    raise BadInputError(f"unknown figure {name!r}; use one of {', '.join(FIGURES)}", field="figure")


def _offset(text: str) -> int:
    if not text.strip():
        return 0
    if not text.strip().isdigit():
        raise BadInputError("must be a whole number of tickets to skip", field="offset")
    return int(text)
