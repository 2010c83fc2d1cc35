"""`sla sweep` (for cron, beside or instead of the server's loop), `sla show` and `tickets
event`: the SLA clocks from the command line."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

import typer
from pydantic import TypeAdapter, ValidationError

from deskroute.cli.render import out
from deskroute.errors import BadInputError
from deskroute.models.ownership import SlaInfo
from deskroute.models.ticket_events import TicketEventIn, TicketEventKind
from deskroute.models.times import UtcDatetime

app = typer.Typer(help="SLA clocks: sweep them, show a ticket's.", no_args_is_help=True)
tickets = typer.Typer(help="Tell DeskRoute what happened to a ticket.", no_args_is_help=True)

_TIME = TypeAdapter(UtcDatetime)


def _time(value: str | None, option: str) -> datetime | None:
    if value is None:
        return None
    try:
        return _TIME.validate_python(value)
    except ValidationError as exc:
        raise BadInputError(
            f"use an ISO date and time such as 2026-11-20T09:30 ({exc.errors()[0]['msg']})",
            field=option,
        ) from exc


def _print_sla(info: SlaInfo | None, as_json: bool) -> None:
    if as_json:
        out.print_json(info.model_dump_json() if info else "null")
        return
    if info is None:
        out.print("no SLA clocks (not routed yet, or a repeat of an open ticket)")
        return
    rows: dict[str, Any] = {
        "state": info.state,
        "calendar": info.calendar,
        "first response due": info.first_response_due,
        "first response at": info.first_response_at,
        "resolution due": info.resolution_due,
        "resolved at": info.resolved_at,
        "waiting on the customer since": info.paused_since,
    }
    for label, value in rows.items():
        if value is not None:
            shown = value.isoformat(timespec="seconds") if isinstance(value, datetime) else value
            out.print(f"{label:>30}: {shown}", highlight=False)


@app.command("sweep")
def sweep_(
    now: Annotated[
        str | None, typer.Option(help="Sweep as if it were this ISO time (UTC unless zoned).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Mark clocks at risk or breached, once each, and react; prints what it marked."""
    at = _time(now, "--now")
    from deskroute.runtime import open_workspace
    from deskroute.sla.sweep import sweep

    report = sweep(open_workspace(), now=at)
    if as_json:
        out.print_json(report.model_dump_json())
        return
    for swept in report.marked:
        t, r = swept.transition, swept.reaction
        done = [
            f"priority -> {r.raised_to}" if r.raised_to else "",
            "offered to another agent" if r.offered else "",
            "escalated to the lead" if r.escalated else "",
        ]
        due = t.due.isoformat(timespec="seconds") if t.due else "-"
        out.print(
            f"{t.ticket_id}  {t.clock} {t.mark}  due {due}  {t.priority} {t.tier or 'unknown'} "
            f"{t.queue}  {', '.join(d for d in done if d)}".rstrip(),
            highlight=False,
        )
    out.print(f"{len(report.marked)} marked", highlight=False)


@app.command()
def show(
    ticket_id: Annotated[str, typer.Argument(help="The ticket id (tkt_...).")],
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """A ticket's SLA clocks: due times and where they stand."""
    from deskroute.runtime import open_workspace
    from deskroute.sla.status import ticket_sla

    _print_sla(ticket_sla(open_workspace(), ticket_id), as_json)


@tickets.command()
def event(
    ticket_id: Annotated[str, typer.Argument(help="The ticket id (tkt_...).")],
    kind: Annotated[TicketEventKind, typer.Argument(help="What happened.")],
    at: Annotated[
        str | None, typer.Option(help="When, as an ISO time (UTC unless zoned); default: now.")
    ] = None,
    note: Annotated[str | None, typer.Option(help="A note for the record.")] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Record a first response, resolution, reopening, or a wait on the customer."""
    from deskroute.runtime import open_workspace
    from deskroute.sla.events import record_event

    ticket_event = TicketEventIn(kind=kind, at=_time(at, "--at"), note=note)
    _print_sla(record_event(open_workspace(), ticket_id, ticket_event), as_json)
