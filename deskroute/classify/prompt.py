"""What the classifier prompt file (`prompts/classifier.yaml`) must provide."""

from __future__ import annotations

from deskroute.prompts import PromptSpec, TemplateSpec

PROMPT_SPEC = PromptSpec(
    instructions=TemplateSpec.of("company taxonomy candidates examples", required="taxonomy"),
    templates={"ticket": TemplateSpec.of("ticket", required="ticket")},
)
