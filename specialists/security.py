"""Security: collects sign-in evidence and proposes account locks; a person always decides."""

from __future__ import annotations

from deskroute.prompts import TemplateSpec
from specialists.base import Reply, Specialist, Work
from specialists.text import moment, words

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
)

TEMPLATES = {
    "evidence": TemplateSpec.of("foreign countries failed latest", required="foreign failed"),
    "no_evidence": TemplateSpec.of(""),
    "lock_proposed": TemplateSpec.of("countries"),
    "report_received": TemplateSpec.of(""),
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
    if foreign or COMPROMISE.search(w.ticket.text):
        evidence = (
            f"{len(foreign)} sign-ins from {countries}" if foreign else "reported by customer"
        )
        result = w.call(
            "lock_account", reason=f"suspected compromise ({evidence}); ticket {w.ticket.id}"
        )
        if result.status == "proposed" and result.target is None:
            w.say("lock_proposed", countries=countries)
    return w.reply()


SPECIALIST = Specialist(name="security", templates=TEMPLATES, handle=handle)
