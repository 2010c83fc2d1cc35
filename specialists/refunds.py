"""Refunds & cancellations: prepares them for approval; never carries them out itself."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from deskroute.money import Ambiguous, Amount
from deskroute.prompts import TemplateSpec
from specialists.base import Reply, Specialist, Work
from specialists.text import asked_amount, day, invoice_numbers, money, sentence_at, words

WANTS_CANCEL = words(
    "cancel",
    "terminat",
    "stop (the |our |my )?(auto.?)?renew",
    "end (our|my) (subscription|contract)",
    "close (our|my) account",
    "kündig",
    "résili",
    "annuler",
    "cancelar",
    "dar de baja",
    "opzeg",
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
    "erstatt",
    "(zweimal|doppelt) (abgebucht|belastet)",
    "rembours",
    "débité deux fois",
    "reembols",
    "devol",
    "cobrado dos veces",
    "terugbetal",
    "terugstort",
    "geld terug",
    "dubbel afgeschreven",
)
# Asks whether a refund happened, not for one: answered from the invoices, nothing proposed.
REFUND_STATUS = words(
    "(was|been|were|got) refunded",
    "refund status",
    "status of (the |my |our )?refund",
    "(wurde|ist|wurden) .{0,30}erstattet",
    "(été|bien) rembours",
    "(sido|fue) reembolsad",
    "(is|zijn) .{0,20}(terugbetaald|teruggestort)",
)
PARTIAL = words(
    "difference",
    "partial",
    "part of",
    "pro.?rata",
    "prorat",
    "unused",
    "overcharg",
    "too much",
    "differenz",
    "teilweise",
    "anteilig",
    "différence",
    "partiel",
    "diferencia",
    "parcial",
    "verschil",
    "gedeeltelijk",
)
PERIODS = words("annual", "quarterly", "monthly")
DUPLICATE_WINDOW_DAYS = 2

TEMPLATES = {
    "refund_pending": TemplateSpec.of("number amount issued", required="number amount"),
    "partial_refund_pending": TemplateSpec.of("number total issued", required="number total"),
    "refund_not_possible": TemplateSpec.of("number problem", required="problem"),
    "refund_done": TemplateSpec.of("number amount issued", required="number amount"),
    "refund_none": TemplateSpec.of(""),
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


@dataclass(frozen=True)
class _Portion:
    """How much of an invoice the ticket asks back."""

    amount: float | None
    """None: part of the invoice, of an amount a person settles."""
    partial: bool
    note: str | None = None
    """Why the amount is left open, for the reviewer."""


def _portion(w: Work, invoice: dict[str, Any]) -> _Portion:
    """The amount the ticket asks for; the whole invoice when it asks for no part of it; an
    open amount, never the whole invoice, when it asks for a part it does not quantify."""
    asked = asked_amount(w.ticket)
    if isinstance(asked, Amount) and asked.currency == invoice["currency"]:
        value = float(asked.value)
        return _Portion(value, partial=value < invoice["amount"])
    if isinstance(asked, Ambiguous):
        return _Portion(None, True, f"the ticket's amount is unclear: {asked.problem}")
    if isinstance(asked, Amount):
        return _Portion(
            None,
            True,
            f"the ticket asks for {asked}, invoice {invoice['number']} is in {invoice['currency']}",
        )
    if part := PARTIAL.search(w.ticket.text):
        quoted = sentence_at(w.ticket.text, part.start())
        return _Portion(None, True, f"the ticket asks for part of the invoice: {quoted!r}")
    return _Portion(float(invoice["amount"]), partial=False)


def _for_period(w: Work, invoices: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The latest paid invoice for a billing period the ticket names ("annual"), if any."""
    named = {m.lower() for m in PERIODS.findall(w.ticket.text)}
    for invoice in invoices:
        periods = {m.lower() for m in PERIODS.findall(invoice["description"])}
        if invoice["status"] == "paid" and named & periods:
            return invoice
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
        target = _for_period(w, invoices) or next(
            (i for i in invoices if i["status"] == "paid"), None
        )
    if target is None:
        w.say("clarify", invoices="")
        return
    portion = _portion(w, target)
    reason = f"requested in ticket {w.ticket.id}"
    result = w.call(
        "issue_refund",
        invoice_number=target["number"],
        amount=portion.amount,
        partial=portion.partial,
        reason=f"{reason}; {portion.note}"[:500] if portion.note else reason,
    )
    if result.status != "proposed":
        w.say("refund_not_possible", number=target["number"], problem=result.reason)
    elif result.result["amount"] is None:
        w.say(
            "partial_refund_pending",
            number=target["number"],
            total=money(target["amount"], target["currency"]),
            issued=day(target["issued_at"]),
        )
    else:
        w.say(
            "refund_pending",
            number=target["number"],
            amount=money(result.result["amount"], result.result["currency"]),
            issued=day(target["issued_at"]),
        )


def _refund_status(w: Work) -> None:
    """Say which of the customer's invoices were refunded (the ticket asks, it does not
    request one)."""
    invoices = w.call("list_invoices", limit=6).result or []
    refunded = [i for i in invoices if i["status"] == "refunded"]
    for invoice in refunded[:2]:
        w.say(
            "refund_done",
            number=invoice["number"],
            amount=money(invoice["amount"], invoice["currency"]),
            issued=day(invoice["issued_at"]),
        )
    if not refunded:
        w.say("refund_none")


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
    if REFUND_STATUS.search(text):
        _refund_status(w)
        return w.reply()
    wants_refund, wants_cancel = bool(WANTS_REFUND.search(text)), bool(WANTS_CANCEL.search(text))
    if wants_refund:
        _refund(w)
    if wants_cancel:
        _cancel(w)
    if not (wants_refund or wants_cancel):
        w.say("clarify", invoices="")
    return w.reply()


SPECIALIST = Specialist(name="refunds", templates=TEMPLATES, handle=handle)
