"""The specialists of this installation, with their prompts and policies loaded and checked."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from deskroute.errors import ConfigError
from deskroute.policies.schema import Policies, SpecialistPolicy
from deskroute.prompts import Prompt, PromptSpec, TemplateSpec, load_prompt
from specialists import (
    account_access,
    billing,
    feedback,
    general,
    privacy,
    refunds,
    sales,
    security,
    technical,
)
from specialists.base import Specialist
from specialists.gate import approval_tools
from specialists.tools import TOOLS

GUARDRAILS_SPEC = PromptSpec(instructions=TemplateSpec.of("approval_tools", "approval_tools"))

SPECIALISTS: dict[str, Specialist] = {
    s.SPECIALIST.name: s.SPECIALIST
    for s in (
        billing,
        refunds,
        account_access,
        technical,
        security,
        privacy,
        feedback,
        sales,
        general,
    )
}


@dataclass(frozen=True)
class Loaded:
    """A specialist ready to run: code, prompt file (its version covers the guardrails too)
    and policy."""

    specialist: Specialist
    prompt: Prompt
    policy: SpecialistPolicy
    guardrails: str
    """`prompts/guardrails.yaml` filled in for this specialist's tools; its LLM agent gets them
    after the instructions."""


def load_specialists(
    policies: Policies, prompts_dir: Path, policies_dir: Path
) -> dict[str, Loaded]:
    """Check that policies and prompts agree with the code, naming the file and key if not."""
    file = str(policies_dir / "specialists.yaml")
    configured = policies.specialists.specialists
    for name in configured:
        if name not in SPECIALISTS:
            known = ", ".join(sorted(SPECIALISTS))
            raise ConfigError(
                f"no specialist called {name!r} exists (known: {known})",
                file=file,
                key=f"specialists.{name}",
            )
    guardrails = load_prompt(prompts_dir / "guardrails.yaml", GUARDRAILS_SPEC)
    loaded = {}
    for name, policy in configured.items():
        for i, tool in enumerate(policy.tools):
            if tool not in TOOLS:
                raise ConfigError(
                    f"unknown tool {tool!r}", file=file, key=f"specialists.{name}.tools[{i}]"
                )
        for i, tool in enumerate(policy.require_approval):
            if tool not in policy.tools:
                raise ConfigError(
                    f"{tool!r} is not in this specialist's tools",
                    file=file,
                    key=f"specialists.{name}.require_approval[{i}]",
                )
        specialist = SPECIALISTS[name]
        prompt = load_prompt(prompts_dir / f"{name}.yaml", specialist.prompt_spec)
        loaded[name] = Loaded(
            specialist=specialist,
            prompt=prompt.sent_with(guardrails),
            policy=policy,
            guardrails=guardrails.render_instructions(
                approval_tools=", ".join(approval_tools(policy)) or "none"
            ),
        )
    return loaded
