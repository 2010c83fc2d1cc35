"""`deskroute alerts check|list` over the store in DESKROUTE_HOME: thin shells over the check
and the list, with bad input refused by a message and exit code 2."""

from __future__ import annotations

import json

from alert_rows import NOW, morning

from deskroute.settings import Settings
from deskroute.store.db import make_engine


def test_check_raises_once_and_list_shows_it(cli) -> None:
    engine = make_engine(Settings().resolved_database_url)
    morning(engine, burst=25)
    engine.dispose()
    done = cli("alerts", "check", "--now", NOW.isoformat(), "--json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert [(a["rule"], a["key"]) for a in report["raised"]] == [("ticket_spike", "outage")]
    again = cli("alerts", "check", "--now", "2026-03-04T10:05")
    ongoing, total = again.stdout.splitlines()
    assert ongoing.startswith("ongoing  ticket_spike (outage): 26 outage tickets in the last 30")
    assert total == "1 rules hold, 0 alerts raised"
    listed = cli("alerts", "list", "--since", "2026-03-04T09:00", "--json")
    assert [json.loads(line)["key"] for line in listed.stdout.splitlines()] == ["outage"]
    table = cli("alerts", "list", "--since", "2026-03-04T09:00")
    assert "1 alert" in table.stdout and "ticket_spike" in table.stdout


def test_bad_input_is_refused_with_exit_code_2(cli) -> None:
    done = cli("alerts", "list", "--since", "last week")
    assert done.returncode == 2
    assert "--since: use a duration such as 7d, 24h or 90m" in done.stderr
    done = cli("alerts", "list", "--limit", "0")
    assert done.returncode == 2
    assert "--limit: must be from 1 to 1000" in done.stderr
    done = cli("alerts", "check", "--now", "yesterday")
    assert done.returncode == 2
    assert done.stderr.startswith("error: --now:")
