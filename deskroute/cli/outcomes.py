"""`outcomes list` and `outcomes show`: what happened to tickets, for leads and reviewers."""

from __future__ import annotations

from typing import Annotated

import typer
from pydantic import ValidationError

from deskroute.cli.render import out, outcome_panel, outcomes_listing
from deskroute.errors import BadInputError
from deskroute.models.outcome_query import OutcomeQuery

app = typer.Typer(help="Inspect outcome records.", no_args_is_help=True)


def _query(**filters: object) -> OutcomeQuery:
    """The options as the query the API takes too; bad values name their option."""
    try:
        return OutcomeQuery.model_validate(filters)
    except ValidationError as exc:
        first = exc.errors()[0]
        option = f"--{first['loc'][0]}" if first["loc"] else None
        message = str(first["msg"])
        if first["type"].startswith("datetime"):
            message = f"use an ISO date or time such as 2026-11-20 ({message})"
        raise BadInputError(message, field=option, code=first["type"]) from exc


@app.command("list")
def list_(
    category: Annotated[str | None, typer.Option(help="Only this category.")] = None,
    queue: Annotated[str | None, typer.Option(help="Only this queue.")] = None,
    escalated: Annotated[
        bool | None, typer.Option("--escalated/--routed", help="Only escalated / only routed.")
    ] = None,
    since: Annotated[
        str | None, typer.Option(help="Only since this ISO date/time (UTC unless zoned).")
    ] = None,
    until: Annotated[
        str | None, typer.Option(help="Only before this ISO date/time (UTC unless zoned).")
    ] = None,
    limit: Annotated[int, typer.Option(help="At most this many (1-1000).")] = 20,
    offset: Annotated[int, typer.Option(help="Skip this many.")] = 0,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON record per line.")] = False,
) -> None:
    """List outcome records, newest first."""
    query = _query(
        category=category,
        queue=queue,
        escalated=escalated,
        since=since,
        until=until,
        limit=limit,
        offset=offset,
    )
    from deskroute.runtime import open_workspace
    from deskroute.service import find_outcomes

    total, records = find_outcomes(open_workspace(), query, refuse_unknown_names=True)
    if as_json:
        for record in records:
            out.print(record.model_dump_json(), soft_wrap=True, highlight=False, markup=False)
        return
    out.print(outcomes_listing(records, title=f"{len(records)} of {total} outcomes"))


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
