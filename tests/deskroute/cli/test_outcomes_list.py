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


def test_an_unknown_category_or_queue_is_named_with_the_known_ones(cli) -> None:
    cli("route", "Please resend invoice INV-2026-0101", "--customer", "C-1001")
    typo = cli("outcomes", "list", "--category", "biling")
    assert typo.returncode == 2, typo.stdout
    message = " ".join(typo.stderr.split())
    assert "unknown category 'biling' (did you mean billing?)" in message
    assert "known: account_access, billing," in message and "Traceback" not in message
    queue = cli("outcomes", "list", "--queue", "financ")
    assert queue.returncode == 2
    message = " ".join(queue.stderr.split())
    assert "unknown queue 'financ' (did you mean finance?)" in message and "triage" in message
    found = cli("outcomes", "list", "--category", "billing", "--queue", "finance")
    assert found.returncode == 0 and "1 of 1 outcomes" in found.stdout
    none_yet = cli("outcomes", "list", "--category", "sales")
    assert none_yet.returncode == 0 and "0 of 0 outcomes" in none_yet.stdout
