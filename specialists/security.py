"""Security: collects sign-in evidence, proposes account locks and revoking a leaked API key;
a person always decides."""

from __future__ import annotations

from deskroute.prompts import TemplateSpec
from specialists.base import Reply, Specialist, Work
from specialists.text import key_hint, moment, words

COMPROMISE = words(
    "hack",
    "compromis",
    "breach",
    "unauthori[sz]ed",
    "didn'?t (log|sign)",
    "not me",
    "unknown (login|sign.?in|device|location)",
    "suspicious",
    "leak",
    "gehackt",
    "verdächtig",
    "piraté",
    "suspect",
    "hackead",
    "sospechos",
    "verdacht",
)

API_KEY = words(
    "api.?keys?",
    "api.?tokens?",
    "access.?tokens?",
    "secret.?keys?",
    "api.?schlüssel",
    "clés? (d'|de l')?api",
    "claves? de (la )?api",
    "api.?sleutels?",
)
EXPOSED = words(
    "leak",
    "expos",
    "commit",
    "pushed",
    "public",
    "pasted",
    "published",
    "github",
    "gitlab",
    "stolen",
    "compromis",
    "revoke",
    "öffentlich",
    "veröffentlich",
    "widerruf",
    "publi",
    "révoqu",
    "revoc",
    "revoqu",
    "openba",
    "intrek",
)
PHISHING = words(
    "phish",
    "fake (e-?mails?|log.?in|sites?|pages?)",
    "imitat",
    "pretend",
    "spoof",
    "hameçonn",
    "se hacen pasar",
    "suplant",
    "nep-?(mail|e-mail|site)",
    "(e-?mails?|messages?|mails?) (that |which )?(look|looks|looked|seem|seems) like",
    "suspicious (e-?mails?|messages?|links?)",
    "verdächtige[nr]? (e-?mails?|nachricht)",
    "e-?mails? suspect",
    "correos? sospechos",
    "verdachte (e-?mails?|berichten)",
)
SIGN_INS = words(
    "sign.?ins?",
    "signed in",
    "log.?ins?",
    "logged in",
    "password",
    "session",
    "anmeldung",
    "connexion",
    "inicios? de sesión",
    "aanmelding",
    "inlog",
)

TEMPLATES = {
    "evidence": TemplateSpec.of("foreign countries failed latest", required="foreign failed"),
    "no_evidence": TemplateSpec.of(""),
    "lock_proposed": TemplateSpec.of("countries"),
    "key_revocation_proposed": TemplateSpec.of("key_hint", required="key_hint"),
    "key_unidentified": TemplateSpec.of(""),
    "report_received": TemplateSpec.of(""),
    "phishing": TemplateSpec.of(""),
}


def handle(w: Work) -> Reply:
    if not w.customer.known:
        w.say("report_received")
        return w.reply()
    customer = w.call("get_customer").result or {}
    events = w.call("get_login_history", limit=20).result or []
    home = customer.get("country")
    foreign = [e for e in events if e["success"] and home and e["country"] != home]
    failed = sum(1 for e in events if not e["success"])
    countries = ", ".join(sorted({e["country"] for e in foreign}))
    if foreign or failed:
        latest = (
            f"{moment(foreign[0]['at'])} from {foreign[0]['country']} ({foreign[0]['ip']})"
            if foreign
            else "none"
        )
        w.say(
            "evidence",
            foreign=len(foreign),
            countries=countries or "none",
            failed=failed,
            latest=latest,
        )
    else:
        w.say("no_evidence")
    if PHISHING.search(w.ticket.text):
        w.say("phishing")
    key_leak = bool(API_KEY.search(w.ticket.text) and EXPOSED.search(w.ticket.text))
    if key_leak:
        _revoke_key(w)
    # A leaked key is revoked, not the account locked: only sign-ins point at the account.
    reported = COMPROMISE.search(w.ticket.text) and (not key_leak or SIGN_INS.search(w.ticket.text))
    if foreign or reported:
        evidence = (
            f"{len(foreign)} sign-ins from {countries}" if foreign else "reported by customer"
        )
        result = w.call(
            "lock_account", reason=f"suspected compromise ({evidence}); ticket {w.ticket.id}"
        )
        if result.status == "proposed" and result.target is None:
            w.say("lock_proposed", countries=countries)
    return w.reply()


def _revoke_key(w: Work) -> None:
    """Propose revoking the one key the ticket quotes part of; when it quotes none, the
    proposal asks a person to settle which (never every key of the account)."""
    hint = key_hint(w.ticket.text)
    result = w.call(
        "revoke_api_key", key_hint=hint, reason=f"exposed API key reported in ticket {w.ticket.id}"
    )
    if result.status != "proposed" or result.target is not None:
        return
    if hint is None:
        w.say("key_unidentified")
    else:
        w.say("key_revocation_proposed", key_hint=hint)


SPECIALIST = Specialist(name="security", templates=TEMPLATES, handle=handle)
