"""`deskroute report`: the week's routing figures against the week before, in the terminal,
as JSON, or as a self-contained HTML page with charts."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table
from rich.text import Text

from deskroute.cli.render import out

if TYPE_CHECKING:
    from deskroute.analytics.baseline import Baseline
    from deskroute.analytics.query import MetricsQuery
    from deskroute.analytics.report import MetricsReport
    from deskroute.analytics.service import Desk

_TONES = {"good": "green", "bad": "red", "flat": ""}
_MARKS = {"good": "▲ ", "bad": "▼ ", "flat": ""}


def _desk() -> Desk:
    """The store, the policies and the prices: a report needs no model or graph."""
    from deskroute.analytics.service import Desk
    from deskroute.policies import load_policies
    from deskroute.policies.llm_prices import load_llm_prices
    from deskroute.settings import Settings
    from deskroute.store.db import make_engine

    settings = Settings()
    return Desk(
        engine=make_engine(settings.resolved_database_url),
        policies=load_policies(settings.policies_dir),
        prices=load_llm_prices(settings.policies_dir),
    )


def metrics_query(**options: object) -> MetricsQuery:
    """The options as the query the API takes too; a bad value names its option."""
    from pydantic import ValidationError

    from deskroute.analytics.query import MetricsQuery
    from deskroute.errors import BadInputError

    try:
        return MetricsQuery.model_validate({k: v for k, v in options.items() if v is not None})
    except ValidationError as exc:
        first = exc.errors()[0]
        option = f"--{str(first['loc'][0]).replace('_', '-')}" if first["loc"] else None
        raise BadInputError(str(first["msg"]), field=option, code=first["type"]) from exc


def report(
    since: Annotated[
        str, typer.Option(help="How far back: 24h, 7d, 2w, or an ISO date/time (UTC).")
    ] = "7d",
    until: Annotated[
        str | None, typer.Option(help="The period's end, an ISO date/time (UTC); now.")
    ] = None,
    compare_previous: Annotated[
        bool, typer.Option("--compare-previous", help="Against the period just before.")
    ] = False,
    by: Annotated[
        str | None, typer.Option(help="Break down by category, queue, tier, language, channel.")
    ] = None,
    category: Annotated[str | None, typer.Option(help="Only this category.")] = None,
    queue: Annotated[str | None, typer.Option(help="Only this queue.")] = None,
    tier: Annotated[
        str | None, typer.Option(help="Only this tier (none: unknown senders).")
    ] = None,
    language: Annotated[str | None, typer.Option(help="Only this language.")] = None,
    channel: Annotated[str | None, typer.Option(help="Only this channel.")] = None,
    baseline: Annotated[
        Path | None,
        typer.Option(help="The JSON of `deskroute audit --json`: its figures as the before."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    html: Annotated[
        Path | None, typer.Option(help="Also write a self-contained HTML page with charts.")
    ] = None,
) -> None:
    """Routing figures for a period: volume, escalations, accuracy, reassignment, response and
    resolution times, SLA, LLM usage and cost, agent load."""
    from deskroute.analytics.baseline import load_baseline
    from deskroute.analytics.html import write_report
    from deskroute.analytics.service import metrics_summary

    query = metrics_query(
        since=since,
        until=until,
        compare_previous=compare_previous,
        by=by,
        category=category,
        queue=queue,
        tier=tier,
        language=language,
        channel=channel,
    )
    before = load_baseline(baseline) if baseline is not None else None
    result = metrics_summary(_desk(), query)
    if html is not None:
        write_report(html, result, baseline=before)
    if as_json:
        body = result.model_dump(mode="json")
        if before is not None:
            body["baseline"] = before.model_dump(mode="json")
        out.print(json.dumps(body), soft_wrap=True, highlight=False, markup=False)
        return
    _show(result, before)
    if html is not None:
        out.print(f"Wrote {html}", soft_wrap=True, highlight=False)


def _show(result: MetricsReport, before: Baseline | None) -> None:
    from deskroute.analytics.present import report_lines
    from deskroute.analytics.views import GROUP_COLUMNS, group_columns, groups

    current, previous = result.current, result.previous
    title = f"{current.start:%Y-%m-%d %H:%M} – {current.end:%Y-%m-%d %H:%M} UTC"
    if result.filters:
        title += " · " + ", ".join(f"{k} {v}" for k, v in result.filters.items())
    table = Table(title=title, title_justify="left")
    table.add_column("Figure")
    table.add_column("This period", justify="right")
    if previous is not None:
        table.add_column("Period before", justify="right")
        table.add_column("Change", justify="right")
    if before is not None:
        table.add_column("Audit (before)", justify="right")
    section = ""
    for line in report_lines(result, before):
        if line.section != section:
            section = line.section
            table.add_section()
            table.add_row(Text(section, style="bold"))
        cells: list[str | Text] = [line.label, line.shown]
        if previous is not None:
            change = f"{_MARKS[line.tone]}{line.change}" if line.change else ""
            cells += [line.shown_previous, Text(change, style=_TONES[line.tone])]
        if before is not None:
            cells.append(line.shown_baseline)
        table.add_row(*cells)
    out.print(table)
    versions = ", ".join(f"{v} ({n})" for v, n in current.total.model_versions.items())
    out.print(f"Model versions: {versions or 'none'}", highlight=False)
    models = ", ".join(f"{m} ({n} calls)" for m, n in current.total.llm.models.items())
    if models:
        unpriced = current.total.llm.unpriced_models
        note = f"; no price for {', '.join(unpriced)}" if unpriced else ""
        out.print(f"LLM: {models}{note}", highlight=False)
    if result.by is not None and current.groups:
        by_group = Table(title=f"By {result.by}", title_justify="left")
        by_group.add_column(result.by.capitalize())
        for heading in GROUP_COLUMNS.values():
            by_group.add_column(heading, justify="right")
        for view in groups(result):
            cells = [view.key]
            for line in group_columns(view):
                cells.append(line.shown + (f" ({line.shown_previous})" if previous else ""))
            by_group.add_row(*cells)
        out.print(by_group)
        if previous is not None:
            out.print("In brackets: the period before.", style="dim")


def register(app: typer.Typer) -> None:
    app.command("report")(report)
