"""Security: a leaked API key is revoked, that key only; the account is locked only when its
sign-ins say it may be compromised."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from pydantic import ValidationError
from sqlmodel import Session, select

from deskroute.errors import ToolError
from deskroute.service import route_new
from deskroute.store.tables import ApiKeyRevocation, Customer
from specialists.gate import apply_action
from specialists.reply_checks import unbacked_claims
from specialists.text import key_hint
from specialists.tools import TOOLS, Injected

LEAK = (
    "One of our developers accidentally pushed an API key to a public GitHub repo. "
    "The key starts with bl_live_7f3a. Please help."
)
APPROVER = "security-lead@brightline.example"


def test_a_leaked_key_is_revoked_not_the_account_locked(run_specialist, workspace) -> None:
    ran = run_specialist("security", LEAK, "security", customer_id="C-1001")
    assert ran.status("lock_account") is None
    [revoke] = [a for a in ran.actions if a.tool == "revoke_api_key"]
    assert revoke.status == "proposed" and revoke.args["key_hint"] == "bl_live_7f3a…"
    assert "revoke the API key bl_live_7f3a…" in ran.text and "lock" not in ran.text
    env = Injected(
        ticket_id="tkt_x", customer_id="C-1001", customer_email=None, now=datetime.now(UTC)
    )
    policy = workspace.deps.specialists["security"].policy
    with Session(workspace.engine) as session:
        effect = apply_action(session, revoke, env, policy, approved_by=APPROVER)
        session.commit()
    with Session(workspace.engine) as session:
        revocation = session.get(ApiKeyRevocation, effect["revocation_id"])
        assert revocation is not None
        assert (revocation.customer_id, revocation.key_hint, revocation.status) == (
            "C-1001",
            "bl_live_7f3a…",
            "requested",
        )
        customer = session.get(Customer, "C-1001")
        assert customer is not None and customer.locked is False


def test_a_leaked_key_nobody_quoted_is_left_to_the_reviewer(run_specialist, workspace) -> None:
    ran = run_specialist(
        "security",
        "We think our API key leaked, it was in a screenshot we published.",
        "security",
        customer_id="C-1001",
    )
    [revoke] = [a for a in ran.actions if a.tool == "revoke_api_key"]
    assert revoke.status == "proposed" and revoke.args["key_hint"] is None
    assert revoke.reason is not None and "settle which key" in revoke.reason
    assert ran.status("lock_account") is None and "first or the last few characters" in ran.text
    env = Injected(
        ticket_id="tkt_x", customer_id="C-1001", customer_email=None, now=datetime.now(UTC)
    )
    policy = workspace.deps.specialists["security"].policy
    with Session(workspace.engine) as session, pytest.raises(ToolError, match="settled"):
        apply_action(session, revoke, env, policy, approved_by=APPROVER)
    with Session(workspace.engine) as session:
        assert session.exec(select(ApiKeyRevocation)).all() == []


def test_a_leaked_key_in_a_whole_run_proposes_the_revocation_only(workspace) -> None:
    ticket = {"customer_id": "C-1001", "subject": "Leaked key", "body": LEAK}
    record = route_new(workspace, ticket)[1]
    proposed = [(a.tool, a.args.get("key_hint")) for a in record.actions if a.status == "proposed"]
    assert proposed == [("revoke_api_key", "bl_live_7f3a…")]
    assert record.escalated and "sensitive_action" in record.escalation_reasons


@pytest.mark.parametrize(
    ("text", "hint"),
    [
        ("The key starts with bl_live_7f3a. Please help.", "bl_live_7f3a…"),
        ("the key ending in 9QxZ", "…9QxZ"),
        ('the last four characters are "x7Q2"', "…x7Q2"),
        ("we leaked bl_live_7f3a9d8e7c6b5a4f3e2d1c0b on GitHub", "bl_live_7f3a…1c0b"),
        ("It starts with every request", None),
        ("our api key leaked", None),
    ],
)
def test_the_key_hint_is_the_part_of_the_key_the_ticket_quotes(text: str, hint: str | None) -> None:
    assert key_hint(text) == hint
    if hint is not None:
        TOOLS["revoke_api_key"].args.model_validate({"key_hint": hint, "reason": "leaked"})


def test_the_key_hint_is_a_part_of_a_key_and_nothing_else() -> None:
    with pytest.raises(ValidationError, match="key_hint"):
        TOOLS["revoke_api_key"].args.model_validate({"key_hint": "all keys", "reason": "leaked"})


def test_a_reply_saying_the_key_was_revoked_needs_the_revocation_done() -> None:
    assert unbacked_claims("Your API key has been revoked.", [])
    assert not unbacked_claims("Our security team will revoke the key once approved.", [])


def test_a_phishing_report_is_answered_as_phishing(run_specialist) -> None:
    ran = run_specialist(
        "security",
        "Staff got e-mails that look like your password reset, linking to brightline-login.co.",
        "security",
        customer_id="C-1016",
    )
    assert "the messages you describe are phishing" in ran.text
    assert ran.status("lock_account") is None


def test_a_key_quoted_by_its_end_in_spanish_is_revoked_alone(run_specialist) -> None:
    ran = run_specialist(
        "security",
        "Un desarrollador publicó nuestra clave de API (termina en …9QxZ) en un repositorio.",
        "security",
        customer_id="C-1006",
        language="es",
    )
    [revoke] = [a for a in ran.actions if a.tool == "revoke_api_key"]
    assert revoke.status == "proposed" and revoke.args["key_hint"] == "…9QxZ"
    assert ran.status("lock_account") is None
