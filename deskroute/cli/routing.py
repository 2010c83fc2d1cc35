"""`route`, `run` and `demo`: tickets in, outcome records out."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from deskroute.cli.render import demo_listing, err, out, outcome_panel
from deskroute.errors import BadInputError
from deskroute.models.ticket import Channel
from deskroute.settings import Settings

if TYPE_CHECKING:
    from deskroute.batch import FileSummary


def _utf8(value: str, name: str) -> str:
    """An argument that was not UTF-8 reaches Python with its bytes escaped as surrogates;
    name it as an encoding problem, not as an invalid string."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        byte = ord(value[exc.start]) - 0xDC00
        raise BadInputError(
            f"not UTF-8 text (byte 0x{byte:02x} at character {exc.start}); "
            "check the encoding of the terminal or of the file it came from",
            field=name,
            code="not_utf8",
        ) from exc
    return value


def route(
    text: Annotated[str, typer.Argument(help="The ticket body.")],
    subject: Annotated[str, typer.Option(help="Ticket subject.")] = "",
    customer: Annotated[str | None, typer.Option(help="Customer id (C-1001) or e-mail.")] = None,
    channel: Annotated[Channel, typer.Option(help="Where the ticket came from.")] = Channel.API,
    language: Annotated[
        str | None, typer.Option(help="ISO 639-1 code; detected if omitted.")
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the outcome record as JSON.")
    ] = False,
    dedupe: Annotated[
        bool,
        typer.Option(
            "--dedupe/--no-dedupe",
            help="--no-dedupe: route as a new ticket even if it repeats an open one "
            "(re-testing the same text); the outcome notes it.",
        ),
    ] = True,
) -> None:
    """Route one ticket and print its outcome record."""
    from deskroute.runtime import open_workspace
    from deskroute.service import route_new

    ws = open_workspace()
    for warning in ws.warnings:
        err.print(f"[yellow]warning:[/yellow] {warning}")
    who = (
        {"customer_email": customer} if customer and "@" in customer else {"customer_id": customer}
    )
    fields = {"body": _utf8(text, "TEXT"), "subject": _utf8(subject, "--subject")}
    ticket = {**fields, "channel": channel, "language": language, **who}
    _, record = route_new(ws, ticket, dedupe=dedupe)
    if as_json:
        out.print_json(record.model_dump_json())
    else:
        out.print(outcome_panel(record))


def _summary_table(summary: FileSummary) -> Table:
    table = Table(title=f"{summary.total} rows in {summary.seconds:.1f} s")
    table.add_column("", style="bold")
    table.add_column("count", justify="right")
    table.add_row("routed to a team queue", str(summary.routed))
    table.add_row("escalated to a person", str(summary.escalated))
    for reason, count in summary.reasons.most_common():
        table.add_row(f"  {reason}", str(count))
    table.add_row("linked as duplicates", str(summary.duplicates))
    table.add_row("already submitted (same external id)", str(summary.resubmitted))
    table.add_row("rejected (bad input)", str(len(summary.rejected)))
    for queue, count in summary.queues.most_common():
        table.add_row(f"queue {queue}", str(count))
    return table


def run(
    file: Annotated[
        Path, typer.Argument(help="Tickets as JSONL or CSV (columns = ticket fields).")
    ],
    out_path: Annotated[
        Path | None,
        typer.Option(
            "--out", help="Outcome records as JSONL (default: FILE's name + .outcomes.jsonl)."
        ),
    ] = None,
) -> None:
    """Route every ticket in a file; bad rows are listed and written, with the original row and
    the error, next to the outcome records (exit code 2), never dropped."""
    from deskroute.batch import default_out_path, route_file
    from deskroute.runtime import open_workspace

    ws = open_workspace()
    out_path = out_path or default_out_path(file)
    total = sum(1 for _ in file.open(encoding="utf-8", errors="replace")) if file.is_file() else 0
    columns = (TextColumn("routing"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=err, transient=True) as progress:
        task = progress.add_task("routing", total=max(total - (file.suffix == ".csv"), 0))
        summary = route_file(ws, file, out_path, lambda _n, _r: progress.advance(task))
    out.print(_summary_table(summary))
    out.print(f"outcome records: {out_path}", soft_wrap=True)
    if summary.rejected:
        for r in summary.rejected:
            err.print(f"[red]row {r.row}[/red] {r.field or 'row'}: {r.message}", highlight=False)
        err.print(f"rejected rows: {summary.rejected_path}", soft_wrap=True)
        raise typer.Exit(2)


def demo(
    history_days: Annotated[
        int,
        typer.Option(
            min=0,
            max=90,
            help="Also fill the demo store with this many days of synthetic history "
            "(about 60 tickets a day), for `deskroute report` and the dashboard.",
        ),
    ] = 0,
) -> None:
    """Route a built-in set of tickets (a fresh demo store) and show every kind of decision."""
    from deskroute.demo import run_demo

    base = Settings()
    with err.status("routing the demo tickets (the first run trains the demo model)"):
        ws, results = run_demo(base)
    if history_days:
        from deskroute.analytics.seed import seed_history
        from deskroute.store.types import utcnow

        with err.status(f"writing {history_days} days of history"):
            written = seed_history(
                ws.engine, ws.policies, days=history_days, per_day=60, end=utcnow()
            )
        err.print(f"{written} outcomes of synthetic history over {history_days} days")
    out.print(Text(f"DeskRoute demo: {ws.deps.company} help desk\n", style="bold"))
    out.print(demo_listing([(t.shows, record) for t, record in results]))
    routed = sum(1 for _, r in results if not r.escalated)
    out.print(
        f"{routed} routed to team queues, {len(results) - routed} escalated to people; "
        f"every ticket has an owner."
    )
    # A long path stays on one line (copyable) rather than being folded at the edge.
    out.print(f"Demo store: {ws.settings.resolved_database_url}", soft_wrap=True)
    out.print("The escalations wait for review. With DESKROUTE_DATABASE_URL=<demo store>:")
    out.print("  deskroute review list                      the review queue")
    out.print("  deskroute review show <ticket id>          why it escalated, what is proposed")
    out.print("  deskroute review approve <ticket id> --reviewer <your name>")
    out.print("  deskroute outcomes show <ticket id>        any ticket's outcome record")
    out.print("Or on the review page: deskroute reviewers add <your name>, deskroute serve,")
    out.print("then open http://127.0.0.1:8000/review")
    if history_days:
        out.print("The week against the week before: deskroute report --compare-previous,")
        out.print("or http://127.0.0.1:8000/review/dashboard")


def bench(
    tickets: Annotated[int, typer.Option(min=10, max=1_000_000, help="Tickets to route.")] = 2000,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Measure the full workflow (embedded default, persistence on) against a bare graph."""
    from deskroute.bench import run_bench

    with err.status(f"routing {tickets} tickets"):
        result = run_bench(Settings(), tickets)
    if as_json:
        out.print(result.model_dump_json(), soft_wrap=True, highlight=False)
        return
    table = Table(title=f"{tickets} tickets", show_header=False)
    for key, value in result.model_dump().items():
        table.add_row(key, str(value))
    out.print(table)


def register(app: typer.Typer) -> None:
    app.command()(bench)
    app.command()(route)
    app.command()(run)
    app.command()(demo)
