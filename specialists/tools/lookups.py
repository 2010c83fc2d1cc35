"""Read-only tools over the CRM; each only sees the sender's own records."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from pydantic import Field
from sqlmodel import Session

from deskroute.errors import ToolError
from deskroute.store import crm
from deskroute.store.tables import Invoice, KnownIssue, LoginEvent
from specialists.tools.base import Injected, NoArgs, Tool, ToolArgs

INVOICE_NUMBER = r"^[A-Za-z]{3}-\d{4}-\d{4}$"


def invoice_view(invoice: Invoice) -> dict[str, Any]:
    return invoice.model_dump(mode="json", exclude={"customer_id"})


def login_view(event: LoginEvent) -> dict[str, Any]:
    return event.model_dump(mode="json", exclude={"id", "customer_id"})


def issue_view(issue: KnownIssue) -> dict[str, Any]:
    return issue.model_dump(mode="json", exclude={"keywords"})


def _in_language(
    session: Session, env: Injected, kind: str, key: str, views: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """The views with their texts in the ticket's language, where the CRM has them."""
    if env.language == "en" or not views:
        return views
    found = crm.translations(
        session, kind=kind, item_ids=[v[key] for v in views], language=env.language
    )
    return [{**v, **found.get(v[key], {})} for v in views]


def _get_customer(session: Session, env: Injected, _args: NoArgs) -> dict[str, Any]:
    customer = crm.find_customer(session, customer_id=env.require_customer(), email=None)
    if customer is None:
        raise ToolError(f"customer {env.customer_id} not found")
    return customer.model_dump(mode="json", exclude={"two_factor_enabled"})


def _get_subscription(session: Session, env: Injected, _args: NoArgs) -> dict[str, Any] | None:
    sub = crm.get_subscription(session, customer_id=env.require_customer())
    return sub.model_dump(mode="json", exclude={"id", "customer_id"}) if sub else None


class ListInvoicesArgs(ToolArgs):
    limit: int = Field(default=5, ge=1, le=24, description="How many recent invoices.")


def _list_invoices(session: Session, env: Injected, args: ListInvoicesArgs) -> list[dict[str, Any]]:
    rows = crm.list_invoices(session, customer_id=env.require_customer(), limit=args.limit)
    return [invoice_view(i) for i in rows]


class InvoiceArgs(ToolArgs):
    number: str = Field(pattern=INVOICE_NUMBER, description="Invoice number, e.g. INV-2026-0142.")


def _get_invoice(session: Session, env: Injected, args: InvoiceArgs) -> dict[str, Any]:
    invoice = crm.get_invoice(session, customer_id=env.require_customer(), number=args.number)
    if invoice is None:
        raise ToolError(f"invoice {args.number.upper()} is not on this customer's account")
    return invoice_view(invoice)


class LoginHistoryArgs(ToolArgs):
    limit: int = Field(default=10, ge=1, le=50)


def _login_history(session: Session, env: Injected, args: LoginHistoryArgs) -> list[dict[str, Any]]:
    rows = crm.login_history(session, customer_id=env.require_customer(), limit=args.limit)
    return [login_view(e) for e in rows]


class SearchArgs(ToolArgs):
    query: str = Field(min_length=2, max_length=2000, description="Words describing the problem.")


RECENTLY_FIXED_DAYS = 30


class KnownIssueSearchArgs(SearchArgs):
    recently_fixed: bool = Field(
        default=False,
        description=f"Search the issues fixed in the last {RECENTLY_FIXED_DAYS} days instead "
        "of the open ones.",
    )


def _search_known_issues(
    session: Session, env: Injected, args: KnownIssueSearchArgs
) -> list[dict[str, Any]]:
    since = env.now - timedelta(days=RECENTLY_FIXED_DAYS) if args.recently_fixed else None
    found = crm.search_known_issues(session, text=args.query, fixed_since=since)
    return _in_language(session, env, "known_issue", "id", [issue_view(i) for i in found])


def _active_incidents(session: Session, env: Injected, _args: NoArgs) -> list[dict[str, Any]]:
    views = [issue_view(i) for i in crm.active_incidents(session)]
    return _in_language(session, env, "known_issue", "id", views)


class RecentTicketsArgs(ToolArgs):
    days: int = Field(default=30, ge=1, le=365)


def _recent_tickets(
    session: Session, env: Injected, args: RecentTicketsArgs
) -> list[dict[str, Any]]:
    rows = crm.sender_history(
        session,
        customer_id=env.customer_id,
        email=env.customer_email,
        since=env.now - timedelta(days=args.days),
        exclude_id=env.ticket_id,
        limit=20,
    )
    return [t.model_dump(mode="json") for t in rows]


def _plan_catalog(session: Session, env: Injected, _args: NoArgs) -> list[dict[str, Any]]:
    views = [p.model_dump(mode="json") for p in crm.plan_catalog(session)]
    return _in_language(session, env, "plan", "name", views)


def _help_articles(session: Session, env: Injected, args: SearchArgs) -> list[dict[str, Any]]:
    views = [
        a.model_dump(mode="json", exclude={"keywords"})
        for a in crm.search_help_articles(session, text=args.query)
    ]
    return _in_language(session, env, "help_article", "id", views)


LOOKUPS = [
    Tool(
        "get_customer",
        "The sender's customer record: name, tier, plan, status.",
        NoArgs,
        "lookup",
        _get_customer,
    ),
    Tool(
        "get_subscription",
        "The sender's subscription: plan, seats, amount, renewal.",
        NoArgs,
        "lookup",
        _get_subscription,
    ),
    Tool(
        "list_invoices",
        "The sender's most recent invoices, newest first.",
        ListInvoicesArgs,
        "lookup",
        _list_invoices,
    ),
    Tool(
        "get_invoice", "One invoice of the sender by number.", InvoiceArgs, "lookup", _get_invoice
    ),
    Tool(
        "get_login_history",
        "The sender's recent sign-in attempts, newest first.",
        LoginHistoryArgs,
        "lookup",
        _login_history,
    ),
    Tool(
        "search_known_issues",
        "Open known issues matching words from the ticket (or recently fixed ones).",
        KnownIssueSearchArgs,
        "lookup",
        _search_known_issues,
    ),
    Tool(
        "get_active_incidents",
        "Platform-wide incidents in progress.",
        NoArgs,
        "lookup",
        _active_incidents,
    ),
    Tool(
        "list_recent_tickets",
        "The sender's other recent tickets.",
        RecentTicketsArgs,
        "lookup",
        _recent_tickets,
    ),
    Tool(
        "get_plan_catalog",
        "Plans with per-seat prices and features.",
        NoArgs,
        "lookup",
        _plan_catalog,
    ),
    Tool(
        "search_help_articles",
        "Help-centre articles matching words from the ticket.",
        SearchArgs,
        "lookup",
        _help_articles,
    ),
]
