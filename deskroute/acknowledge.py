"""What the sender of a repeated message is told: which open ticket it joined, and who has it."""

from __future__ import annotations

from deskroute.policies.schema import Policies
from deskroute.prompts import Prompt, PromptSpec, TemplateSpec
from deskroute.replies import compose, team_name

PROMPT_SPEC = PromptSpec(
    instructions=TemplateSpec.of("company"),
    templates={
        "greeting": TemplateSpec.of("contact_name", required="contact_name"),
        "greeting_unknown": TemplateSpec.of(""),
        "duplicate": TemplateSpec.of("original_ref team", required="original_ref"),
        "closing": TemplateSpec.of("original_ref company"),
    },
)
"""What `prompts/intake.yaml` must provide."""


def repeat_acknowledgement(
    prompt: Prompt,
    *,
    policies: Policies,
    original_ref: str,
    category: str | None,
    contact_name: str | None,
    language: str,
) -> str:
    body = prompt.render(
        "duplicate",
        language=language,
        original_ref=original_ref,
        team=team_name(policies, category),
    )
    return compose(
        prompt,
        language=language,
        contact_name=contact_name,
        body=[body.strip()],
        closing={"original_ref": original_ref, "company": policies.routing.company},
    )
