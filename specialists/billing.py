"""Billing: explains invoices and charges, resends invoices, grants small credits."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from deskroute.money import Ambiguous, Amount
from deskroute.prompts import TemplateSpec
from specialists.base import Reply, Specialist, Work
from specialists.text import asked_amount, bullets, day, invoice_numbers, money, words

WANTS_COPY = words(
    "resend",
    "re-send",
    "send (me |us )?(a |the )?(copy|invoice|receipt)",
    "copy of",
    "receipt",
    "download (the |my |our )?invoice",
    "pdf",
    # de, fr, es, nl: "noch einmal schicken", "renvoyer", "reenviar", "nogmaals sturen", a copy
    "(noch ?(ein)?mal|erneut) (zu)?(senden|schicken)",
    "(zu)?(senden|schicken) sie (mir|uns) .{0,40}(noch ?(ein)?mal|erneut)",
    "kopie",
    "renvo[yi]",
    "copie",
    "reenvi",
    "volver a enviar",
    "copia",
    "(nogmaals|opnieuw|nog een keer) .{0,30}(sturen|versturen|toesturen|mailen)",
)
WANTS_CREDIT = words("credit", "compensat", "goodwill", "discount for the", "gutschrift", "kulanz")
PAYMENT_METHOD = words(
    "payment method",
    "(update|change|replace|add) (the |our |my |a )?(new )?(credit )?card",
    "new (credit )?card",
    "card (was |got |is )?(declined|rejected|failed|expired)",
    "zahlungsmethode",
    "zahlungsart",
    "(neue|andere) (kredit)?karte",
    "moyen de paiement",
    "nouvelle carte",
    "método de pago",
    "(nueva|otra) tarjeta",
    "betaalmethode",
    "nieuwe (credit)?kaart",
)
OWED = words(
    "owe",
    "outstanding",
    "overdue",
    "unpaid",
    "how much",
    "schulde",
    "überfällig",
    "offene[nr]? (rechnung|betr)",
    "wie viel",
    "en retard",
    "impayé",
    "combien",
    "dois",
    "vencid",
    "debo",
    "debemos",
    "cuánto",
    "achterstallig",
    "openstaand",
    "hoeveel",
)
UNPAID = ("failed", "overdue", "open")
"""Invoice statuses still to be paid, the most urgent first."""
INVOICE_STATUSES = ("paid", "open", "overdue", "failed", "refunded")

TEMPLATES = {
    "invoice": TemplateSpec.of(
        "number amount status issued due description", required="number amount status"
    ),
    "invoice_not_found": TemplateSpec.of("number recent", required="number"),
    "overview": TemplateSpec.of("invoices", required="invoices"),
    "no_invoices": TemplateSpec.of(""),
    "resent": TemplateSpec.of("number email", required="number"),
    "credit_applied": TemplateSpec.of("amount", required="amount"),
    "credit_proposed": TemplateSpec.of("amount", required="amount"),
    "unknown_customer": TemplateSpec.of("company"),
    "invoice_line": TemplateSpec.of("number amount status issued", required="number amount"),
    "payment_method": TemplateSpec.of("number amount", required="number amount"),
    "unpaid": TemplateSpec.of("invoices total", required="invoices total"),
    "known_issue": TemplateSpec.of("id title workaround", required="id title"),
    **{f"status_{status}": TemplateSpec.of("") for status in INVOICE_STATUSES},
}


def _status(w: Work, status: str) -> str:
    return w.phrase(f"status_{status}") if status in INVOICE_STATUSES else status


def _line(w: Work, invoice: dict[str, Any]) -> str:
    return w.phrase(
        "invoice_line",
        number=invoice["number"],
        amount=money(invoice["amount"], invoice["currency"]),
        status=_status(w, invoice["status"]),
        issued=day(invoice["issued_at"]),
    )


def handle(w: Work) -> Reply:
    if not w.customer.known:
        w.say("unknown_customer")
        return w.reply()
    text = w.ticket.text
    found = []
    for number in invoice_numbers(text)[:3]:
        result = w.call("get_invoice", number=number)
        if result.ok:
            inv = result.result
            found.append(inv)
            w.say(
                "invoice",
                number=inv["number"],
                amount=money(inv["amount"], inv["currency"]),
                status=_status(w, inv["status"]),
                issued=day(inv["issued_at"]),
                due=day(inv["due_at"]),
                description=inv["description"],
            )
        else:
            recent = w.call("list_invoices", limit=3).result or []
            w.say("invoice_not_found", number=number, recent=bullets(_line(w, i) for i in recent))
    if not found and not invoice_numbers(text):
        recent = w.call("list_invoices", limit=3).result or []
        if recent:
            w.say("overview", invoices=bullets(_line(w, i) for i in recent))
            found = recent[:1]
        else:
            w.say("no_invoices")
    if found and WANTS_COPY.search(text):
        result = w.call("resend_invoice", number=found[0]["number"])
        if result.ok:
            w.say("resent", number=found[0]["number"], email=result.result["to"])
    if WANTS_CREDIT.search(text) and (asked := asked_amount(w.ticket)) is not None:
        _credit(w, asked)
    if PAYMENT_METHOD.search(text):
        _payment_method(w)
    if OWED.search(text):
        _unpaid(w)
    _known_issue(w)
    return w.reply()


def _payment_method(w: Work) -> None:
    """Where the card is replaced, and which invoice is then to pay."""
    invoices = w.call("list_invoices", limit=6).result or []
    unpaid = sorted(
        (i for i in invoices if i["status"] in UNPAID), key=lambda i: UNPAID.index(i["status"])
    )
    if unpaid:
        invoice = unpaid[0]
        w.say(
            "payment_method",
            number=invoice["number"],
            amount=money(invoice["amount"], invoice["currency"]),
        )


def _unpaid(w: Work) -> None:
    """What is still to pay, when the ticket asks (in each currency the invoices are in)."""
    invoices = w.call("list_invoices", limit=12).result or []
    unpaid = [i for i in invoices if i["status"] in ("failed", "overdue")] or [
        i for i in invoices if i["status"] == "open"
    ]
    currencies = {i["currency"] for i in unpaid}
    if len(currencies) != 1:
        return
    total = sum(Decimal(str(i["amount"])) for i in unpaid)
    w.say(
        "unpaid",
        invoices=", ".join(i["number"] for i in unpaid),
        total=money(float(total), currencies.pop()),
    )


def _known_issue(w: Work) -> None:
    """A known billing issue the ticket describes (a missing VAT ID), with what we do about it."""
    matches = w.call("search_known_issues", query=w.ticket.text).result or []
    if issue := next((m for m in matches if m["component"] == "billing"), None):
        w.say(
            "known_issue",
            id=issue["id"],
            title=issue["title"],
            workaround=issue["workaround"] or "",
        )


def _credit(w: Work, asked: Amount | Ambiguous) -> None:
    """Grant the credit the ticket asks for; an amount that cannot be read without doubt goes
    to a person with the ticket's own words, never a guess."""
    reason = f"goodwill credit requested in ticket {w.ticket.id}"
    if isinstance(asked, Ambiguous):
        unclear = f"{reason}; the amount is unclear: {asked.problem}"
        result = w.call("issue_credit", reason=unclear[:500])
        if result.status == "proposed" and result.target is None:
            w.say("credit_proposed", amount=asked.written)
        return
    amount = float(asked.value)
    result = w.call("issue_credit", amount=amount, reason=reason)
    if result.status == "executed":
        w.say("credit_applied", amount=money(amount, result.result["currency"]))
    elif result.status == "proposed" and result.target is None:
        w.say("credit_proposed", amount=money(amount, result.result["currency"]))


SPECIALIST = Specialist(name="billing", templates=TEMPLATES, handle=handle)
