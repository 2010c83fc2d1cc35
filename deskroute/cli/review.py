"""`deskroute review ...`: the review queue from a terminal, and `deskroute corrections ...`:
the labels reviews teach. Thin shells over `deskroute.review`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from pydantic import ValidationError

from deskroute.cli.render import out, outcome_panel
from deskroute.errors import BadInputError
from deskroute.models.review import Decision, Misroute
from deskroute.models.review_query import ReviewQuery

app = typer.Typer(
    help="Act on escalated tickets: list, show, approve, edit, reject, ...; flag a misroute.",
    no_args_is_help=True,
)
corrections_app = typer.Typer(
    help="Labelled examples from reviews (reassigns, confirmations).", no_args_is_help=True
)

ReviewerOpt = Annotated[
    str, typer.Option("--reviewer", envvar="DESKROUTE_REVIEWER", help="Who decides (your name).")
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON.")]


def _validated(model: type[Any], data: dict[str, Any]) -> Any:
    """`data` as `model`; a bad value names its option."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        option = f"--{str(first['loc'][0]).replace('_', '-')}" if first["loc"] else None
        message = str(first["msg"]).removeprefix("Value error, ")
        raise BadInputError(message, field=option, code=str(first["type"])) from exc


@app.command("list")
def list_(
    reason: Annotated[str | None, typer.Option(help="Escalated for this reason.")] = None,
    queue: Annotated[str | None, typer.Option(help="Only this queue.")] = None,
    category: Annotated[str | None, typer.Option(help="Only this category.")] = None,
    priority: Annotated[str | None, typer.Option(help="Only this priority (P1-P4).")] = None,
    older_than: Annotated[
        int | None, typer.Option("--older-than", help="Waiting at least this many minutes.")
    ] = None,
    resolved: Annotated[bool, typer.Option(help="Resolved ones instead of waiting.")] = False,
    order: Annotated[
        str,
        typer.Option(
            help="priority (then oldest first), or learning: the tickets whose label would "
            "teach the model most first, with the reason."
        ),
    ] = "priority",
    limit: Annotated[int, typer.Option(help="At most this many (1-500).")] = 50,
    offset: Annotated[int, typer.Option(help="Skip this many.")] = 0,
    as_json: JsonOpt = False,
) -> None:
    """The review queue: by priority, then oldest first (or --order learning), with counts per
    reason and queue."""
    query = _validated(
        ReviewQuery,
        {
            "reason": reason,
            "queue": queue,
            "category": category,
            "priority": priority,
            "older_than_minutes": older_than,
            "state": "resolved" if resolved else "awaiting_review",
            "order": order,
            "limit": limit,
            "offset": offset,
        },
    )
    from deskroute.cli.review_render import queue_table
    from deskroute.review.service import list_escalations
    from deskroute.runtime import open_workspace

    page = list_escalations(open_workspace(), query)
    if as_json:
        out.print_json(page.model_dump_json())
        return
    out.print(queue_table(page))


@app.command("show")
def show(
    ticket_id: str,
    reviewer: Annotated[
        str | None, typer.Option(help="Take the ticket's soft lock under this name.")
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """One escalation: why it escalated, the customer, the classification, the proposed
    actions, the draft, and the ticket's history."""
    from deskroute.cli.review_render import detail_panel
    from deskroute.review.service import open_escalation
    from deskroute.runtime import open_workspace

    detail = open_escalation(open_workspace(), ticket_id, reviewer=reviewer)
    if as_json:
        out.print_json(detail.model_dump_json())
        return
    out.print(detail_panel(detail))


def _decide(ticket_id: str, as_json: bool, **fields: Any) -> None:
    decision: Decision = _validated(Decision, {k: v for k, v in fields.items() if v is not None})
    from deskroute.review.service import resolve
    from deskroute.runtime import open_workspace

    outcome = resolve(open_workspace(), ticket_id, decision)
    if as_json:
        out.print_json(outcome.model_dump_json())
        return
    out.print(outcome_panel(outcome))


def _action_index(value: int | None) -> int | None:
    return value - 1 if value is not None else None


IndexOpt = Annotated[
    int | None,
    typer.Option(
        "--action", min=1, help="Which proposed action (1 = the first shown by `review show`)."
    ),
]


@app.command("approve")
def approve(ticket_id: str, reviewer: ReviewerOpt, as_json: JsonOpt = False) -> None:
    """Carry out every proposed action as proposed and send the draft reply."""
    _decide(ticket_id, as_json, action="approve", reviewer=reviewer)


@app.command("edit")
def edit(
    ticket_id: str,
    reviewer: ReviewerOpt,
    arg: Annotated[
        list[str] | None,
        typer.Option("--arg", help="A new argument as NAME=VALUE (VALUE read as JSON if it can)."),
    ] = None,
    reply: Annotated[str | None, typer.Option(help="A new draft reply.")] = None,
    reply_file: Annotated[
        Path | None, typer.Option(help="Read the new draft reply from this file.")
    ] = None,
    index: IndexOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Change an action's arguments or the draft reply, then carry out and send."""
    args = _pairs(arg) if arg else None
    _decide(
        ticket_id,
        as_json,
        action="edit",
        reviewer=reviewer,
        args=args,
        reply=_text(reply, reply_file),
        index=_action_index(index),
    )


@app.command("reject")
def reject(
    ticket_id: str,
    reviewer: ReviewerOpt,
    reason: Annotated[str, typer.Option(help="Why (the customer's reply says so).")],
    index: IndexOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Refuse a proposed action (all of them without --action), with a reason."""
    _decide(
        ticket_id,
        as_json,
        action="reject",
        reviewer=reviewer,
        reason=reason,
        index=_action_index(index),
    )


@app.command("reassign")
def reassign(
    ticket_id: str,
    reviewer: ReviewerOpt,
    category: Annotated[str, typer.Option(help="The right category.")],
    reason: Annotated[str | None, typer.Option(help="Why, for the history.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Send the ticket to another category's specialist (kept as a correction)."""
    _decide(
        ticket_id, as_json, action="reassign", reviewer=reviewer, category=category, reason=reason
    )


@app.command("reply")
def reply(
    ticket_id: str,
    reviewer: ReviewerOpt,
    text: Annotated[str | None, typer.Option("--text", help="The reply.")] = None,
    text_file: Annotated[Path | None, typer.Option(help="Read the reply from this file.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Answer the customer yourself; the ticket is resolved."""
    body = _text(text, text_file)
    if body is None:
        raise BadInputError("give the reply with --text or --text-file", field="--text")
    _decide(ticket_id, as_json, action="reply", reviewer=reviewer, reply=body)


@app.command("dismiss")
def dismiss(
    ticket_id: str,
    reviewer: ReviewerOpt,
    reason: Annotated[str, typer.Option(help="Spam, duplicate, nothing to do, ...")],
    as_json: JsonOpt = False,
) -> None:
    """Close the ticket without a reply."""
    _decide(ticket_id, as_json, action="dismiss", reviewer=reviewer, reason=reason)


@app.command("misroute")
def misroute(
    ticket_id: str,
    reviewer: ReviewerOpt,
    category: Annotated[str, typer.Option(help="The category it belongs to.")],
    note: Annotated[str | None, typer.Option(help="Why, for the ticket's notes.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Flag a ticket routed without a person as misrouted (kept as a correction)."""
    flag: Misroute = _validated(
        Misroute, {"category": category, "reviewer": reviewer, "note": note}
    )
    from deskroute.cli.review_render import corrections_table
    from deskroute.review.misroute import flag_misrouted
    from deskroute.runtime import open_workspace

    correction = flag_misrouted(open_workspace(), ticket_id, flag)
    if as_json:
        out.print_json(correction.model_dump_json())
        return
    out.print(corrections_table([correction]))
    out.print(f"kept as a correction: {correction.predicted or 'none'} -> {correction.category}")


def _pairs(items: list[str]) -> dict[str, Any]:
    args: dict[str, Any] = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise BadInputError(f"{item!r} is not NAME=VALUE", field="--arg")
        try:
            args[name.strip()] = json.loads(value)
        except json.JSONDecodeError:
            args[name.strip()] = value
    return args


def _text(text: str | None, path: Path | None) -> str | None:
    if path is None:
        return text
    if text is not None:
        raise BadInputError("give the text or a file, not both", field=str(path))
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise BadInputError(f"cannot read it: {exc}", field=str(path)) from exc


@corrections_app.command("list")
def corrections_list(
    kind: Annotated[
        str | None, typer.Option(help="corrected (reassigns) or confirmed (approvals).")
    ] = None,
    limit: Annotated[int, typer.Option(min=1, help="At most this many.")] = 50,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON record per line.")] = False,
) -> None:
    """Labelled examples from reviews, oldest first."""
    from deskroute.cli.review_render import corrections_table
    from deskroute.review.corrections import list_corrections
    from deskroute.runtime import open_workspace

    rows = list_corrections(open_workspace(), kind=kind, limit=limit)
    if as_json:
        for row in rows:  # one record per line, as `outcomes list --json` prints them
            out.print(row.model_dump_json(), soft_wrap=True, highlight=False, markup=False)
        return
    out.print(corrections_table(rows))


@corrections_app.command("export")
def corrections_export(
    path: Annotated[Path, typer.Argument(help="A .csv or .jsonl file (text, category, ...).")],
    kind: Annotated[str | None, typer.Option(help="Only corrected or only confirmed.")] = None,
) -> None:
    """Write the corrections as a file `deskroute train` reads as it is."""
    from deskroute.review.corrections import export_corrections
    from deskroute.runtime import open_workspace

    count = export_corrections(open_workspace(), path, kind=kind)
    out.print(f"wrote {count} labelled example(s) to {path}")


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="review")
    root.add_typer(corrections_app, name="corrections")
