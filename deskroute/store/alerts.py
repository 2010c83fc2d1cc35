"""The one write path for alerts, and the queries that read them: a finding either opens a new
incident (an alert row, and its outbox event in the same transaction) or, within the
cool-down of the last one for its rule and key, only moves that one's `last_seen_at`.

The event's payload is the alert (`AlertOut`) plus `category` (the key of a volume alert in
one category, else None), so that a `notify` rule may send one category's alerts elsewhere."""

from __future__ import annotations

from datetime import datetime
from typing import Literal, cast

from sqlalchemy import text, update
from sqlmodel import Session, col, select

from deskroute.alerts.detect import ALL, Finding, opens_incident
from deskroute.models.alerts import AlertOut
from deskroute.store.outbox import add_event
from deskroute.store.tables import Alert

_PG_LOCK = 0x616C7274
"""The transaction-level advisory lock that makes two checks on PostgreSQL take turns ("alrt"
in ASCII)."""


def take_turn(session: Session) -> None:
    """Make concurrent checks (a server's loop beside a cron job) take turns, so that one
    incident is not raised twice. Comes first in the transaction, before any read: SQLite by
    a write that changes nothing, PostgreSQL by an advisory lock."""
    dialect = session.get_bind().dialect.name
    if dialect == "sqlite":
        session.execute(update(Alert).where(col(Alert.id) == -1).values(rule=Alert.rule))
    elif dialect == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_LOCK})


def last_of(session: Session, *, rule: str, key: str) -> Alert | None:
    """The latest alert of a rule and key."""
    return session.exec(
        select(Alert)
        .where(col(Alert.rule) == rule, col(Alert.key) == key)
        .order_by(col(Alert.last_seen_at).desc())
        .limit(1)
    ).first()


def record_finding(
    session: Session, *, finding: Finding, cool_down_minutes: int, now: datetime
) -> AlertOut | None:
    """Inside the caller's transaction (after `take_turn`): the new alert when the finding
    opens an incident, with its `alert.raised` event queued; None when it continues one."""
    last = last_of(session, rule=finding.rule, key=finding.key)
    if last is not None and not opens_incident(last.last_seen_at, now, cool_down_minutes):
        last.last_seen_at = max(last.last_seen_at, now)
        session.add(last)
        return None
    row = Alert(
        rule=finding.rule,
        key=finding.key,
        kind=finding.kind,
        signal=finding.signal,
        title=finding.title,
        summary=finding.summary,
        observed=finding.observed,
        expected=finding.expected,
        p_value=finding.p_value,
        details=finding.model_dump(
            mode="json", include={"window_minutes", "hits", "total", "samples"}
        ),
        raised_at=now,
        last_seen_at=now,
    )
    session.add(row)
    session.flush()
    alert = alert_out(row)
    category = finding.key if finding.kind == "volume" and finding.key != ALL else None
    add_event(
        session,
        kind="alert.raised",
        ticket_id=None,
        payload={**alert.model_dump(mode="json"), "category": category},
        at=now,
    )
    return alert


def alert_out(row: Alert) -> AlertOut:
    return AlertOut(
        id=row.id or 0,
        rule=row.rule,
        key=row.key,
        kind=cast(Literal["volume", "rate", "level"], row.kind),
        signal=row.signal,
        title=row.title,
        summary=row.summary,
        observed=row.observed,
        expected=row.expected,
        p_value=row.p_value,
        raised_at=row.raised_at,
        last_seen_at=row.last_seen_at,
        details=row.details,
    )


def recent_alerts(session: Session, *, since: datetime, limit: int = 200) -> list[AlertOut]:
    """Alerts raised at or after `since`, or still seen since then, newest first."""
    rows = session.exec(
        select(Alert)
        .where(col(Alert.last_seen_at) >= since)
        .order_by(col(Alert.raised_at).desc(), col(Alert.id).desc())
        .limit(limit)
    )
    return [alert_out(row) for row in rows]
