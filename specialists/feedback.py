"""Feature requests: logs them for the product team and says what already exists."""

from __future__ import annotations

from deskroute.prompts import TemplateSpec
from specialists.base import Reply, Specialist, Work
from specialists.text import first_sentence

TEMPLATES = {
    "logged": TemplateSpec.of("summary", required="summary"),
    "related_issue": TemplateSpec.of("id title", required="id title"),
}


def handle(w: Work) -> Reply:
    summary = w.ticket.subject or first_sentence(w.ticket.body)
    result = w.call("log_feature_request", summary=summary)
    if result.ok:
        w.say("logged", summary=summary)
    related = w.call("search_known_issues", query=w.ticket.text).result or []
    if related:
        w.say("related_issue", id=related[0]["id"], title=related[0]["title"])
    return w.reply()


SPECIALIST = Specialist(name="feedback", templates=TEMPLATES, handle=handle)
