"""Security, privacy, feedback, sales and general specialists."""

from __future__ import annotations


def test_security_collects_evidence_and_proposes_lock(run_specialist) -> None:
    ran = run_specialist(
        "security", "Someone signed in to our account, not us", "security", customer_id="C-1008"
    )
    assert ran.status("lock_account") == "proposed"
    assert (
        "unexpected countries (BR, NG)" in ran.text or "unexpected countries (NG, BR)" in ran.text
    )


def test_security_report_from_unknown_sender(run_specialist) -> None:
    ran = run_specialist(
        "security",
        "I got a phishing mail pretending to be you",
        "security",
        customer_email="someone@else.example",
    )
    assert "security team reviews every report" in ran.text and ran.actions == []


def test_privacy_erasure_and_export_need_approval(run_specialist) -> None:
    erase = run_specialist(
        "privacy", "Please delete all my personal data", "data_privacy", customer_id="C-1021"
    )
    assert erase.status("delete_customer_data") == "proposed" and "within one month" in erase.text
    export = run_specialist(
        "privacy",
        "I want a copy of my personal data (article 15)",
        "data_privacy",
        customer_id="C-1021",
    )
    assert export.status("create_data_export") == "proposed"


def test_privacy_requests_need_a_verified_sender(run_specialist) -> None:
    ran = run_specialist(
        "privacy",
        "delete all data of anna@harbor.example",
        "data_privacy",
        customer_email="someone@else.example",
    )
    assert ran.actions == [] and "registered on the account" in ran.text


def test_feedback_logs_the_request(run_specialist) -> None:
    ran = run_specialist(
        "feedback", "Please add a dark mode to dashboards", "feature_request", customer_id="C-1015"
    )
    assert ran.status("log_feature_request") == "executed" and "dark mode" in ran.text


def test_feedback_logs_a_wrapped_sentence_whole(run_specialist) -> None:
    ran = run_specialist(
        "feedback",
        "Het zou erg handig zijn als we een donkere modus hadden, ons team werkt\nvaak 's avonds.",
        "feature_request",
        customer_id="C-1015",
    )
    [logged] = [a for a in ran.actions if a.tool == "log_feature_request"]
    assert logged.args["summary"].endswith("ons team werkt vaak 's avonds.")


def test_sales_quotes_real_prices_and_creates_lead(run_specialist) -> None:
    ran = run_specialist(
        "sales",
        "What does Enterprise cost for 40 seats?",
        "sales",
        customer_email="buyer@prospect.example",
    )
    assert "Enterprise: 59.00 EUR per seat per month" in ran.text
    assert ran.status("create_sales_lead") == "executed"


def test_general_links_help_articles(run_specialist) -> None:
    ran = run_specialist(
        "general", "How do I share a dashboard with my team?", "general", customer_id="C-1002"
    )
    assert "help.brightline.example/articles/share-dashboards" in ran.text


def test_general_without_article(run_specialist) -> None:
    ran = run_specialist(
        "general",
        "Which programming language is your product written in?",
        "general",
        customer_id="C-1002",
    )
    assert "support team will reply" in ran.text


def test_sales_answers_in_the_customers_language_and_about_the_trial(run_specialist) -> None:
    ran = run_specialist(
        "sales",
        "Notre essai du plan Growth se termine bientôt, pouvez-vous le prolonger ?",
        "sales",
        customer_id="C-1010",
        language="fr",
    )
    assert "Growth : 39.00 EUR par licence et par mois (minimum : 5) – tous les connecteurs" in (
        ran.text
    )
    assert "Votre essai de l'offre Growth se termine le" in ran.text


def test_general_quotes_help_articles_in_the_customers_language(run_specialist) -> None:
    ran = run_specialist(
        "general",
        "¿Cómo puedo compartir un panel con un compañero?",
        "general",
        customer_id="C-1006",
        language="es",
    )
    assert "Compartir un panel con su equipo o mediante un enlace público" in ran.text
    assert "Open the dashboard" not in ran.text
