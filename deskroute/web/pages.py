"""Rendering: Jinja2 templates with autoescaping on for every template, and the headers every
review page carries."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from deskroute.review.sessions import ActiveSession
from deskroute.store.types import utcnow
from specialists.tools import TOOLS

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


def when(moment: datetime) -> str:
    """A moment as a reviewer reads it: `2026-12-01 14:05 UTC`."""
    return f"{moment.astimezone(UTC):%Y-%m-%d %H:%M} UTC"


def clock(moment: datetime) -> str:
    """The time of day of a moment that is soon, such as a soft lock's end: `14:05 UTC`."""
    return f"{moment.astimezone(UTC):%H:%M} UTC"


def percent(score: float | None) -> str:
    """A probability as a whole percentage; a tiny one does not read as zero."""
    if score is None:
        return "n/a"
    if 0 < score < 0.005:
        return "<1%"
    return f"{score:.0%}"


def shown(value: Any) -> str:
    """An argument or a result as a reviewer reads it: amounts with cents, yes or no."""
    if value is None:
        return "not set"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and round(value, 2) == value:
        return f"{value:,.2f}"
    return str(value)


def pairs(value: Any) -> str:
    """An action's result in one line: `invoice INV-2026-0118 · amount 116.00 · currency EUR`."""
    if isinstance(value, dict):
        return " · ".join(
            f"{words(str(k))} {shown(v)}" for k, v in value.items() if v not in (None, "")
        )
    return "" if value is None else str(value)


def bar(score: float | None) -> int:
    """A score as the width class of its bar: a multiple of 5 from 0 to 100."""
    return 0 if score is None else max(0, min(100, round(score * 20) * 5))


_CALL = re.compile(r"\b([a-z][a-z0-9]*(?:_[a-z0-9]+)+)\((?:[^()'\"]|'[^']*'|\"[^\"]*\")*\)")
_TOOL_NAME = re.compile(r"\b(" + "|".join(sorted(TOOLS, key=len, reverse=True)) + r")\b")


def detail(text: str) -> str:
    """A reason's detail in plain words: a tool call is named by its tool (the proposal shows
    its arguments), and tool names are words."""
    text = _CALL.sub(lambda m: m.group(1), text)
    return sentence(_TOOL_NAME.sub(lambda m: words(m.group(1)), text))


DONE = {
    "approve": "approved",
    "edit": "edited and approved",
    "reject": "rejected",
    "reassign": "reassigned",
    "reply": "answered by a person",
    "dismiss": "dismissed",
}


def done(action: str) -> str:
    """A decision, as what happened to the ticket: `reassign` -> `reassigned`."""
    return DONE.get(action, action)


def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        autoescape=True,  # every template, whatever its extension: customers' text is data
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        age=age,
        words=words,
        sentence=sentence,
        when=when,
        clock=clock,
        percent=percent,
        pairs=pairs,
        shown=shown,
        bar=bar,
        detail=detail,
        done=done,
    )
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
