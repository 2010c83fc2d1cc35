"""The tickets behind a figure of the report (the corrected tickets of a category, the
escalations for one reason, the breached ones of last week...), newest first: the same
tickets and the same definitions the figures count."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal, get_args

from pydantic import BaseModel, Field
from sqlalchemy import exists, false, func, or_, select, true
from sqlmodel import Session, col

from deskroute.analytics.cohort import Cohort
from deskroute.analytics.counts import REASONS
from deskroute.analytics.query import MetricsQuery
from deskroute.errors import BadInputError
from deskroute.store.tables import Assignment, Correction, Escalation, Outcome, SlaClock, Ticket

FigureName = Literal[
    "tickets_in",
    "auto_routed",
    "escalated",
    "duplicates",
    "confirmed",
    "corrected",
    "misrouted",
    "reassigned",
    "sla_at_risk",
    "sla_breached",
]
FIGURES: tuple[FigureName, ...] = get_args(FigureName)
TITLES: dict[FigureName, str] = {
    "tickets_in": "Tickets in",
    "auto_routed": "Routed without a person",
    "escalated": "Escalated to a person",
    "duplicates": "Linked as duplicates",
    "confirmed": "Escalations whose category a reviewer confirmed",
    "corrected": "Escalations a reviewer moved to another category",
    "misrouted": "Routed tickets flagged as misrouted",
    "reassigned": "Reassigned at least once",
    "sla_at_risk": "Warned that an SLA clock was running out",
    "sla_breached": "SLA breached",
}
_o = Outcome


class TicketRow(BaseModel):
    """One ticket of the list."""

    ticket_id: str
    subject: str
    category: str | None
    queue: str
    channel: str | None
    language: str | None
    tier: str | None
    created_at: datetime
    escalated: bool
    """Escalated at routing: the review page has it."""


class TicketList(BaseModel):
    total: int
    offset: int
    items: list[TicketRow] = Field(default_factory=list)


def _correction(*, confirmed: bool) -> Any:
    c = Correction
    kind = col(c.kind) == "confirmed" if confirmed else col(c.kind) != "confirmed"
    return exists().where(col(c.ticket_id) == col(_o.ticket_id), kind)


def _clock(*conditions: Any) -> Any:
    return exists().where(col(SlaClock.ticket_id) == col(_o.ticket_id), or_(*conditions))


def condition(figure: FigureName, reason: str | None) -> list[Any]:
    """What makes a ticket of the period count in `figure` (as `deskroute.analytics.counts`
    and `ownership` count it)."""
    match figure:
        case "tickets_in":
            return []
        case "auto_routed":
            return [col(_o.escalated) == false()]
        case "escalated":
            if reason is None:
                return [col(_o.escalated) == true()]
            e = Escalation
            return [
                col(_o.escalated) == true(),
                exists().where(
                    col(e.ticket_id) == col(_o.ticket_id),
                    col(e.reasons).contains(f" {reason} ", autoescape=True),
                ),
            ]
        case "duplicates":
            return [col(_o.duplicate_of).is_not(None)]
        case "confirmed":
            return [col(_o.escalated) == true(), _correction(confirmed=True)]
        case "corrected":
            return [col(_o.escalated) == true(), _correction(confirmed=False)]
        case "misrouted":
            return [col(_o.escalated) == false(), _correction(confirmed=False)]
        case "reassigned":
            a = Assignment
            return [exists().where(col(a.ticket_id) == col(_o.ticket_id), col(a.times_given) > 1)]
        case "sla_at_risk":
            c = SlaClock
            return [
                _clock(
                    col(c.first_response_warned_at).is_not(None),
                    col(c.resolution_warned_at).is_not(None),
                )
            ]
        case "sla_breached":
            c = SlaClock
            return [
                _clock(
                    col(c.first_response_breached_at).is_not(None),
                    col(c.resolution_breached_at).is_not(None),
                )
            ]


def tickets_behind(
    session: Session,
    query: MetricsQuery,
    figure: FigureName,
    *,
    now: datetime,
    reason: str | None = None,
    previous: bool = False,
    limit: int = 50,
    offset: int = 0,
) -> TicketList:
    """The tickets of the query's period (or the one before it) that count in `figure`,
    filtered as the query is (`by` plays no part), newest first."""
    if reason is not None and (figure != "escalated" or reason not in REASONS):
        raise BadInputError(
            f"a reason goes with figure=escalated and is one of {', '.join(REASONS)}",
            field="reason",
        )
    try:
        window = query.window(now)
    except ValueError as exc:
        raise BadInputError(str(exc), field="since") from exc
    cohort = Cohort(
        query.model_copy(update={"compare_previous": False}),
        window.previous if previous else window,
    )
    where = [*cohort.where, *condition(figure, reason)]
    total = session.connection().execute(select(func.count()).select_from(_o).where(*where))
    rows = session.connection().execute(
        select(
            col(_o.ticket_id),
            col(Ticket.subject),
            col(_o.category),
            col(_o.queue),
            col(_o.channel),
            col(_o.language),
            col(_o.tier),
            col(_o.created_at),
            col(_o.escalated),
        )
        .join(Ticket, col(Ticket.id) == col(_o.ticket_id))
        .where(*where)
        .order_by(col(_o.created_at).desc(), col(_o.ticket_id))
        .offset(offset)
        .limit(limit)
    )
    return TicketList(
        total=total.scalar_one(),
        offset=offset,
        items=[
            TicketRow(
                ticket_id=r[0],
                subject=r[1],
                category=r[2],
                queue=r[3],
                channel=r[4],
                language=r[5],
                tier=r[6],
                created_at=r[7],
                escalated=bool(r[8]),
            )
            for r in rows
        ],
    )
