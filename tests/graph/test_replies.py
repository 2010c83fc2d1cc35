"""Replies read as a support team writes them: greeting, sign-off and wording."""

from __future__ import annotations

from pathlib import Path

from helpers import copy_tree, edit_yaml

from deskroute.runtime import open_workspace
from deskroute.service import route_new
from deskroute.settings import Settings


def sign_off(response: str | None) -> list[str]:
    """The closing's lines, after the last blank line."""
    assert response is not None
    return response.rsplit("\n\n", 1)[1].splitlines()


def test_sign_offs_name_the_company_and_a_team(route) -> None:
    outage = route("Nothing loads, is the service down?", customer_id="C-1006")
    billing = route("Please resend invoice INV-2026-0101", customer_id="C-1001")
    assert outage.category == "outage" and not outage.escalated
    assert sign_off(outage.response)[:2] == [
        "Best regards,",
        "The Brightline technical support team",
    ]
    assert sign_off(billing.response)[:2] == ["Best regards,", "The Brightline billing team"]
    for record in (outage, billing):
        assert "Brightline Outage" not in (record.response or "")
        assert "Brightline Billing" not in (record.response or "")


def test_holding_replies_sign_off_as_the_support_team(route) -> None:
    record = route("I want to speak to a human about my account", customer_id="C-1002")
    assert record.escalated
    assert sign_off(record.response)[1] == "The Brightline support team"


def test_the_company_name_comes_from_the_routing_policy(settings: Settings, tmp_path: Path) -> None:
    policies = copy_tree("policies", tmp_path)
    edit_yaml(policies / "routing.yaml", lambda d: d.update(company="Northwind Analytics"))
    ws = open_workspace(settings.model_copy(update={"policies_dir": policies}))
    unknown = route_new(
        ws, {"body": "Please resend my last invoice", "customer_email": "x@y.example"}
    )[1]
    assert "The Northwind Analytics billing team" in (unknown.response or "")
    assert "a Northwind Analytics account" in (unknown.response or "")
    assert "Brightline" not in (unknown.response or "")


def test_a_repeat_from_a_known_customer_is_greeted_by_name(route) -> None:
    first = route("Please resend invoice INV-2026-0101", customer_id="C-1001")
    repeat = route("Please resend invoice INV-2026-0101 again, still waiting", customer_id="C-1001")
    assert repeat.duplicate_of == first.ticket_id
    assert (repeat.response or "").startswith("Hi Anna Weber,")
