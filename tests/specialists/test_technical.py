"""Technical matches incidents and known issues, or hands over with what engineers need."""

from __future__ import annotations


def test_outage_cites_the_active_incident(run_specialist) -> None:
    ran = run_specialist(
        "technical", "Nothing loads, is the service down?", "outage", customer_id="C-1006"
    )
    assert "platform incident, KI-108" in ran.text


def test_known_issue_with_workaround(run_specialist) -> None:
    ran = run_specialist(
        "technical",
        "Snowflake sync fails with a timeout on big tables",
        "technical_issue",
        customer_id="C-1003",
    )
    assert "known issue, KI-101" in ran.text and "Workaround" in ran.text


def test_unmatched_problem_asks_for_details(run_specialist) -> None:
    ran = run_specialist(
        "technical", "The colour picker ignores my clicks", "technical_issue", customer_id="C-1002"
    )
    assert "steps to reproduce" in ran.text and "Growth plan" in ran.text


def test_unknown_sender_is_not_told_about_a_plan(run_specialist) -> None:
    ran = run_specialist(
        "technical",
        "The colour picker ignores my clicks",
        "technical_issue",
        customer_email="someone@unknown.example",
    )
    assert "passed it to our engineers. It helps if" in ran.text
    assert "your your" not in ran.text and "plan details" not in ran.text


def test_a_known_issue_is_quoted_in_the_tickets_language(run_specialist) -> None:
    ran = run_specialist(
        "technical",
        "Le connecteur Snowflake échoue avec un timeout sur nos grandes tables.",
        "technical_issue",
        customer_id="C-1003",
        language="fr",
    )
    assert "problème connu, KI-101" in ran.text and "(statut : cause identifiée)" in ran.text
    assert "Scindez la synchronisation en tables plus petites" in ran.text
    assert "Split the sync" not in ran.text


def test_a_recently_fixed_issue_gives_its_advice(run_specialist) -> None:
    ran = run_specialist(
        "technical",
        "Our API calls get 429 Too Many Requests after a few calls. The key is from 2023.",
        "technical_issue",
        customer_id="C-1002",
    )
    assert "since been fixed, KI-105" in ran.text and "rotate the API key once" in ran.text
