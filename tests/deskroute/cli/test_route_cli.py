"""`deskroute route --no-dedupe`: re-testing the same text routes it again, as a new ticket."""

from __future__ import annotations

import json

TEXT = "Please resend invoice INV-2026-0101"


def test_no_dedupe_routes_the_same_text_as_a_new_ticket_and_says_so(cli) -> None:
    def route(*extra: str) -> dict:
        done = cli("route", TEXT, "--customer", "C-1001", "--json", *extra)
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout)

    first = route()
    again = route()
    assert again["duplicate_of"] == first["ticket_id"]  # the check, as it works by default
    retest = route("--no-dedupe")
    assert retest["duplicate_of"] is None and retest["ticket_id"] != first["ticket_id"]
    assert retest["specialist"] == first["specialist"] and retest["response"]
    assert "duplicate check skipped on request" in " ".join(retest["notes"])
    assert "dedupe" in retest["path"]
    assert not any("skipped" in note for note in first["notes"])
