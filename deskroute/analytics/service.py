"""The analytics as the CLI, the API and the dashboard call them: a session on the store,
the prices, and names checked against the policies when a filter finds nothing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import Engine
from sqlmodel import Session

from deskroute.analytics.behind import FigureName, TicketList, tickets_behind
from deskroute.analytics.metrics import compute_metrics
from deskroute.analytics.query import MetricsQuery
from deskroute.analytics.report import MetricsReport
from deskroute.errors import BadInputError, did_you_mean
from deskroute.policies.llm_prices import LlmPrices, load_llm_prices
from deskroute.policies.schema import Policies
from deskroute.store.types import utcnow

if TYPE_CHECKING:
    from deskroute.runtime import Workspace


@dataclass(frozen=True)
class Desk:
    """What the analytics read: the store, the policies (for names) and the LLM prices."""

    engine: Engine
    policies: Policies
    prices: LlmPrices


def desk_of(ws: Workspace) -> Desk:
    """The workspace's store and policies, with the prices as the file says now."""
    return Desk(
        engine=ws.engine,
        policies=ws.policies,
        prices=load_llm_prices(ws.settings.policies_dir),
    )


def metrics_summary(
    desk: Desk, query: MetricsQuery, *, now: datetime | None = None
) -> MetricsReport:
    """The report of `compute_metrics`. A category or queue filter that finds nothing because
    the policies do not know it (a typo, most likely) is a `BadInputError` naming the known
    ones; a name only older tickets carry still finds them."""
    with Session(desk.engine) as session:
        report = compute_metrics(session, query, prices=desk.prices, now=now or utcnow())
    found = report.current.total.tickets_in + (
        report.previous.total.tickets_in if report.previous else 0
    )
    if not found:
        check_names(desk.policies, query)
    return report


def list_tickets_behind(
    desk: Desk,
    query: MetricsQuery,
    figure: FigureName,
    *,
    reason: str | None = None,
    previous: bool = False,
    limit: int = 50,
    offset: int = 0,
    now: datetime | None = None,
) -> TicketList:
    with Session(desk.engine) as session:
        found = tickets_behind(
            session,
            query,
            figure,
            now=now or utcnow(),
            reason=reason,
            previous=previous,
            limit=limit,
            offset=offset,
        )
    if not found.total:
        check_names(desk.policies, query)
    return found


def check_names(policies: Policies, query: MetricsQuery) -> None:
    known = {"category": policies.taxonomy.categories.keys(), "queue": policies.queues}
    for option, names in known.items():
        value = getattr(query, option)
        if value is not None and value not in names:
            raise BadInputError(
                f"unknown {option} {value!r}{did_you_mean(value, names)}; "
                f"known: {', '.join(sorted(names))}",
                field=option,
                code=f"unknown_{option}",
            )
