"""General questions: answers from the help centre."""

from __future__ import annotations

from deskroute.prompts import TemplateSpec
from specialists.base import Reply, Specialist, Work
from specialists.text import bullets

TEMPLATES = {
    "articles": TemplateSpec.of("articles", required="articles"),
    "no_article": TemplateSpec.of(""),
}


def handle(w: Work) -> Reply:
    articles = w.call("search_help_articles", query=w.ticket.text).result or []
    if articles:
        w.say(
            "articles",
            articles=bullets(f"{a['title']}: {a['url']}\n  {a['summary']}" for a in articles),
        )
    else:
        w.say("no_article")
    return w.reply()


SPECIALIST = Specialist(name="general", templates=TEMPLATES, handle=handle)
