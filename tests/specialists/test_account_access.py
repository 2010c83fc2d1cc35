"""Account access reads the sign-in history; resets are sent, 2FA resets proposed."""

from __future__ import annotations


def test_locked_account_gets_reset_link_citing_attempts(run_specialist) -> None:
    ran = run_specialist(
        "account_access",
        "I can't log in, my account is locked",
        "account_access",
        customer_id="C-1012",
    )
    assert ran.status("get_login_history") == "executed"
    assert ran.status("send_password_reset") == "executed"
    assert "Failed attempts since your last successful sign-in" in ran.text
    assert "(wrong password)" in ran.text and "was locked at" in ran.text
    assert "***@" in ran.text  # the address is masked


def test_lost_authenticator_proposes_2fa_reset(run_specialist) -> None:
    ran = run_specialist(
        "account_access",
        "Lost my phone with the authenticator app",
        "account_access",
        customer_id="C-1014",
    )
    assert ran.status("reset_2fa") == "proposed" and ran.status("send_password_reset") is None
    assert "identity check" in ran.text


def test_sso_errors_are_explained(run_specialist) -> None:
    ran = run_specialist(
        "account_access", "I get an error when I sign in", "account_access", customer_id="C-1009"
    )
    assert "single sign-on" in ran.text


def test_unknown_sender_gets_no_reset(run_specialist) -> None:
    ran = run_specialist(
        "account_access",
        "reset my password",
        "account_access",
        customer_email="attacker@evil.example",
    )
    assert ran.actions == [] and "could not find a Brightline account" in ran.text


def test_a_new_hires_missing_invitation_is_answered_not_the_senders_sign_ins(
    run_specialist,
) -> None:
    ran = run_specialist(
        "account_access",
        "Our new hire never received the invitation email to join our Brightline workspace. "
        "Can you resend it?",
        "account_access",
        customer_id="C-1009",  # whose own recent sign-ins fail at single sign-on
    )
    assert "single sign-on" not in ran.text and "sign-ins" not in ran.text
    assert "Settings > Members" in ran.text and "send an invitation again" in ran.text
    assert ran.actions == []


def test_an_invitation_reply_names_the_invitee(run_specialist) -> None:
    ran = run_specialist(
        "account_access",
        "We invited a new hire, james.ortiz@brightwater-health.example, but he never got it.",
        "account_access",
        customer_id="C-1009",
    )
    assert "send the invitation to james.ortiz@brightwater-health.example again" in ran.text
    assert "reply with the address" not in ran.text and ran.actions == []


def test_a_known_sign_in_issue_is_quoted_instead_of_the_senders_history(run_specialist) -> None:
    ran = run_specialist(
        "account_access",
        "Since we rotated our Okta certificate everyone is stuck in a login loop.",
        "account_access",
        customer_id="C-1016",
    )
    assert "known sign-in issue, KI-104" in ran.text and "signing certificate" in ran.text
    assert ran.status("get_login_history") is None and ran.status("send_password_reset") is None


def test_a_clean_history_reads_as_one_and_sso_gets_the_sso_advice(run_specialist) -> None:
    ran = run_specialist(
        "account_access",
        "Depuis deux jours, la connexion SSO échoue pour moi.",
        "account_access",
        customer_id="C-1003",
        language="fr",
    )
    assert "sans aucune tentative échouée depuis" in ran.text
    assert "authentification unique (SSO)" in ran.text and "none" not in ran.text
