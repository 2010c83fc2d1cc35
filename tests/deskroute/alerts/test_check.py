"""End to end on the real SQLite store: a burst of outage tickets over an ordinary morning
fires exactly one alert, which the outbox delivers to Slack as a readable message; checks
that follow within the cool-down add none; the CLI lists it."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from alert_rows import NOW, morning
from sqlmodel import Session, col, select
from webhook_receiver import Receiver

from deskroute.alerts.check import check_alerts
from deskroute.background import LOOPS
from deskroute.outbox.deliver import deliver_due
from deskroute.policies import Policies
from deskroute.runtime import Workspace
from deskroute.store.alerts import recent_alerts
from deskroute.store.db import make_engine
from deskroute.store.tables import Alert, OutboxEvent


@pytest.fixture
def slack() -> Iterator[Receiver]:
    receiver = Receiver().start()
    yield receiver
    receiver.stop()


def test_an_outage_burst_fires_one_alert_that_reaches_slack(
    workspace: Workspace, slack: Receiver
) -> None:
    morning(workspace.engine, burst=25)
    policy = workspace.policies.alerts
    report = check_alerts(workspace.engine, policy, now=NOW)
    assert [(a.rule, a.key) for a in report.raised] == [("ticket_spike", "outage")]
    alert = report.raised[0]
    assert alert.summary.startswith("26 outage tickets in the last 30 min; 1.0 expected")
    # five minutes later the burst is still in the window: the same incident, no new alert
    later = check_alerts(workspace.engine, policy, now=NOW + timedelta(minutes=5))
    assert [(f.rule, f.key) for f in later.findings] == [("ticket_spike", "outage")]
    assert later.raised == []
    with Session(workspace.engine) as session:
        rows = list(session.exec(select(Alert)))
        events = list(
            session.exec(select(OutboxEvent).where(col(OutboxEvent.kind) == "alert.raised"))
        )
        listed = recent_alerts(session, since=NOW - timedelta(hours=1))
    assert len(rows) == 1 and rows[0].last_seen_at == NOW + timedelta(minutes=5)
    assert len(events) == 1
    assert events[0].payload["category"] == "outage"
    assert [a.id for a in listed] == [alert.id]

    report = deliver_due(
        workspace,
        now=NOW + timedelta(minutes=6),
        environ={"DESKROUTE_SLACK_WEBHOOK_URL": slack.url},
    )
    assert report.delivered == 1
    assert [seen.kind for seen in slack.seen] == ["alert.raised"]
    message = json.loads(slack.seen[0].body)
    assert message["text"].startswith(
        "Alert: Ticket spike in one category: 26 outage tickets in the last 30 min"
    )
    header, section, actions, context = message["blocks"]
    assert header["text"]["text"] == "Alert: Ticket spike in one category"
    fields = [f["text"] for f in section["fields"]]
    assert "*Where*\ncategory outage" in fields
    assert "*Since*\n2026-03-04 10:00 UTC" in fields
    assert actions["elements"][0]["url"].endswith("/review/dashboard")
    assert "Routing alert" in context["elements"][0]["text"]


def test_an_ordinary_morning_fires_nothing(tmp_path: Path, policies: Policies) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'store.db'}")
    morning(engine, burst=0)
    report = check_alerts(engine, policies.alerts, now=NOW)
    engine.dispose()
    assert report.findings == [] and report.raised == []


def test_the_server_runs_the_check() -> None:
    assert "alerts" in dict(LOOPS)
