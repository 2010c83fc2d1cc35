"""What the HTML views of a report share: its charts, and its groups' lines."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup

from deskroute.analytics.charts import (
    CURRENT,
    PREVIOUS_DARK,
    WARN,
    Series,
    daily_bars,
    paired_bars,
)
from deskroute.analytics.present import Line, lines
from deskroute.analytics.report import Day, Figures, MetricsReport

CONFIRMED = "#15803d"


@dataclass(frozen=True)
class Chart:
    """A chart and the same numbers as a table (for screen readers, and to copy)."""

    id: str
    title: str
    svg: Markup
    columns: list[str]
    rows: list[list[str]]


@dataclass(frozen=True)
class GroupView:
    """One value of the breakdown: its figures beside the period before's."""

    key: str
    lines: list[Line]


def charts(report: MetricsReport) -> list[Chart]:
    """Per day over both periods (the one before in grey), the escalation reasons, and the
    tickets per group of the breakdown."""
    before = report.previous.days if report.previous else []
    days = [*before, *report.current.days]
    split = len(before) if before else None
    made = [
        _daily(
            "tickets",
            "Tickets in per day",
            days,
            split,
            Series("routed", lambda d: d.tickets_in - d.escalated, CURRENT),
            Series("escalated", lambda d: d.escalated, WARN, PREVIOUS_DARK),
        ),
        _daily(
            "reviews",
            "Review decisions per day",
            days,
            split,
            Series("confirmed", lambda d: d.reviews_confirmed, CONFIRMED),
            Series("corrected", lambda d: d.reviews_corrected, WARN, PREVIOUS_DARK),
        ),
        _daily(
            "reassigned",
            "Tickets reassigned, by the day they came in",
            days,
            split,
            Series("reassigned", lambda d: d.reassigned, CURRENT),
        ),
        _daily(
            "breached",
            "SLA breaches, by the day the ticket came in",
            days,
            split,
            Series("breached", lambda d: d.sla_breached, WARN),
        ),
    ]
    now = report.current.total.escalation_reasons
    then = report.previous.total.escalation_reasons if report.previous else None
    reasons = sorted(set(now) | set(then or {}), key=lambda r: -now.get(r, 0))
    if reasons:
        title = "Escalations by reason"
        items = [
            (r.replace("_", " "), now.get(r, 0), then.get(r, 0) if then is not None else None)
            for r in reasons
        ]
        made.append(_paired("reasons", title, "Reason", items))
    if report.by is not None and report.current.groups:
        title = f"Tickets in by {report.by}"
        earlier = _by_key(report)
        items = [
            (g.key, g.figures.tickets_in, _tickets(earlier.get(g.key)) if report.previous else None)
            for g in report.current.groups[:12]
        ]
        made.append(_paired("groups", title, report.by.capitalize(), items))
    return made


def _tickets(figures: Figures | None) -> int:
    return figures.tickets_in if figures is not None else 0


def _daily(name: str, title: str, days: list[Day], split: int | None, *series: Series) -> Chart:
    return Chart(
        name,
        title,
        daily_bars(f"chart-{name}", title, days, series, split=split),
        ["Day", *(s.name.capitalize() for s in series)],
        [[f"{d.start:%a %d %b %H:%M}", *(f"{s.value(d):,}" for s in series)] for d in days],
    )


def _paired(
    name: str, title: str, heading: str, items: Sequence[tuple[str, float, float | None]]
) -> Chart:
    compared = any(before is not None for _, _, before in items)
    return Chart(
        name,
        title,
        paired_bars(f"chart-{name}", title, items),
        [heading, "This period", *(["Period before"] if compared else [])],
        [
            [label, f"{now:,.0f}", *([f"{before or 0:,.0f}"] if compared else [])]
            for label, now, before in items
        ],
    )


def _by_key(report: MetricsReport) -> dict[str, Figures]:
    if report.previous is None:
        return {}
    return {g.key: g.figures for g in report.previous.groups}


def groups(report: MetricsReport) -> list[GroupView]:
    """Each group's lines against the same group in the period before."""
    earlier = _by_key(report)
    return [
        GroupView(
            g.key,
            lines(
                g.figures,
                earlier.get(g.key, Figures()) if report.previous else None,
                currency=report.currency,
            ),
        )
        for g in report.current.groups
    ]


GROUP_COLUMNS = {
    "Tickets in": "Tickets",
    "Escalated to a person": "Escalated",
    "Confirmed by reviewers": "Confirmed",
    "Flagged as misrouted": "Misrouted",
    "Reassigned at least once": "Reassigned",
    "Resolution, p50": "Resolution p50",
    "Breached": "SLA breached",
}
"""The figures the breakdown's table shows for each group (by label), with their headings."""


def group_columns(view: GroupView) -> list[Line]:
    by_label = {line.label: line for line in view.lines}
    return [by_label[label] for label in GROUP_COLUMNS]
