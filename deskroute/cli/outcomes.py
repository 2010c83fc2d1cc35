"""`outcomes list` and `outcomes show`: what happened to tickets, for leads and reviewers."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

import typer
from sqlmodel import Session

from deskroute.cli.render import out, outcome_panel, outcomes_table
from deskroute.errors import BadInputError
from deskroute.store.outcomes import list_outcomes

app = typer.Typer(help="Inspect outcome records.", no_args_is_help=True)


def _since(value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError as exc:
        raise BadInputError("use an ISO date or time such as 2026-11-20", field="--since") from exc
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@app.command("list")
def list_(
    category: Annotated[str | None, typer.Option(help="Only this category.")] = None,
    queue: Annotated[str | None, typer.Option(help="Only this queue.")] = None,
    escalated: Annotated[
        bool | None, typer.Option("--escalated/--routed", help="Only escalated / only routed.")
    ] = None,
    since: Annotated[str | None, typer.Option(help="Only since this ISO date/time.")] = None,
    limit: Annotated[int, typer.Option(min=1, max=1000)] = 20,
    offset: Annotated[int, typer.Option(min=0)] = 0,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON record per line.")] = False,
) -> None:
    """List outcome records, newest first."""
    from deskroute.runtime import open_workspace

    ws = open_workspace()
    with Session(ws.engine) as session:
        total, records = list_outcomes(
            session,
            category=category,
            queue=queue,
            escalated=escalated,
            since=_since(since),
            limit=limit,
            offset=offset,
        )
    if as_json:
        for record in records:
            out.print(record.model_dump_json(), soft_wrap=True, highlight=False)
        return
    out.print(outcomes_table(records, title=f"{len(records)} of {total} outcomes"))


@app.command()
def show(
    ticket_id: Annotated[str, typer.Argument(help="The ticket id (tkt_...).")],
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Show one ticket's latest outcome record, with the reviewer's context."""
    from deskroute.runtime import open_workspace
    from deskroute.service import get_outcome

    record = get_outcome(open_workspace(), ticket_id)
    if as_json:
        out.print_json(record.model_dump_json())
    else:
        out.print(outcome_panel(record))
