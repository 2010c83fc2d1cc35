"""How an audit report looks in a terminal: headline figures, then the tables behind them."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from deskroute.audit.report import AuditReport, Breakdown, Load, Times


def duration(seconds: float | None) -> str:
    """`6m`, `8h29m`, `16d13h`: coarse enough to read at a glance."""
    if seconds is None:
        return "-"
    minutes = round(seconds / 60)
    if minutes < 60:
        return f"{minutes}m"
    if minutes < 48 * 60:
        return f"{minutes // 60}h{minutes % 60:02d}m"
    return f"{minutes // 1440}d{minutes % 1440 // 60:02d}h"


def percent(value: float | None) -> str:
    return "-" if value is None else f"{value * 100:.1f}%"


def _times(t: Times | None) -> str:
    return "-" if t is None else f"{duration(t.p50_s)} / {duration(t.p90_s)}"


def _count(n: int | None, what: str) -> str:
    return f"{n:,} {what}" if n else ""


def _headline(r: AuditReport) -> Table:
    grid = Table.grid(padding=(0, 2))
    grid.add_row(
        "reassigned at least once",
        percent(r.reassigned_share),
        "",
        _count(r.reassigned, "incidents"),
    )
    grid.add_row("reassignments per incident", f"{r.reassignments_mean:.2f}", "", "mean")
    grid.add_row("made SLA", percent(r.sla_met_share), "", _count(r.sla_met, "incidents"))
    grid.add_row("reopened", percent(r.reopen_share), "", _count(r.reopened, "incidents"))
    grid.add_row(
        "time to assignment",
        f"p50 {duration(r.time_to_assignment_p50_s)}",
        f"p90 {duration(r.time_to_assignment_p90_s)}",
        _count(r.never_assigned, "never assigned"),
    )
    grid.add_row(
        "time to resolution",
        f"p50 {duration(r.time_to_resolution_p50_s)}",
        f"p90 {duration(r.time_to_resolution_p90_s)}",
        _count(r.unresolved, "not resolved"),
    )
    return grid


def _breakdown(title: str, rows: list[Breakdown]) -> Table:
    table = Table(
        title,
        "incidents",
        "reassigned",
        "made SLA",
        "assigned\np50 / p90",
        "resolved\np50 / p90",
        box=None,
        show_edge=False,
    )
    table.columns[0].no_wrap = True
    for row in rows:
        table.add_row(
            Text(row.key),
            f"{row.incidents:,}",
            percent(row.reassigned_share),
            percent(row.sla_met_share),
            _times(row.time_to_assignment),
            _times(row.time_to_resolution),
        )
    return table


def _load(load: Load) -> list[RenderableType]:
    summary = Text(
        f"{load.assignees:,} people hold {load.incidents:,} incidents "
        f"({load.unassigned:,} with nobody); per person min {load.min:,}, median "
        f"{load.median:g}, max {load.max:,}, CV {load.cv:.2f}; the {len(load.top)} busiest "
        f"hold {percent(load.top_share)}"
    )
    people = Table("assignee", "incidents", "share", box=None, show_edge=False)
    for p in load.top:
        people.add_row(Text(p.assignee), f"{p.incidents:,}", percent(p.share))
    return [summary, people]


def report_view(r: AuditReport, top: int) -> Group:
    parts: list[RenderableType] = [
        Text(
            f"{r.source}: {r.events:,} events, {r.incidents:,} incidents opened "
            f"{r.first_opened:%Y-%m-%d} to {r.last_opened:%Y-%m-%d}\n",
            style="bold",
        ),
        _headline(r),
    ]
    if r.not_measured:
        parts.append(Text(f"no column for: {', '.join(r.not_measured)}", style="yellow"))
    busiest = r.by_group[:top]
    parts += [
        Text("\nby priority", style="bold"),
        _breakdown("priority", r.by_priority),
        Text(f"\nby group: the {len(busiest)} busiest of {len(r.by_group)}", style="bold"),
        _breakdown("group", busiest),
    ]
    if r.handoffs:
        handoffs = Table("from", "to", "incidents", box=None, show_edge=False)
        for h in r.handoffs:
            handoffs.add_row(Text(h.from_group), Text(h.to_group), f"{h.count:,}")
        chains = Table("groups in order", "incidents", box=None, show_edge=False)
        for c in r.chains:
            chains.add_row(Text(" -> ".join(c.groups)), f"{c.count:,}")
        parts += [
            Text("\nmost frequent hand-offs", style="bold"),
            handoffs,
            Text("\nmost frequent chains", style="bold"),
            chains,
        ]
    if r.load is not None:
        parts += [Text("\nload over people", style="bold"), *_load(r.load)]
    return Group(*parts)
