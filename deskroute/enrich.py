"""Enrichment: customer context from the store, urgency and sentiment from the text, priority."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime, timedelta
from typing import get_args

from sqlmodel import Session

from deskroute.models.context import (
    CustomerContext,
    RaisedUrgency,
    RecentTicket,
    SenderMatch,
    Sentiment,
    SignalHit,
    Signals,
    Urgency,
)
from deskroute.models.ticket import TicketView
from deskroute.policies.schema import Priority, Routing, SignalsPolicy
from deskroute.store import crm

URGENCY_ORDER: tuple[Urgency, ...] = get_args(Urgency)
RAISED_URGENCIES: tuple[RaisedUrgency, ...] = get_args(RaisedUrgency)
RECENT_DAYS = 30


def sender_domain(email: str | None, free_mail_domains: Collection[str]) -> str | None:
    """The domain of the sender's address, unless anyone can have an address there."""
    domain = email.rpartition("@")[2].lower() if email else ""
    return domain if domain and domain not in free_mail_domains else None


def customer_context(
    session: Session,
    ticket: TicketView,
    *,
    now: datetime,
    free_mail_domains: Collection[str],
) -> CustomerContext:
    """The sender's CRM record and recent tickets; unknown senders still get their history.

    A sender matched by neither customer id nor contact e-mail, writing from the e-mail domain
    of one customer's contact (not a free-mail domain), is that customer's colleague: the
    customer's context with `match="domain"`, its tier for the priority, its account for
    lookups, but neither its contact's name nor the writes only the contact may have done.
    `open_tickets` counts the sender's tickets of the last 30 days that are not closed (a
    colleague's: the account's and their own)."""
    customer = crm.customer_with_subscription(
        session, customer_id=ticket.customer_id, email=ticket.customer_email
    )
    match: SenderMatch = "contact"
    if customer is None and (domain := sender_domain(ticket.customer_email, free_mail_domains)):
        customer, match = crm.customer_at_domain(session, domain=domain), "domain"
    contact = customer is not None and match == "contact"
    history = crm.sender_history(
        session,
        customer_id=customer.id if customer else ticket.customer_id,
        email=customer.email if customer and contact else ticket.customer_email,
        since=now - timedelta(days=RECENT_DAYS),
        exclude_id=ticket.id,
    )
    open_count = sum(1 for t in history if t.status != "closed")
    if customer is None:
        return CustomerContext(
            known=False,
            customer_id=ticket.customer_id,
            email=ticket.customer_email,
            open_tickets=open_count,
            recent_tickets=history[:10],
        )
    return CustomerContext(
        known=True,
        match=match,
        customer_id=customer.id,
        name=customer.name,
        contact_name=customer.contact_name if contact else None,
        email=customer.email if contact else ticket.customer_email,
        tier=customer.tier,
        plan=customer.plan,
        account_value=customer.account_value,
        status=customer.status,
        language=customer.language,
        timezone=customer.timezone,
        subscription_status=customer.subscription_status,
        open_tickets=open_count,
        recent_tickets=history[:10],
    )


def read_signals(
    text: str,
    policy: SignalsPolicy,
    *,
    base_urgency: Urgency,
    history: list[RecentTicket],
    now: datetime,
) -> Signals:
    """Urgency = the higher of the category's base urgency and the level the score reaches."""
    hits: list[SignalHit] = []
    score = 0
    for name, signal in policy.signals.items():
        if match := signal.matcher.search(text):
            hits.append(SignalHit(signal=name, evidence=match.text))
            score += signal.weight
    window = now - timedelta(days=policy.repeat_contact.window_days)
    repeats = sum(1 for t in history if t.created_at >= window)
    if repeats >= policy.repeat_contact.min_tickets:
        hits.append(
            SignalHit(
                signal="repeat_contact",
                evidence=f"{repeats} other tickets in the last "
                f"{policy.repeat_contact.window_days} days",
            )
        )
        score += policy.repeat_contact.weight
    level: Urgency = "low"
    for name in RAISED_URGENCIES:
        if score >= policy.urgency_scores.get(name, 10**6):
            level = name
    urgency = max(base_urgency, level, key=URGENCY_ORDER.index)
    negative = any(h.signal in policy.negative_signals for h in hits)
    positive = policy.positive_matcher.search(text) is not None
    sentiment: Sentiment = "negative" if negative else ("positive" if positive else "neutral")
    return Signals(urgency=urgency, score=score, sentiment=sentiment, hits=hits)


def priority_of(customer: CustomerContext, urgency: Urgency, routing: Routing) -> Priority:
    tier = customer.tier if customer.known and customer.tier else "unknown"
    return routing.priority[tier][urgency]
