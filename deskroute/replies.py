"""Replies assembled from prompt templates: a greeting, the body, a closing.

Specialists, holding replies and duplicate acknowledgements all speak this way, so the shape is
written once and every word comes from a prompt file.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from deskroute.policies.schema import Policies
from deskroute.prompts import Prompt

FALLBACK_TEAM = "Support"
"""The team named when a ticket has no category (triage, internal errors)."""


def team_name(policies: Policies, category: str | None) -> str:
    """The team a reply names for `category`; the fallback team without one."""
    if category and category in policies.taxonomy.categories:
        return policies.category(category).name
    return FALLBACK_TEAM


def compose(
    prompt: Prompt,
    *,
    language: str,
    contact_name: str | None,
    body: Iterable[str],
    closing: Mapping[str, object],
) -> str:
    """Greeting, body sections and closing in `language`, blank-line separated; empty sections
    dropped. An unknown sender is greeted as "there"."""
    parts = [
        prompt.render("greeting", language=language, contact_name=contact_name or "there").strip(),
        *body,
        prompt.render("closing", language=language, **closing).strip(),
    ]
    return "\n\n".join(p for p in parts if p)
