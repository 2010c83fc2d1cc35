"""Read queries on the CRM tables, used by enrichment and by specialist tools."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from functools import lru_cache
from typing import Any, NamedTuple

from sqlalchemy import ColumnElement, bindparam, func, or_
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from deskroute.models.context import RecentTicket, Tier
from deskroute.policies.phrases import PhraseMatcher
from deskroute.store.senders import sender_tickets
from deskroute.store.tables import (
    ContentTranslation,
    Customer,
    HelpArticle,
    Invoice,
    KnownIssue,
    LoginEvent,
    Plan,
    Subscription,
    Ticket,
)


class CustomerRow(NamedTuple):
    """What enrichment reads of a customer: the CRM record and its subscription's status."""

    id: str
    name: str
    contact_name: str
    email: str
    tier: Tier
    plan: str
    account_value: int
    status: str
    language: str
    timezone: str
    subscription_status: str | None


_CONTEXT = sa_select(
    *(getattr(Customer, field) for field in CustomerRow._fields[:-1]),  # in CustomerRow's order
    col(Subscription.status).label("subscription_status"),
).outerjoin(Subscription, col(Subscription.customer_id) == col(Customer.id))
# Built once: on the per-ticket path, building a statement costs more than running it.
_CONTEXT_BY_ID = _CONTEXT.where(col(Customer.id) == bindparam("key"))
_CONTEXT_BY_EMAIL = _CONTEXT.where(col(Customer.email) == bindparam("key"))
_HISTORY = sender_tickets(
    [
        Ticket.id,
        Ticket.subject,
        func.substr(Ticket.body, 1, 80).label("snippet"),
        Ticket.status,
        Ticket.category,
        Ticket.created_at,
    ],
    [col(Ticket.id) != bindparam("exclude"), col(Ticket.created_at) >= bindparam("since")],
)
_CUSTOMER_BY_ID = select(Customer).where(Customer.id == bindparam("key"))
_CUSTOMER_BY_EMAIL = select(Customer).where(Customer.email == bindparam("key"))
_SUBSCRIPTION = select(Subscription).where(Subscription.customer_id == bindparam("customer"))
_INVOICES = (
    select(Invoice)
    .where(Invoice.customer_id == bindparam("customer"))
    .order_by(col(Invoice.issued_at).desc(), col(Invoice.number).desc())
    .limit(bindparam("limit"))
)
_INVOICE = select(Invoice).where(
    Invoice.number == bindparam("number"), Invoice.customer_id == bindparam("customer")
)
_LOGINS = (
    select(LoginEvent)
    .where(LoginEvent.customer_id == bindparam("customer"))
    .order_by(col(LoginEvent.at).desc())
    .limit(bindparam("limit"))
)
_UNRESOLVED = select(KnownIssue).where(KnownIssue.status != "resolved")
_INCIDENTS = _UNRESOLVED.where(col(KnownIssue.is_outage).is_(True)).order_by(
    col(KnownIssue.started_at).desc()
)
_ARTICLES = select(HelpArticle)
_PLANS = select(Plan).order_by(col(Plan.price_per_seat))


def customer_with_subscription(
    session: Session, *, customer_id: str | None, email: str | None
) -> CustomerRow | None:
    """The customer by id, else by contact e-mail, with their subscription, in one query (Core
    rows: loading ORM objects cost more than the query on this per-ticket path)."""
    if customer_id:
        query, key = _CONTEXT_BY_ID, customer_id
    elif email:
        query, key = _CONTEXT_BY_EMAIL, email.lower()
    else:
        return None
    row = session.connection().execute(query, {"key": key}).first()
    return CustomerRow(*row) if row else None


def customer_at_domain(session: Session, *, domain: str) -> CustomerRow | None:
    """The customer whose contact's e-mail is at this domain, with their subscription; None
    when no customer's is, or when several are (the domain does not say which)."""
    query = _CONTEXT.where(col(Customer.email).endswith(f"@{domain}", autoescape=True)).limit(2)
    rows = session.connection().execute(query).all()
    return CustomerRow(*rows[0]) if len(rows) == 1 else None


def find_customer(
    session: Session, *, customer_id: str | None, email: str | None
) -> Customer | None:
    """The customer by id, else by contact email (case-insensitive)."""
    if customer_id:
        return session.exec(_CUSTOMER_BY_ID, params={"key": customer_id}).first()
    if email:
        return session.exec(_CUSTOMER_BY_EMAIL, params={"key": email.lower()}).first()
    return None


def get_subscription(session: Session, *, customer_id: str) -> Subscription | None:
    return session.exec(_SUBSCRIPTION, params={"customer": customer_id}).first()


def list_invoices(session: Session, *, customer_id: str, limit: int) -> list[Invoice]:
    return list(session.exec(_INVOICES, params={"customer": customer_id, "limit": limit}))


def get_invoice(session: Session, *, customer_id: str, number: str) -> Invoice | None:
    """An invoice of this customer only: another customer's invoice is "not found"."""
    params = {"number": number.upper(), "customer": customer_id}
    return session.exec(_INVOICE, params=params).first()


def login_history(session: Session, *, customer_id: str, limit: int) -> list[LoginEvent]:
    return list(session.exec(_LOGINS, params={"customer": customer_id, "limit": limit}))


@lru_cache(maxsize=512)
def _keyword_matcher(keyword: str) -> PhraseMatcher:
    return PhraseMatcher.compile([keyword])


def _keyword_score(text: str, keywords: list[str]) -> int:
    """How many of the keywords the text uses, in any of their word forms ("e-mailed" uses
    "e-mail", "syncs" uses "sync"), as policy phrases match."""
    return sum(1 for k in keywords if _keyword_matcher(k).search(text) is not None)


def search_known_issues(
    session: Session, *, text: str, limit: int = 3, fixed_since: datetime | None = None
) -> list[KnownIssue]:
    """Open known issues whose keywords occur in the text, best match first; with
    `fixed_since`, resolved ones that started since then instead (a customer still seeing a
    fixed problem is told what the fix asks of them)."""
    query = (
        _UNRESOLVED
        if fixed_since is None
        else select(KnownIssue).where(
            KnownIssue.status == "resolved", col(KnownIssue.started_at) >= fixed_since
        )
    )
    issues = session.exec(query).all()
    scored = [(s, issue) for issue in issues if (s := _keyword_score(text, issue.keywords)) > 0]
    scored.sort(key=lambda pair: (-pair[0], pair[1].id))
    return [issue for _, issue in scored[:limit]]


def active_incidents(session: Session) -> list[KnownIssue]:
    return list(session.exec(_INCIDENTS))


def search_help_articles(session: Session, *, text: str, limit: int = 2) -> list[HelpArticle]:
    articles = session.exec(_ARTICLES).all()
    scored = [(s, a) for a in articles if (s := _keyword_score(text, a.keywords)) > 0]
    scored.sort(key=lambda pair: (-pair[0], pair[1].id))
    return [article for _, article in scored[:limit]]


def translations(
    session: Session, *, kind: str, item_ids: Sequence[str], language: str
) -> dict[str, dict[str, Any]]:
    """The translated texts of these items in a language, by item id (items without one are
    left out)."""
    if not item_ids:
        return {}
    rows = session.exec(
        select(ContentTranslation).where(
            ContentTranslation.kind == kind,
            ContentTranslation.language == language,
            col(ContentTranslation.item_id).in_(list(item_ids)),
        )
    )
    return {row.item_id: row.texts for row in rows}


def plan_catalog(session: Session) -> list[Plan]:
    return list(session.exec(_PLANS))


def sender_history(
    session: Session,
    *,
    customer_id: str | None,
    email: str | None,
    since: datetime,
    exclude_id: str,
    limit: int = 50,
) -> list[RecentTicket]:
    """The sender's other tickets since a time, newest first (subjects only, not bodies)."""
    if not (customer_id or email):
        return []
    rows = session.connection().execute(
        _HISTORY,
        {
            "customer": customer_id,
            "email": email,
            "exclude": exclude_id,
            "since": since,
            "limit": limit,
        },
    )
    return [
        RecentTicket(
            id=tid, subject=subject or snippet, status=status, category=category, created_at=created
        )
        for tid, subject, snippet, status, category, created in rows
    ]


def customers_named(
    session: Session, *, ids: Sequence[str], words: Sequence[str]
) -> list[tuple[str, str]]:
    """(id, name) of the customers with one of these ids, or whose name is one of these words
    or starts with one (the ticket's words that could name a customer)."""
    conditions: list[ColumnElement[bool]] = [col(Customer.id).in_(list(ids))] if ids else []
    for word in words:
        conditions += [col(Customer.name) == word, col(Customer.name).startswith(f"{word} ")]
    if not conditions:
        return []
    query = (
        sa_select(col(Customer.id), col(Customer.name))
        .where(or_(*conditions))
        .order_by(col(Customer.id))
    )
    return [(cid, name) for cid, name in session.connection().execute(query)]
