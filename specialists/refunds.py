"""Refunds & cancellations: prepares them for approval; never carries them out itself."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from deskroute.prompts import TemplateSpec
from specialists.base import Reply, Specialist, Work
from specialists.text import day, invoice_numbers, money, words

WANTS_CANCEL = words(
    "cancel",
    "terminat",
    "stop (the |our |my )?(auto.?)?renew",
    "end (our|my) (subscription|contract)",
    "close (our|my) account",
    "kündig",
    "résili",
    "cancelar",
)
WANTS_REFUND = words(
    "refund",
    "money back",
    "reimburs",
    "charged twice",
    "double charge",
    "duplicate charge",
    "charged two",
    "rückerstatt",
    "rembours",
    "reembols",
)
DUPLICATE_WINDOW_DAYS = 2

TEMPLATES = {
    "refund_pending": TemplateSpec.of("number amount issued", required="number amount"),
    "refund_not_possible": TemplateSpec.of("number problem", required="problem"),
    "duplicate_found": TemplateSpec.of("number other amount", required="number other"),
    "cancellation_pending": TemplateSpec.of("plan effective seats", required="plan effective"),
    "cancellation_not_possible": TemplateSpec.of("problem", required="problem"),
    "clarify": TemplateSpec.of("invoices"),
    "unknown_customer": TemplateSpec.of("company"),
}


def _duplicate(invoices: list[dict[str, Any]]) -> tuple[dict[str, Any], dict[str, Any]] | None:
    """The later of two same-amount invoices issued within a couple of days, if any."""
    for i, newer in enumerate(invoices):
        for older in invoices[i + 1 :]:
            gap = (
                datetime.fromisoformat(newer["issued_at"])
                - datetime.fromisoformat(older["issued_at"])
            ).days
            if newer["amount"] == older["amount"] and abs(gap) <= DUPLICATE_WINDOW_DAYS:
                return newer, older
    return None


def _refund(w: Work) -> None:
    if w.gate.other_customer is not None:
        # Not the sender's invoices: propose what the ticket names, for the customer it names.
        numbers = invoice_numbers(w.ticket.text)
        w.call(
            "issue_refund",
            invoice_number=numbers[0] if numbers else None,
            reason=f"requested in ticket {w.ticket.id}",
        )
        return
    invoices = w.call("list_invoices", limit=6).result or []
    target: dict[str, Any] | None = None
    if numbers := invoice_numbers(w.ticket.text):
        lookup = w.call("get_invoice", number=numbers[0])
        if not lookup.ok:
            w.say("refund_not_possible", number=numbers[0], problem=lookup.reason)
            return
        target = lookup.result
    elif pair := _duplicate(invoices):
        target, other = pair
        w.say(
            "duplicate_found",
            number=target["number"],
            other=other["number"],
            amount=money(target["amount"], target["currency"]),
        )
    else:
        target = next((i for i in invoices if i["status"] == "paid"), None)
    if target is None:
        w.say("clarify", invoices="")
        return
    result = w.call(
        "issue_refund", invoice_number=target["number"], reason=f"requested in ticket {w.ticket.id}"
    )
    if result.status == "proposed":
        w.say(
            "refund_pending",
            number=target["number"],
            amount=money(result.result["amount"], result.result["currency"]),
            issued=day(target["issued_at"]),
        )
    else:
        w.say("refund_not_possible", number=target["number"], problem=result.reason)


def _cancel(w: Work) -> None:
    reason = f"requested in ticket {w.ticket.id}"
    if w.gate.other_customer is not None:
        # Not the sender's subscription: proposed for the customer the ticket names.
        w.call("cancel_subscription", at_period_end=True, reason=reason)
        return
    subscription = w.call("get_subscription").result
    result = w.call("cancel_subscription", at_period_end=True, reason=reason)
    if result.status == "proposed":
        w.say(
            "cancellation_pending",
            plan=result.result["plan"],
            effective=result.result["effective"],
            seats=subscription["seats"] if subscription else "",
        )
    else:
        w.say("cancellation_not_possible", problem=result.reason)


def handle(w: Work) -> Reply:
    if not w.customer.known:
        w.say("unknown_customer")
        return w.reply()
    text = w.ticket.text
    wants_refund, wants_cancel = bool(WANTS_REFUND.search(text)), bool(WANTS_CANCEL.search(text))
    if wants_refund:
        _refund(w)
    if wants_cancel:
        _cancel(w)
    if not (wants_refund or wants_cancel):
        w.say("clarify", invoices="")
    return w.reply()


SPECIALIST = Specialist(name="refunds", templates=TEMPLATES, handle=handle)
