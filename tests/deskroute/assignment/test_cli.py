"""`deskroute agents ...` through the real CLI, and `deskroute route` showing the owner."""

from __future__ import annotations

import json

import pytest


def test_agents_add_list_set_status_remove(cli) -> None:
    added = cli(
        "agents",
        "add",
        "nina",
        "--skills",
        "billing,finance",
        "--languages",
        "en,de",
        "--capacity",
        "3",
        "--timezone",
        "Europe/Berlin",
        "--hours",
        "always",
        "--lead-of",
        "finance",
    )
    assert added.returncode == 0, added.stderr
    listed = cli("agents", "list", "--json")
    agents = {a["name"]: a for a in map(json.loads, listed.stdout.splitlines())}
    assert len(agents) == 17  # the 16 demo agents and nina
    assert agents["nina"]["lead_of"] == ["finance"] and agents["nina"]["capacity"] == 3
    assert "nina" in cli("agents", "list").stdout
    assert cli("agents", "set-status", "nina", "offline").stdout.startswith("nina is offline")
    assert cli("agents", "remove", "nina").returncode == 0
    assert cli("agents", "set-status", "nina", "online").returncode == 2


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--skills", "billingg", "--languages", "en", "--capacity", "2"], "did you mean billing"),
        (["--skills", "billing", "--languages", "xx", "--capacity", "2"], "unknown language 'xx'"),
        (["--skills", "billing", "--languages", "en", "--capacity", "0"], "--capacity"),
        (
            ["--skills", "billing", "--languages", "en", "--capacity", "2", "--hours", "9-5"],
            "hours",
        ),
        (
            [
                "--skills",
                "billing",
                "--languages",
                "en",
                "--capacity",
                "2",
                "--timezone",
                "Mars/Base",
            ],
            "time zone",
        ),
    ],
)
def test_bad_agents_are_refused_with_exit_code_2(cli, args: list[str], message: str) -> None:
    done = cli("agents", "add", "bad", *args)
    assert done.returncode == 2 and message in done.stderr
    assert cli("agents", "set-status", "nobody", "away").returncode == 2
    assert cli("agents", "set-status", "anna.schmidt", "busy").returncode == 2


def test_route_shows_who_got_the_ticket(cli) -> None:
    done = cli(
        "route", "Please send a copy of invoice INV-2026-0101", "--customer", "C-1001", "--json"
    )
    assert done.returncode == 0, done.stderr
    record = json.loads(done.stdout)
    assignment = record["assignment"]
    assert assignment["state"] == "assigned" and assignment["reason"] == "best_match"
    agents = {
        a["name"]: a for a in map(json.loads, cli("agents", "list", "--json").stdout.splitlines())
    }
    assert "finance" in agents[assignment["agent"]]["skills"]
    assert agents[assignment["agent"]]["open_tickets"] == 1
