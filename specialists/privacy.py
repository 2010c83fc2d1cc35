"""Data privacy: prepares erasure and export requests for the privacy officer's approval."""

from __future__ import annotations

from deskroute.prompts import TemplateSpec
from specialists.base import Reply, Specialist, Work
from specialists.text import words

ERASURE = words(
    "delet",
    "erase",
    "erasure",
    "forget",
    "forgotten",
    "remove (all )?(my|our) (personal )?data",
    "löschen",
    "lösch",
    "supprim",
    "borrar",
    "eliminar",
)
EXPORT = words(
    "export (all )?(of )?(my|our) (personal )?data",
    "copy of (all )?(my|our) (personal )?data",
    "access request",
    "subject access",
    "dsar",
    "article 15",
    "art\\.? 15",
    "portability",
    "auskunft",
    "what data you (hold|have|store)",
)

TEMPLATES = {
    "erasure_pending": TemplateSpec.of("customer", required="customer"),
    "export_pending": TemplateSpec.of("customer", required="customer"),
    "information": TemplateSpec.of("company"),
    "verify_identity": TemplateSpec.of(""),
}


def handle(w: Work) -> Reply:
    text = w.ticket.text
    wants_erasure, wants_export = bool(ERASURE.search(text)), bool(EXPORT.search(text))
    if (wants_erasure or wants_export) and not w.customer.known:
        w.say("verify_identity")
        return w.reply()
    if wants_erasure:
        result = w.call("delete_customer_data")
        if result.status == "proposed" and result.target is None:
            w.say("erasure_pending", customer=w.customer.name)
    if wants_export:
        result = w.call("create_data_export")
        if result.status in ("proposed", "executed") and result.target is None:
            w.say("export_pending", customer=w.customer.name)
    if not (wants_erasure or wants_export):
        w.say("information")
    return w.reply()


SPECIALIST = Specialist(name="privacy", templates=TEMPLATES, handle=handle)
