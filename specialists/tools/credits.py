"""Goodwill credits: the one tool that moves money without a person, within two bounds.

A credit runs on its own only when it is at most the specialist's `credit_limit`, when the
credits granted to the customer in the `credit_cap` period, this one included, stay within
the cap, and when it is the amount the ticket asks for, read without doubt. Anything else is a
proposal for a person. The cap is checked twice: by the gate, against the store and this run's
earlier credits, and again where the credit is written, in the outcome's transaction, with
the customer's credits locked, so that two tickets applied at once cannot both pass it.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

from pydantic import Field
from sqlmodel import Session

from deskroute.errors import ToolError
from deskroute.money import Ambiguous
from deskroute.store import crm, effects
from specialists.text import asked_amount
from specialists.tools.base import Check, Injected, Tool, ToolArgs

CENT = Decimal("0.01")


class CreditArgs(ToolArgs):
    amount: float | None = Field(
        default=None,
        gt=0,
        le=100_000,
        description="Credit amount in the account currency. Leave it out when the ticket does "
        "not say clearly how much: a person then settles it.",
    )
    reason: str = Field(min_length=3, max_length=500)


def _cents(amount: float) -> Decimal:
    return Decimal(str(amount)).quantize(CENT)


def account_currency(session: Session, env: Injected) -> str:
    sub = crm.get_subscription(session, customer_id=env.require_customer())
    return sub.currency if sub else "EUR"


def _check_credit(session: Session, env: Injected, args: CreditArgs) -> dict[str, Any]:
    currency = account_currency(session, env)
    if args.amount is None:
        return {"amount": None, "currency": currency}
    return {"amount": round(args.amount, 2), "currency": currency}


def _apply_credit(session: Session, env: Injected, args: CreditArgs) -> dict[str, Any]:
    if args.amount is None:
        raise ToolError("a credit without an amount cannot be applied: settle the amount first")
    currency = account_currency(session, env)
    credit_id = effects.add_credit(
        session,
        customer_id=env.require_customer(),
        ticket_id=env.ticket_id,
        amount=round(args.amount, 2),
        currency=currency,
        reason=args.reason,
        now=env.now,
    )
    return {"credit_id": credit_id, "amount": round(args.amount, 2), "currency": currency}


def _over_cap(amount: Decimal, check: Check) -> str | None:
    """Why this credit would take the customer past the credit cap, or None."""
    cap = check.policy.credit_cap
    if cap is None:
        return "no credit_cap is set for this specialist, so every credit waits for approval"
    customer_id = check.env.require_customer()
    if check.applying:
        effects.hold_credits(check.session, customer_id=customer_id)
    currency = account_currency(check.session, check.env)
    ceiling = cap.amounts.get(currency)
    if ceiling is None:
        return f"the credit cap sets no amount for {currency} accounts"
    so_far = effects.credit_total(
        check.session,
        customer_id=customer_id,
        currency=currency,
        since=check.env.now - timedelta(days=cap.period_days),
    ) + sum((_cents(a.amount) for a in check.earlier if a.amount is not None), Decimal(0))
    if so_far + amount <= ceiling:
        return None
    return (
        f"a credit of {amount:,.2f} {currency} would exceed the credit cap of "
        f"{ceiling:,.2f} {currency} per {cap.period_days} days: "
        f"{so_far:,.2f} {currency} already credited in that period"
    )


def _credit_needs_approval(args: CreditArgs, check: Check) -> str | None:
    if args.amount is None:
        return "the credit has no amount: a person must settle it with the customer"
    limit = check.policy.credit_limit or 0.0
    if args.amount > limit:
        return f"credit of {args.amount:.2f} exceeds the policy limit of {limit:.2f}"
    if check.ticket is not None:
        asked = asked_amount(check.ticket)
        if isinstance(asked, Ambiguous):
            return f"the ticket's amount is unclear: {asked.problem}"
        if asked is not None and asked.value != _cents(args.amount):
            return f"a credit of {args.amount:.2f} is not the {asked} the ticket asks for"
    return _over_cap(_cents(args.amount), check)


def _credit_limit(args: CreditArgs, check: Check) -> str | None:
    return _over_cap(_cents(args.amount), check) if args.amount is not None else None


CREDIT = Tool(
    "issue_credit",
    "Grant a goodwill credit on the sender's account.",
    CreditArgs,
    "write",
    _check_credit,
    apply=_apply_credit,
    approval_rule=_credit_needs_approval,
    limit=_credit_limit,
)
