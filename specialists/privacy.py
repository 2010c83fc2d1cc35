"""Data privacy: prepares erasure and export requests for the privacy officer's approval."""

from __future__ import annotations

import re

from deskroute.prompts import TemplateSpec
from specialists.base import Reply, Specialist, Work
from specialists.text import emails, words

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
    "supres",
    "effac",
    "verwijder",
)
EXPORT = words(
    "export (all )?(of )?(my|our) (personal )?data",
    "copy of (all )?(my|our|the) (personal )?data",
    "access request",
    "subject access",
    "right (of|to) access",
    "access (to )?(all )?(of )?(my|our|the) (personal )?data",
    "dsar",
    "article 15",
    "art\\.? 15",
    "portability",
    "auskunft",
    "kopie (meiner|unserer|der) (personenbezogenen )?daten",
    "what (personal )?data you (hold|have|store|keep)",
    "droit d'accès",
    "accès (à|a) (l'ensemble )?(de |des |toutes )?((mes|nos|les) )?données",
    "copie (de |des )?(toutes )?((mes|nos|les) )?données",
    "accéder (à|a) (toutes )?((mes|nos|les) )?données",
    "welche (personenbezogenen )?daten",
    "derecho de acceso",
    "acceso a (todos )?(mis|nuestros|los) datos",
    "copia de (todos )?(mis|nuestros|los) datos",
    "inzage",
    "kopie van (al )?(mijn|onze|de) (persoons)?gegevens",
)
# What the `information` reply answers: agreements, where data lives, how long it is kept.
INFORMATION = words(
    "dpa",
    "data processing agreement",
    "auftragsverarbeitung",
    "avv",
    "sub.?processors?",
    "sous-traitant",
    "subencargad",
    "residen",
    "hosted",
    "hosting",
    "stored",
    "located",
    "location",
    "region",
    "frankfurt",
    "transfer",
    "scc",
    "retention",
    "keep (our|my) data",
    "speicher",
    "hébergé",
    "alojad",
)

ONE_PERSON = words(
    "former (employee|colleague|staff member|team member|user)",
    "ex-?(employee|colleague)",
    "employee(?!s)",
    "colleague(?!s)",
    "team member(?!s)",
    "staff member(?!s)",
    "one of (our|my) (employees|colleagues|team members|staff|users)",
    "(has |have )?left (us|the company|our company|the team|our team)",
    "no longer (works|working|employed|with us)",
    "ehemalige[nrm]? (mitarbeiter|kolleg)",
    "mitarbeiter(in)?(?!n)",
    "ancien(ne)? (employé|salarié|collaborat|collègue)",
    "antiguo empleado|antigua empleada|ex.?emplead[oa]",
    "(oud|ex)-?(medewerker|collega)",
    "voormalige? (medewerker|collega)",
)
# The name after a role word or a title: "our former employee Jan Kowalski", "Mr Jonas Berg".
_NAMED = re.compile(
    r"(?:(?i:employee|colleague|team member|staff member|mitarbeiter(?:in|s)?|kolleg(?:e|in|en)|"
    r"employé|employée|salarié|salariée|collègue|empleado|empleada|medewerker|collega)\s*[,:]?|"
    r"\b(?:Mr|Mrs|Ms|Dr|Herr|Frau|Monsieur|Madame|Sr|Sra|Dhr|Mevr)\.?)\s+"
    r"(?P<name>[^\W\d_][\w'’-]*(?:\s+[^\W\d_][\w'’-]*){0,2})"
)

TEMPLATES = {
    "erasure_pending": TemplateSpec.of("customer", required="customer"),
    "erasure_person_pending": TemplateSpec.of("person customer", required="person customer"),
    "erasure_person_unclear": TemplateSpec.of("customer company", required="customer"),
    "export_pending": TemplateSpec.of("customer", required="customer"),
    "information": TemplateSpec.of("company"),
    "question_forwarded": TemplateSpec.of(""),
    "verify_identity": TemplateSpec.of(""),
}


def _named_person(w: Work) -> str | None:
    """Who the ticket names for erasure, other than its sender: the capitalised name after a
    role word or a title, and an e-mail address; None when it names nobody."""
    name = None
    # The subject and the body each on its own (a role word ending the subject is not followed
    # by a name at the start of the body), each with its wrapped lines joined.
    for part in (w.ticket.subject, w.ticket.body):
        if match := _NAMED.search(" ".join(part.split())):
            capitalised = []
            for word in match.group("name").split():
                if not word[0].isupper() or len(word) < 2:
                    break
                capitalised.append(word)
            name = " ".join(capitalised) or None
            break
    if name and set(name.split()) <= set((w.customer.contact_name or "").split()):
        name = None  # the sender's own name: their request, not someone else's
    address = next(
        iter(emails(w.ticket.text, besides=(w.customer.email, w.ticket.customer_email))), None
    )
    if name and address:
        return f"{name} ({address})"
    return name or address


def _erase(w: Work) -> None:
    """Erase what the ticket asks for: one person's data when it names a person other than the
    sender (or a former employee without saying who, for the reviewer to settle), the
    account's personal data only when that is what it asks for."""
    person = _named_person(w)
    if person is None and not ONE_PERSON.search(w.ticket.text):
        result = w.call("delete_customer_data", scope="all_personal_data")
        if result.status == "proposed" and result.target is None:
            w.say("erasure_pending", customer=w.customer.name)
        return
    result = w.call("delete_customer_data", scope="one_person", person=person)
    if result.status != "proposed" or result.target is not None:
        return
    if person is None:
        w.say("erasure_person_unclear", customer=w.customer.name)
    else:
        w.say("erasure_person_pending", person=person, customer=w.customer.name)


def handle(w: Work) -> Reply:
    text = w.ticket.text
    wants_erasure, wants_export = bool(ERASURE.search(text)), bool(EXPORT.search(text))
    if (wants_erasure or wants_export) and not w.customer.known:
        w.say("verify_identity")
        return w.reply()
    if wants_erasure:
        _erase(w)
    if wants_export:
        result = w.call("create_data_export")
        if result.status in ("proposed", "executed") and result.target is None:
            w.say("export_pending", customer=w.customer.name)
    if not (wants_erasure or wants_export):
        w.say("information" if INFORMATION.search(text) else "question_forwarded")
    return w.reply()


SPECIALIST = Specialist(name="privacy", templates=TEMPLATES, handle=handle)
