"""`deskroute outcomes list` as a lead reads it: full ticket ids, filters checked."""

from __future__ import annotations

import json

import pytest

from deskroute.cli import render


@pytest.mark.parametrize("columns", [120, 80])
def test_ticket_ids_are_listed_in_full_to_copy_into_show(
    cli, columns: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = json.loads(
        cli("route", "Please resend invoice INV-2026-0101", "--customer", "C-1001", "--json").stdout
    )
    repeat = json.loads(
        cli("route", "Please resend invoice INV-2026-0101", "--customer", "C-1001", "--json").stdout
    )
    assert repeat["duplicate_of"] == first["ticket_id"]
    cli("route", "refund the double charge", "--customer", "C-1005")
    for console in (render.out, render.err):
        monkeypatch.setattr(console, "width", columns)
    done = cli("outcomes", "list", COLUMNS=str(columns))
    assert done.returncode == 0, done.stderr
    ids = [
        json.loads(line)["ticket_id"]
        for line in cli("outcomes", "list", "--json").stdout.splitlines()
    ]
    assert len(ids) == 3
    words = done.stdout.split()
    for ticket_id in ids:
        assert ticket_id in words, done.stdout
    assert [line for line in done.stdout.splitlines() if len(line) > columns] == []
    shown = cli("outcomes", "show", words[words.index(repeat["ticket_id"])])
    assert shown.returncode == 0 and first["ticket_id"] in shown.stdout
