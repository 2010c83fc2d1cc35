"""The check: count now's windows and their baselines in the store, run the rules, and raise
each new incident's alert once, queued for Slack through the outbox in the same transaction.

`deskroute serve` checks every `check_every_minutes` (`deskroute.alerts.loop`); `deskroute
alerts check` checks once, for cron. Checks may overlap: they take turns on the alerts table,
so the second finds the first one's alert and only follows it."""

from __future__ import annotations

from datetime import datetime, timedelta

from pydantic import BaseModel, TypeAdapter, ValidationError
from sqlalchemy import Engine
from sqlmodel import Session

from deskroute.alerts.detect import Finding, Observed, check_spans, evaluate, window_lengths
from deskroute.errors import BadInputError
from deskroute.models.alerts import AlertOut
from deskroute.models.times import UtcDatetime
from deskroute.policies.alerts import AlertsPolicy
from deskroute.policies.sla import parse_duration
from deskroute.store import alert_counts
from deskroute.store.alerts import recent_alerts, record_finding, take_turn
from deskroute.store.db import transaction

_TIME = TypeAdapter(UtcDatetime)


class CheckReport(BaseModel):
    now: datetime
    findings: list[Finding]
    """Every rule whose condition holds now, new incident or not."""
    raised: list[AlertOut]
    """The alerts this check raised (the findings that opened an incident)."""


def check_alerts(engine: Engine, policy: AlertsPolicy, *, now: datetime) -> CheckReport:
    """Run every rule of `policy` at `now` against the store."""
    observed: dict[int, Observed] = {}
    with Session(engine) as session:
        since = alert_counts.first_ticket_at(session)
        for minutes in window_lengths(policy):
            spans = check_spans(now, window_minutes=minutes, baseline=policy.baseline, since=since)
            observed[minutes] = Observed.of(alert_counts.tallies(session, spans))
        levels = alert_counts.levels(session) if policy.levels else None
    findings = evaluate(policy, observed=observed, levels=levels)
    raised: list[AlertOut] = []
    if findings:
        with transaction(engine) as session:
            take_turn(session)
            for finding in findings:
                cool_down = policy.rule(finding.rule).cool_down_minutes
                alert = record_finding(
                    session, finding=finding, cool_down_minutes=cool_down, now=now
                )
                if alert is not None:
                    raised.append(alert)
    return CheckReport(now=now, findings=findings, raised=raised)


def since_time(text: str, *, now: datetime, field: str = "--since") -> datetime:
    """`7d`, `24h`, `90m` (or `1d12h`) before now, or an ISO date and time (UTC unless zoned)."""
    try:
        back = parse_duration(text)
    except ValueError:
        back = timedelta(0)
    if back > timedelta(0):
        return now - back
    try:
        return _TIME.validate_python(text)
    except ValidationError as exc:
        raise BadInputError(
            "use a duration such as 7d, 24h or 90m, or an ISO date and time", field=field
        ) from exc


def list_alerts(engine: Engine, *, since: datetime, limit: int) -> list[AlertOut]:
    """Alerts raised or still seen since `since`, newest first."""
    if not 1 <= limit <= 1000:
        raise BadInputError("must be from 1 to 1000", field="--limit")
    with Session(engine) as session:
        return recent_alerts(session, since=since, limit=limit)
