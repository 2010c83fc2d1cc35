"""`outbox list`, `outbox retry` and `outbox deliver`: what is on its way to the helpdesk and
Slack, what was given up on, and sending it again."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Literal

import typer
from rich.table import Table

from deskroute.cli.render import out

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from deskroute.policies import Policies

app = typer.Typer(
    help="Decisions on their way to helpdesk webhooks and Slack.", no_args_is_help=True
)


def _store() -> tuple[Engine, Policies]:
    """The store and the policies alone: listing needs no model or graph."""
    from deskroute.policies import load_policies
    from deskroute.settings import Settings
    from deskroute.store.db import make_engine

    settings = Settings()
    return make_engine(settings.resolved_database_url), load_policies(settings.policies_dir)


def _when(value: object) -> str:
    from datetime import datetime

    return value.strftime("%Y-%m-%d %H:%M:%S") if isinstance(value, datetime) else "-"


@app.command("list")
def list_(
    state: Annotated[
        Literal["pending", "delivered", "dead"] | None,
        typer.Option(help="Only deliveries in this state."),
    ] = None,
    limit: Annotated[int, typer.Option(help="At most this many (1-1000).")] = 50,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per line.")] = False,
) -> None:
    """List deliveries, newest first; the header says which destinations are off."""
    from deskroute.outbox.admin import list_deliveries
    from deskroute.outbox.destinations import resolve

    engine, policies = _store()
    rows = list_deliveries(engine, state=state, limit=limit)
    if as_json:
        for row in rows:
            out.print(row.model_dump_json(), soft_wrap=True, highlight=False)
        return
    destinations = resolve(policies.notifications)
    for line in destinations.describe():
        out.print(line, highlight=False)
    if destinations.on:
        out.print(f"destinations on: {', '.join(destinations.on)}", highlight=False)
    table = Table(
        "id",
        "event",
        "ticket",
        "destination",
        "state",
        "attempts",
        "last status / error",
        "next attempt (UTC)",
        title=f"{len(rows)} deliver{'y' if len(rows) == 1 else 'ies'}",
    )
    for row in rows:
        last = " ".join(part for part in (str(row.last_status or ""), row.last_error or "") if part)
        table.add_row(
            str(row.id),
            row.kind,
            row.ticket_id or "-",
            row.destination,
            row.state,
            str(row.attempts),
            (last[:80] or "-"),
            _when(row.next_attempt_at),
        )
    out.print(table)


@app.command()
def retry(
    ids: Annotated[list[int] | None, typer.Argument(help="Ids of dead deliveries.")] = None,
    all_dead: Annotated[bool, typer.Option("--all-dead", help="Every dead delivery.")] = False,
) -> None:
    """Send dead deliveries again: pending, due now, attempts counted from zero."""
    from deskroute.errors import BadInputError
    from deskroute.outbox.admin import retry_deliveries
    from deskroute.store.types import utcnow

    if all_dead == bool(ids):
        raise BadInputError("name delivery ids or use --all-dead (one of the two)", field="ID")
    engine, _policies = _store()
    redriven = retry_deliveries(engine, ids=None if all_dead else ids, now=utcnow())
    out.print(
        f"re-driven {len(redriven)} deliver{'y' if len(redriven) == 1 else 'ies'}"
        + (f": {', '.join(map(str, redriven))}" if redriven else ""),
        highlight=False,
    )


@app.command()
def deliver(
    as_json: Annotated[bool, typer.Option("--json", help="The report as JSON.")] = False,
) -> None:
    """One delivery pass, for cron where `deskroute serve` does not run (it delivers itself)."""
    from deskroute.outbox.deliver import deliver_due
    from deskroute.runtime import open_workspace

    report = deliver_due(open_workspace())
    if as_json:
        out.print(report.model_dump_json(), soft_wrap=True, highlight=False)
        return
    for line in report.off:
        out.print(line, highlight=False)
    out.print(
        f"fanned out {report.fanned_out} events into {report.queued} deliveries; "
        f"delivered {report.delivered}, retrying {report.retrying}, dead {report.dead}, "
        f"waiting {report.waiting}",
        highlight=False,
    )
