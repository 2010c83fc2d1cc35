"""The one write path for every side effect a specialist tool can have on the CRM.

Called only through the write tools' `apply` (`specialists.tools.writes`), which
`specialists.gate.apply_action` runs: safe actions inside the outcome's transaction; actions
that need approval only when it is given `approved_by`, which the workflow never passes.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from typing import cast

from sqlalchemy import func, update
from sqlmodel import Session, col, select

from deskroute.errors import NotFoundError
from deskroute.store.tables import (
    ApiKeyRevocation,
    Credit,
    Customer,
    DataRequest,
    FeatureRequest,
    Invoice,
    LoginEvent,
    PasswordReset,
    PersonErasure,
    Refund,
    SalesLead,
    Subscription,
)

PASSWORD_RESET_TTL = timedelta(hours=24)


def _flushed_id(value: int | None) -> int:
    """The key that `flush()` has just assigned to a new row (never None after it)."""
    return cast(int, value)


def _customer(session: Session, customer_id: str) -> Customer:
    customer = session.get(Customer, customer_id)
    if customer is None:
        raise NotFoundError(f"customer {customer_id} does not exist")
    return customer


def mark_invoice_sent(session: Session, *, customer_id: str, number: str, now: datetime) -> None:
    invoice = session.get(Invoice, number)
    if invoice is None or invoice.customer_id != customer_id:
        raise NotFoundError(f"invoice {number} does not belong to {customer_id}")
    invoice.last_sent_at = now
    session.add(invoice)


def hold_credits(session: Session, *, customer_id: str) -> None:
    """Make the customer's credits this transaction's alone until it ends, so that two tickets
    that each check the credit cap and then add a credit run one after the other: a no-op
    update of the customer's row takes PostgreSQL's row lock and SQLite's write lock (a plain
    read would let both see the total before either credit)."""
    session.exec(
        update(Customer).where(col(Customer.id) == customer_id).values(status=Customer.status)
    )


def credit_total(session: Session, *, customer_id: str, currency: str, since: datetime) -> Decimal:
    """What the customer has been credited in this currency since a time (to the cent)."""
    total = session.exec(
        select(func.coalesce(func.sum(Credit.amount), 0.0)).where(
            Credit.customer_id == customer_id,
            Credit.currency == currency,
            col(Credit.created_at) >= since,
        )
    ).one()
    return Decimal(str(total)).quantize(Decimal("0.01"))


def add_credit(
    session: Session,
    *,
    customer_id: str,
    ticket_id: str,
    amount: float,
    currency: str,
    reason: str,
    now: datetime,
) -> int:
    credit = Credit(
        customer_id=customer_id,
        ticket_id=ticket_id,
        amount=amount,
        currency=currency,
        reason=reason,
        created_at=now,
    )
    session.add(credit)
    session.flush()
    return _flushed_id(credit.id)


def add_password_reset(
    session: Session, *, customer_id: str, ticket_id: str, now: datetime
) -> datetime:
    customer = _customer(session, customer_id)
    expires = now + PASSWORD_RESET_TTL
    session.add(
        PasswordReset(
            customer_id=customer_id,
            ticket_id=ticket_id,
            email=customer.email,
            sent_at=now,
            expires_at=expires,
        )
    )
    return expires


def add_feature_request(
    session: Session, *, customer_id: str | None, ticket_id: str, summary: str, now: datetime
) -> int:
    request = FeatureRequest(
        customer_id=customer_id, ticket_id=ticket_id, summary=summary, created_at=now
    )
    session.add(request)
    session.flush()
    return _flushed_id(request.id)


def add_sales_lead(
    session: Session,
    *,
    customer_id: str | None,
    email: str | None,
    ticket_id: str,
    interest: str,
    now: datetime,
) -> int:
    lead = SalesLead(
        customer_id=customer_id, email=email, ticket_id=ticket_id, interest=interest, created_at=now
    )
    session.add(lead)
    session.flush()
    return _flushed_id(lead.id)


def add_data_request(
    session: Session, *, customer_id: str, ticket_id: str, kind: str, now: datetime
) -> int:
    request = DataRequest(
        customer_id=customer_id,
        ticket_id=ticket_id,
        kind=kind,
        status="in_progress",
        created_at=now,
    )
    session.add(request)
    session.flush()
    return _flushed_id(request.id)


def add_person_erasure(
    session: Session, *, customer_id: str, ticket_id: str, person: str, now: datetime
) -> int:
    erasure = PersonErasure(
        customer_id=customer_id,
        ticket_id=ticket_id,
        person=person,
        status="in_progress",
        created_at=now,
    )
    session.add(erasure)
    session.flush()
    return _flushed_id(erasure.id)


def add_key_revocation(
    session: Session, *, customer_id: str, ticket_id: str, key_hint: str, reason: str, now: datetime
) -> int:
    _customer(session, customer_id)
    revocation = ApiKeyRevocation(
        customer_id=customer_id,
        ticket_id=ticket_id,
        key_hint=key_hint,
        reason=reason,
        status="requested",
        created_at=now,
    )
    session.add(revocation)
    session.flush()
    return _flushed_id(revocation.id)


def add_refund(
    session: Session,
    *,
    customer_id: str,
    ticket_id: str,
    invoice_number: str,
    amount: float,
    reason: str,
    now: datetime,
) -> int:
    invoice = session.get(Invoice, invoice_number)
    if invoice is None or invoice.customer_id != customer_id:
        raise NotFoundError(f"invoice {invoice_number} does not belong to {customer_id}")
    refund = Refund(
        customer_id=customer_id,
        invoice_number=invoice_number,
        ticket_id=ticket_id,
        amount=amount,
        currency=invoice.currency,
        reason=reason,
        created_at=now,
    )
    session.add(refund)
    if amount >= invoice.amount:
        invoice.status = "refunded"
        session.add(invoice)
    session.flush()
    return _flushed_id(refund.id)


def cancel_subscription(session: Session, *, customer_id: str, at_period_end: bool) -> None:
    subscription = session.exec(
        select(Subscription).where(Subscription.customer_id == customer_id)
    ).first()
    if subscription is None:
        raise NotFoundError(f"customer {customer_id} has no subscription")
    if at_period_end:
        subscription.cancel_at_period_end = True
    else:
        subscription.status = "cancelled"
    session.add(subscription)


def reset_two_factor(session: Session, *, customer_id: str) -> None:
    customer = _customer(session, customer_id)
    customer.two_factor_enabled = False
    session.add(customer)


def lock_customer(session: Session, *, customer_id: str) -> None:
    customer = _customer(session, customer_id)
    customer.locked = True
    session.add(customer)


def erase_customer(session: Session, *, customer_id: str) -> None:
    """Right to erasure: personal fields are anonymised, login history (IPs) is deleted;
    invoices stay, as tax law requires, without personal data."""
    customer = _customer(session, customer_id)
    customer.name = f"erased customer {customer_id}"
    customer.contact_name = "erased"
    customer.email = f"erased+{customer_id.lower()}@invalid"
    customer.status = "cancelled"
    session.add(customer)
    for event in session.exec(select(LoginEvent).where(LoginEvent.customer_id == customer_id)):
        session.delete(event)
