"""Enrichment: CRM context, urgency and sentiment signals, priority."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from helpers import view
from sqlmodel import Session

from deskroute.enrich import customer_context, priority_of, read_signals
from deskroute.models.context import CustomerContext, RecentTicket
from deskroute.service import submit_ticket
from deskroute.store.tables import Customer

NOW = datetime.now(UTC)


def signals(policies, text: str, base="normal", history=()):
    return read_signals(text, policies.signals, base_urgency=base, history=list(history), now=NOW)


def test_plain_ticket_is_normal(policies) -> None:
    result = signals(policies, "How do I change the time zone?")
    assert (result.urgency, result.sentiment, result.hits) == ("normal", "neutral", [])


def test_feature_requests_start_low(policies) -> None:
    assert signals(policies, "Dark mode would be nice", base="low").urgency == "low"


def test_frustration_and_outage_raise_urgency(policies) -> None:
    result = signals(
        policies,
        "This is the third time I write! Nobody can log in, the whole "
        "team is blocked. Unacceptable.",
    )
    names = {h.signal for h in result.hits}
    assert {"repeated_contact", "outage", "frustration"} <= names
    assert result.urgency == "critical" and result.sentiment == "negative"


def test_cancellation_threat(policies) -> None:
    result = signals(policies, "Fix this or we will cancel and switch to a competitor")
    assert "cancellation_threat" in {h.signal for h in result.hits}
    assert result.sentiment == "negative"


def test_signals_match_word_forms(policies) -> None:
    result = signals(
        policies,
        "This is the THIRD time I write. We will terminate the contract and involve our lawyers.",
    )
    assert {h.signal for h in result.hits} == {
        "repeated_contact",
        "cancellation_threat",
        "legal_threat",
    }
    threat = next(h for h in result.hits if h.signal == "cancellation_threat")
    assert threat.evidence == "terminate the contract"
    assert result.urgency == "critical" and result.sentiment == "negative"


@pytest.mark.parametrize(
    "text",
    [
        "Das ist jetzt das dritte Mal. Wenn das so bleibt, kündigen wir den Vertrag.",
        "C'est la troisième fois que j'écris. Nous allons résilier le contrat.",
        "Es la tercera vez que escribo. Vamos a cancelar el contrato.",
        "Dit is de derde keer dat ik mail. Anders zeggen we ons contract op.",
    ],
)
def test_repeat_and_cancellation_in_the_shipped_languages(policies, text: str) -> None:
    result = signals(policies, text)
    assert {h.signal for h in result.hits} == {"repeated_contact", "cancellation_threat"}
    assert result.urgency == "high" and result.sentiment == "negative"


def test_negated_phrases_are_no_signal(policies) -> None:
    result = signals(policies, "The site is not down and we will not cancel, thanks a lot!")
    assert result.hits == [] and result.sentiment == "positive"


def test_repeat_contact_from_history(policies) -> None:
    history = [
        RecentTicket(
            id=f"t{i}",
            subject="s",
            status="routed",
            category=None,
            created_at=NOW - timedelta(days=i),
        )
        for i in range(1, 3)
    ]
    result = signals(policies, "The export still fails", history=history)
    assert "repeat_contact" in {h.signal for h in result.hits}


def test_priority_matrix(policies) -> None:
    enterprise = CustomerContext(known=True, tier="enterprise")
    unknown = CustomerContext(known=False)
    assert priority_of(enterprise, "high", policies.routing) == "P1"
    assert priority_of(unknown, "low", policies.routing) == "P4"


def test_customer_context_from_store(workspace) -> None:
    policies = workspace.policies
    for text in ("first", "second"):
        submit_ticket(workspace, {"body": text, "customer_id": "C-1003"})
    ticket = view(policies, body="third", customer_id="C-1003")
    with Session(workspace.engine) as session:
        context = customer_context(
            session,
            ticket,
            now=datetime.now(UTC),
            free_mail_domains=policies.intake.free_mail_domains,
        )
    assert context.known and context.tier == "enterprise" and context.name
    assert context.match == "contact" and context.contact_name
    assert context.open_tickets == 2 and len(context.recent_tickets) == 2
    assert context.subscription_status is not None


def context_of(workspace, email: str, body: str = "hi") -> CustomerContext:
    ticket = view(workspace.policies, body=body, customer_email=email)
    with Session(workspace.engine) as session:
        return customer_context(
            session,
            ticket,
            now=datetime.now(UTC),
            free_mail_domains=workspace.policies.intake.free_mail_domains,
        )


def test_unknown_sender(workspace) -> None:
    context = context_of(workspace, "someone@nowhere.example")
    assert not context.known and context.email == "someone@nowhere.example"
    assert context.match is None


def test_colleague_at_the_customers_domain_gets_its_tier(any_store_workspace) -> None:
    """Anna Weber is C-1001's contact (enterprise); Priya writes from the same domain."""
    workspace = any_store_workspace
    context = context_of(workspace, "Priya.Raman@harbor-logistics.example")
    assert context.known and context.match == "domain"
    assert (context.customer_id, context.tier) == ("C-1001", "enterprise")
    # Not the contact: no greeting by the contact's name, and her own address.
    assert context.contact_name is None
    assert context.email == "priya.raman@harbor-logistics.example"
    routing = workspace.policies.routing
    assert priority_of(context, "normal", routing) == routing.priority["enterprise"]["normal"]
    assert priority_of(context, "normal", routing) != routing.priority["unknown"]["normal"]


def add_customer(workspace, customer_id: str, email: str) -> None:
    with Session(workspace.engine) as session:
        session.add(
            Customer(
                id=customer_id,
                name=f"Customer {customer_id}",
                contact_name="Sam Doe",
                email=email,
                tier="business",
                plan="Growth",
                account_value=9000,
                country="GB",
                language="en",
                timezone="Europe/London",
                status="active",
            )
        )
        session.commit()


def test_free_mail_senders_are_never_colleagues(workspace) -> None:
    add_customer(workspace, "C-9001", "sam.doe@gmail.com")
    assert context_of(workspace, "sam.doe@gmail.com").match == "contact"
    stranger = context_of(workspace, "someone.else@gmail.com")
    assert not stranger.known and stranger.match is None and stranger.tier is None
    assert "gmail.com" in workspace.policies.intake.free_mail_domains


def test_a_domain_shared_by_two_customers_matches_neither(any_store_workspace) -> None:
    workspace = any_store_workspace
    add_customer(workspace, "C-9002", "ops@twin-holdings.example")
    add_customer(workspace, "C-9003", "finance@twin-holdings.example")
    assert not context_of(workspace, "new.hire@twin-holdings.example").known


def test_domain_wildcards_are_literal(any_store_workspace) -> None:
    """A "_" in a domain is no LIKE wildcard: x_y.example is not xay.example."""
    workspace = any_store_workspace
    add_customer(workspace, "C-9004", "ops@xay.example")
    assert not context_of(workspace, "someone@x_y.example").known
