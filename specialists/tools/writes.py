"""Tools with side effects. Each validates now (`run` returns a preview) and takes effect
later through `apply`; sensitive ones only after a person approved them."""

from __future__ import annotations

from typing import Any, Literal, Self

from pydantic import Field, model_validator
from sqlmodel import Session

from deskroute.errors import ToolError
from deskroute.store import crm, effects
from specialists.tools.base import Injected, NoArgs, Tool, ToolArgs
from specialists.tools.credits import CREDIT
from specialists.tools.lookups import INVOICE_NUMBER


def _invoice(session: Session, env: Injected, number: str) -> Any:
    invoice = crm.get_invoice(session, customer_id=env.require_customer(), number=number)
    if invoice is None:
        raise ToolError(f"invoice {number.upper()} is not on this customer's account")
    return invoice


# --- safe writes -----------------------------------------------------------------------------


class InvoiceNumberArgs(ToolArgs):
    number: str = Field(pattern=INVOICE_NUMBER, description="Invoice number, e.g. INV-2026-0142.")


def _check_resend(session: Session, env: Injected, args: InvoiceNumberArgs) -> dict[str, Any]:
    invoice = _invoice(session, env, args.number)
    return {"invoice": invoice.number, "to": env.customer_email or "billing contact"}


def _apply_resend(session: Session, env: Injected, args: InvoiceNumberArgs) -> dict[str, Any]:
    effects.mark_invoice_sent(
        session, customer_id=env.require_customer(), number=args.number.upper(), now=env.now
    )
    return {"invoice": args.number.upper(), "sent_at": env.now.isoformat()}


def _check_password_reset(session: Session, env: Injected, _args: NoArgs) -> dict[str, Any]:
    customer = crm.find_customer(session, customer_id=env.require_customer(), email=None)
    if customer is None:
        raise ToolError("customer not found")
    return {"to": customer.email}


def _apply_password_reset(session: Session, env: Injected, _args: NoArgs) -> dict[str, Any]:
    expires = effects.add_password_reset(
        session, customer_id=env.require_customer(), ticket_id=env.ticket_id, now=env.now
    )
    return {"expires_at": expires.isoformat()}


class SummaryArgs(ToolArgs):
    summary: str = Field(min_length=3, max_length=1000)


def _check_feature(_session: Session, _env: Injected, args: SummaryArgs) -> dict[str, Any]:
    return {"summary": args.summary}


def _apply_feature(session: Session, env: Injected, args: SummaryArgs) -> dict[str, Any]:
    request_id = effects.add_feature_request(
        session,
        customer_id=env.customer_id,
        ticket_id=env.ticket_id,
        summary=args.summary,
        now=env.now,
    )
    return {"feature_request_id": request_id}


class LeadArgs(ToolArgs):
    interest: str = Field(min_length=3, max_length=1000, description="What the prospect wants.")


def _check_lead(_session: Session, env: Injected, args: LeadArgs) -> dict[str, Any]:
    if env.customer_id is None and env.customer_email is None:
        raise ToolError("a sales lead needs a customer or a reply e-mail address")
    return {"interest": args.interest}


def _apply_lead(session: Session, env: Injected, args: LeadArgs) -> dict[str, Any]:
    lead_id = effects.add_sales_lead(
        session,
        customer_id=env.customer_id,
        email=env.customer_email,
        ticket_id=env.ticket_id,
        interest=args.interest,
        now=env.now,
    )
    return {"lead_id": lead_id}


def _check_export(_session: Session, env: Injected, _args: NoArgs) -> dict[str, Any]:
    return {"customer": env.require_customer(), "delivered_to": "the account's verified e-mail"}


def _apply_export(session: Session, env: Injected, _args: NoArgs) -> dict[str, Any]:
    request_id = effects.add_data_request(
        session,
        customer_id=env.require_customer(),
        ticket_id=env.ticket_id,
        kind="export",
        now=env.now,
    )
    return {"data_request_id": request_id}


# --- sensitive writes: proposed for approval, never applied by the workflow ---------------


class RefundArgs(ToolArgs):
    invoice_number: str | None = Field(
        default=None,
        pattern=INVOICE_NUMBER,
        description="The invoice to refund; left out only when the ticket does not say and a "
        "person must settle it.",
    )
    amount: float | None = Field(
        default=None,
        gt=0,
        description="The amount to refund, in the invoice's currency. Left out: the whole "
        "invoice, unless `partial` is set.",
    )
    partial: bool = Field(
        default=False,
        description="The ticket asks for part of the invoice (a difference, a pro-rata share). "
        "Set it without an amount when the ticket and the data do not give the amount: a "
        "person then settles it, and the whole invoice is never refunded in its place.",
    )
    reason: str = Field(min_length=3, max_length=500)

    def filled(self, preview: Any) -> Self:
        if self.amount is None and not self.partial:
            return self.model_copy(update={"amount": preview["amount"]})
        return self

    def open_question(self) -> str | None:
        if self.invoice_number is None:
            return "the ticket does not say which invoice to refund: settle it before approving"
        if self.partial and self.amount is None:
            return (
                f"the ticket asks for part of invoice {self.invoice_number} without an amount "
                "that the ticket or the data settles: agree the amount with the customer before "
                "approving; it is not the whole invoice"
            )
        return None


def _refunded_invoice(session: Session, env: Injected, args: RefundArgs) -> Any:
    if args.invoice_number is None:
        raise ToolError("say which invoice to refund")
    return _invoice(session, env, args.invoice_number)


def _refund_amount(invoice: Any, args: RefundArgs) -> float | None:
    """The amount asked for; the invoice total for a full refund; None while a partial
    refund's amount is unsettled."""
    if args.amount is not None:
        return args.amount
    return None if args.partial else float(invoice.amount)


def _check_refund(session: Session, env: Injected, args: RefundArgs) -> dict[str, Any]:
    invoice = _refunded_invoice(session, env, args)
    if invoice.status == "refunded":
        raise ToolError(f"invoice {invoice.number} is already refunded")
    amount = _refund_amount(invoice, args)
    if amount is not None and amount > invoice.amount:
        raise ToolError(f"refund {amount:.2f} exceeds invoice total {invoice.amount:.2f}")
    return {"invoice": invoice.number, "amount": amount, "currency": invoice.currency}


def _apply_refund(session: Session, env: Injected, args: RefundArgs) -> dict[str, Any]:
    # Checked again on what the store holds now: two tickets may have proposed the same
    # refund, and the first one approved has refunded the invoice.
    _check_refund(session, env, args)
    invoice = _refunded_invoice(session, env, args)
    amount = _refund_amount(invoice, args)
    if amount is None:
        raise ToolError("a partial refund without an amount cannot be applied: settle it first")
    refund_id = effects.add_refund(
        session,
        customer_id=env.require_customer(),
        ticket_id=env.ticket_id,
        invoice_number=invoice.number,
        amount=amount,
        reason=args.reason,
        now=env.now,
    )
    return {"refund_id": refund_id, "amount": amount, "currency": invoice.currency}


class CancelArgs(ToolArgs):
    at_period_end: bool = Field(default=True, description="Cancel at renewal, not today.")
    reason: str = Field(min_length=3, max_length=500)


def _check_cancel(session: Session, env: Injected, args: CancelArgs) -> dict[str, Any]:
    sub = crm.get_subscription(session, customer_id=env.require_customer())
    if sub is None or sub.status == "cancelled":
        raise ToolError("there is no active subscription to cancel")
    effective = sub.renews_at if args.at_period_end else env.now
    return {"plan": sub.plan, "effective": effective.date().isoformat()}


def _apply_cancel(session: Session, env: Injected, args: CancelArgs) -> dict[str, Any]:
    effects.cancel_subscription(
        session, customer_id=env.require_customer(), at_period_end=args.at_period_end
    )
    return {"cancelled": True, "at_period_end": args.at_period_end}


def _check_customer(session: Session, env: Injected, _args: Any) -> dict[str, Any]:
    customer = crm.find_customer(session, customer_id=env.require_customer(), email=None)
    if customer is None:
        raise ToolError("customer not found")
    return {"customer": customer.id}


def _apply_reset_2fa(session: Session, env: Injected, _args: NoArgs) -> dict[str, Any]:
    effects.reset_two_factor(session, customer_id=env.require_customer())
    return {"two_factor": "reset"}


class ReasonArgs(ToolArgs):
    reason: str = Field(min_length=3, max_length=500)


def _apply_lock(session: Session, env: Injected, _args: ReasonArgs) -> dict[str, Any]:
    effects.lock_customer(session, customer_id=env.require_customer())
    return {"locked": True}


KEY_HINT = r"^(?:\.\.\.|…)?[A-Za-z0-9_-]{4,64}(?:(?:\.\.\.|…)[A-Za-z0-9_-]{0,64})?$"


class RevokeKeyArgs(ToolArgs):
    key_hint: str | None = Field(
        default=None,
        pattern=KEY_HINT,
        description="The part of the key the ticket quotes: its prefix then '…' "
        "(bl_live_7f3a…), or '…' then its last characters (…9QxZ). Left out when the ticket "
        "quotes none: a person settles which key, and no other key is revoked.",
    )
    reason: str = Field(min_length=3, max_length=500)

    def open_question(self) -> str | None:
        if self.key_hint is None:
            return (
                "the ticket does not quote the key (its prefix or last characters): settle "
                "which key with the customer before approving, not every key of the account"
            )
        return None


def _check_revoke(session: Session, env: Injected, args: RevokeKeyArgs) -> dict[str, Any]:
    return {**_check_customer(session, env, args), "key_hint": args.key_hint}


def _apply_revoke(session: Session, env: Injected, args: RevokeKeyArgs) -> dict[str, Any]:
    if args.key_hint is None:
        raise ToolError("say which API key to revoke: the request quotes no part of it")
    revocation_id = effects.add_key_revocation(
        session,
        customer_id=env.require_customer(),
        ticket_id=env.ticket_id,
        key_hint=args.key_hint,
        reason=args.reason,
        now=env.now,
    )
    return {"key_hint": args.key_hint, "revocation_id": revocation_id}


class DeletionArgs(ToolArgs):
    scope: Literal["all_personal_data", "one_person"] = Field(
        default="all_personal_data",
        description="all_personal_data: every personal datum of the sender's account (its "
        "contact, its sign-in history), when the sender asks for their own or the account's; "
        "one_person: only the person the ticket names, such as a former employee.",
    )
    person: str | None = Field(
        default=None,
        min_length=2,
        max_length=200,
        description="With one_person: the person as the ticket names them (e-mail address, "
        "name). Left out when the ticket does not say who: a person then settles it.",
    )

    @model_validator(mode="after")
    def _person_needs_one_person(self) -> Self:
        if self.person is not None and self.scope != "one_person":
            raise ValueError("person is only for scope one_person")
        return self

    def open_question(self) -> str | None:
        if self.scope == "one_person" and self.person is None:
            return (
                "the ticket asks to erase one person's data without saying whose: settle who "
                "with the customer before approving (not all of the account's personal data)"
            )
        return None


def _check_delete(session: Session, env: Injected, args: DeletionArgs) -> dict[str, Any]:
    preview = _check_customer(session, env, args)
    if args.scope == "one_person":
        return {**preview, "person": args.person}
    return preview


def _apply_delete(session: Session, env: Injected, args: DeletionArgs) -> dict[str, Any]:
    customer_id = env.require_customer()
    if args.scope == "one_person":
        if args.person is None:
            raise ToolError("say whose data to erase: the request names no person")
        erasure_id = effects.add_person_erasure(
            session,
            customer_id=customer_id,
            ticket_id=env.ticket_id,
            person=args.person,
            now=env.now,
        )
        return {"person": args.person, "person_erasure_id": erasure_id}
    effects.erase_customer(session, customer_id=customer_id)
    request_id = effects.add_data_request(
        session, customer_id=customer_id, ticket_id=env.ticket_id, kind="deletion", now=env.now
    )
    return {"erased": True, "data_request_id": request_id}


WRITES = [
    Tool(
        "resend_invoice",
        "E-mail a copy of one of the sender's invoices to them.",
        InvoiceNumberArgs,
        "write",
        _check_resend,
        apply=_apply_resend,
    ),
    CREDIT,
    Tool(
        "send_password_reset",
        "E-mail a password-reset link to the account's address.",
        NoArgs,
        "write",
        _check_password_reset,
        apply=_apply_password_reset,
    ),
    Tool(
        "log_feature_request",
        "Record a feature request for the product team.",
        SummaryArgs,
        "write",
        _check_feature,
        apply=_apply_feature,
        on_account=False,
    ),
    Tool(
        "create_sales_lead",
        "Hand a sales enquiry to an account executive.",
        LeadArgs,
        "write",
        _check_lead,
        apply=_apply_lead,
        on_account=False,
    ),
    Tool(
        "create_data_export",
        "Prepare an export of the sender's personal data.",
        NoArgs,
        "write",
        _check_export,
        apply=_apply_export,
    ),
    Tool(
        "issue_refund",
        "Refund all or part of one of the sender's invoices.",
        RefundArgs,
        "write",
        _check_refund,
        sensitive=True,
        apply=_apply_refund,
    ),
    Tool(
        "cancel_subscription",
        "Cancel the sender's subscription.",
        CancelArgs,
        "write",
        _check_cancel,
        sensitive=True,
        apply=_apply_cancel,
    ),
    Tool(
        "reset_2fa",
        "Remove two-factor authentication from the sender's account.",
        NoArgs,
        "write",
        _check_customer,
        sensitive=True,
        apply=_apply_reset_2fa,
    ),
    Tool(
        "lock_account",
        "Lock the sender's account against all sign-ins.",
        ReasonArgs,
        "write",
        _check_customer,
        sensitive=True,
        apply=_apply_lock,
    ),
    Tool(
        "revoke_api_key",
        "Revoke one API key of the sender's account, the one the ticket quotes part of.",
        RevokeKeyArgs,
        "write",
        _check_revoke,
        sensitive=True,
        apply=_apply_revoke,
    ),
    Tool(
        "delete_customer_data",
        "Erase personal data on the sender's account (right to erasure): one named person's, "
        "or all of it.",
        DeletionArgs,
        "write",
        _check_delete,
        sensitive=True,
        apply=_apply_delete,
    ),
]
