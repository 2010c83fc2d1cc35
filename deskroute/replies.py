"""Replies assembled from prompt templates: a greeting, the body, a closing.

Specialists, holding replies and duplicate acknowledgements all speak this way, so the shape is
written once and every word comes from a prompt file, in the ticket's language where the file
has it (see `Prompt.render`), and in English with a note for the reviewer where it does not.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from deskroute.intake.language import language_name
from deskroute.policies.schema import Policies
from deskroute.prompts import BASE_LANGUAGE, Prompt

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
    dropped. A sender without a name on file gets the `greeting_unknown` template."""
    greeting = (
        prompt.render("greeting", language=language, contact_name=contact_name)
        if contact_name
        else prompt.render("greeting_unknown", language=language)
    )
    parts = [
        greeting.strip(),
        *body,
        prompt.render("closing", language=language, **closing).strip(),
    ]
    return "\n\n".join(p for p in parts if p)


def language_note(prompt: Prompt, language: str) -> str | None:
    """A remark for the reviewer when `prompt` has no templates in the ticket's language, so
    that its reply went out in English; None when it has them."""
    if prompt.speaks(language):
        return None
    name = language_name(language)
    return (
        f"the ticket is in {name} ({language}) and {prompt.path.name} has no {language} "
        f"templates: its reply is in {language_name(BASE_LANGUAGE)}"
    )
