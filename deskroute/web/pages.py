"""Rendering: Jinja2 templates with autoescaping on for every template, and the headers every
review page carries."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from deskroute.review.sessions import ActiveSession
from deskroute.store.types import utcnow

TEMPLATES_DIR = Path(__file__).parent / "templates"
STATIC_DIR = Path(__file__).parent / "static"

# Pages show customers' text and may be seen on shared screens: no framing, no caching, no
# content from elsewhere. Scripts may come only from this site (an optional enhancement).
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}


def age(created_at: datetime, now: datetime | None = None) -> str:
    """How long ago, in the largest whole unit a reviewer reads at a glance."""
    minutes = int(((now or utcnow()) - created_at).total_seconds() // 60)
    if minutes < 1:
        return "just now"
    if minutes < 60:
        return f"{minutes} min"
    if minutes < 48 * 60:
        return f"{minutes // 60} h"
    return f"{minutes // (24 * 60)} d"


def words(code: str) -> str:
    """`low_confidence` -> `low confidence`."""
    return code.replace("_", " ")


def sentence(text: str) -> str:
    """A message as a sentence: capital first letter, final full stop."""
    text = text.strip()
    if not text:
        return text
    text = text[0].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else f"{text}."


def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        autoescape=True,  # every template, whatever its extension: customers' text is data
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(age=age, words=words, sentence=sentence)
    return env


templates = Jinja2Templates(env=_environment())


def render(
    request: Request,
    template: str,
    /,
    *,
    session: ActiveSession | None,
    status: int = 200,
    headers: dict[str, str] | None = None,
    **context: Any,
) -> HTMLResponse:
    """A page; `session` is the signed-in reviewer (None on the sign-in and error pages)."""
    return templates.TemplateResponse(
        request,
        template,
        {"session": session, **context},
        status_code=status,
        headers={**SECURITY_HEADERS, **(headers or {})},
    )
