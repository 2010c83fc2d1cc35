"""`deskroute tickets event`, `sla show` and `sla sweep` on a routed ticket."""

from __future__ import annotations

import json
from datetime import datetime, timedelta


def test_events_show_and_sweep(cli) -> None:
    routed = cli(
        "route", "I was charged twice for my March invoice", "--customer", "C-1001", "--json"
    )
    assert routed.returncode == 0, routed.stderr
    record = json.loads(routed.stdout)
    ticket = record["ticket_id"]
    assert record["sla"]["state"] == "running"

    shown = cli("sla", "show", ticket)
    assert shown.returncode == 0 and "state: running" in shown.stdout
    assert "first response due" in shown.stdout

    due = datetime.fromisoformat(record["sla"]["first_response_due"])
    swept = cli("sla", "sweep", "--now", (due + timedelta(seconds=1)).isoformat())
    assert swept.returncode == 0
    assert f"{ticket}  first_response at_risk" in swept.stdout
    assert f"{ticket}  first_response breached" in swept.stdout
    assert "escalated to the lead" in swept.stdout
    again = cli("sla", "sweep", "--now", (due + timedelta(seconds=2)).isoformat())
    assert again.stdout.strip() == "0 marked"

    answered = cli("tickets", "event", ticket, "first_response", "--json")
    assert answered.returncode == 0, answered.stderr
    assert json.loads(answered.stdout)["first_response_at"] is not None
    assert cli("tickets", "event", ticket, "reopened").returncode == 3  # not resolved: conflict


def test_bad_input_exits_2(cli) -> None:
    assert cli("sla", "sweep", "--now", "yesterday").returncode == 2
    assert cli("sla", "show", "tkt_nope").returncode == 2
    bad_kind = cli("tickets", "event", "tkt_nope", "closed")
    assert bad_kind.returncode == 2
    assert cli("tickets", "event", "tkt_nope", "resolved").returncode == 2
