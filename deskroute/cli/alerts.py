"""`alerts check` (for cron, beside or instead of the server's loop) and `alerts list`: spikes
in the routing figures that `policies/alerts.yaml` watches."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from deskroute.cli.render import out

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from deskroute.policies import Policies

app = typer.Typer(help="Alerts on spikes in the routing figures.", no_args_is_help=True)


def _store() -> tuple[Engine, Policies]:
    """The store and the policies alone: checking needs no model or graph."""
    from deskroute.policies import load_policies
    from deskroute.settings import Settings
    from deskroute.store.db import make_engine

    settings = Settings()
    return make_engine(settings.resolved_database_url), load_policies(settings.policies_dir)


@app.command()
def check(
    now: Annotated[
        str | None,
        typer.Option(
            help="Check as if it were this ISO time (UTC unless zoned), or a duration ago (2h)."
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="The report as JSON.")] = False,
) -> None:
    """Run every rule once; raise (and queue for Slack) each new incident's alert."""
    from deskroute.alerts.check import check_alerts, since_time
    from deskroute.store.types import utcnow

    at = since_time(now, now=utcnow(), field="--now") if now is not None else utcnow()
    engine, policies = _store()
    report = check_alerts(engine, policies.alerts, now=at)
    if as_json:
        out.print(report.model_dump_json(), soft_wrap=True, highlight=False)
        return
    raised = {(a.rule, a.key) for a in report.raised}
    for finding in report.findings:
        state = "RAISED" if (finding.rule, finding.key) in raised else "ongoing"
        out.print(f"{state:<8} {finding.rule} ({finding.key}): {finding.summary}", highlight=False)
    out.print(
        f"{len(report.findings)} rules hold, {len(report.raised)} alerts raised", highlight=False
    )


@app.command("list")
def list_(
    since: Annotated[
        str, typer.Option(help="A duration back from now (7d, 24h, 90m) or an ISO time.")
    ] = "7d",
    limit: Annotated[int, typer.Option(help="At most this many (1-1000).")] = 100,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per line.")] = False,
) -> None:
    """Alerts raised (or still holding) since then, newest first."""
    from deskroute.alerts.check import list_alerts, since_time
    from deskroute.store.types import utcnow

    start = since_time(since, now=utcnow())
    engine, _policies = _store()
    alerts = list_alerts(engine, since=start, limit=limit)
    if as_json:
        for alert in alerts:
            out.print(alert.model_dump_json(), soft_wrap=True, highlight=False)
        return
    table = Table(
        "raised (UTC)",
        "last seen",
        "rule",
        "where",
        "what",
        title=f"{len(alerts)} alert{'' if len(alerts) == 1 else 's'}",
    )
    for alert in alerts:
        table.add_row(
            alert.raised_at.strftime("%Y-%m-%d %H:%M"),
            alert.last_seen_at.strftime("%Y-%m-%d %H:%M"),
            alert.rule,
            alert.key,
            alert.summary,
        )
    out.print(table)
