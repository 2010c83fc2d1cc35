"""Billing: explains invoices and charges, resends invoices, grants small credits."""

from __future__ import annotations

from deskroute.money import Ambiguous, Amount
from deskroute.prompts import TemplateSpec
from specialists.base import Reply, Specialist, Work
from specialists.text import asked_amount, bullets, day, invoice_line, invoice_numbers, money, words

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
}


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
                status=inv["status"],
                issued=day(inv["issued_at"]),
                due=day(inv["due_at"]),
                description=inv["description"],
            )
        else:
            recent = w.call("list_invoices", limit=3).result or []
            w.say(
                "invoice_not_found", number=number, recent=bullets(invoice_line(i) for i in recent)
            )
    if not found and not invoice_numbers(text):
        recent = w.call("list_invoices", limit=3).result or []
        if recent:
            w.say("overview", invoices=bullets(invoice_line(i) for i in recent))
            found = recent[:1]
        else:
            w.say("no_invoices")
    if found and WANTS_COPY.search(text):
        result = w.call("resend_invoice", number=found[0]["number"])
        if result.ok:
            w.say("resent", number=found[0]["number"], email=result.result["to"])
    if WANTS_CREDIT.search(text) and (asked := asked_amount(w.ticket)) is not None:
        _credit(w, asked)
    return w.reply()


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
