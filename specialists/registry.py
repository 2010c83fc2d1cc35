"""The specialists of this installation, with their prompts and policies loaded and checked."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlmodel import Session

from deskroute.errors import ConfigError
from deskroute.models.context import CustomerContext
from deskroute.models.specialists import SPECIALIST_NAMES, SpecialistName
from deskroute.models.ticket import TicketView
from deskroute.policies.schema import Policies, SpecialistPolicy
from deskroute.prompts import Prompt, PromptSpec, TemplateSpec, load_prompt
from deskroute.replies import team_name
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
from specialists.base import Specialist, Work
from specialists.gate import ToolGate, approval_tools
from specialists.tools import TOOLS, Injected

GUARDRAILS_SPEC = PromptSpec(instructions=TemplateSpec.of("approval_tools", "approval_tools"))

SPECIALISTS: dict[SpecialistName, Specialist] = {
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
if tuple(SPECIALISTS) != SPECIALIST_NAMES:  # a handler added or dropped without the roster
    raise ImportError(
        f"specialist handlers {sorted(SPECIALISTS)} do not match the roster "
        f"{sorted(SPECIALIST_NAMES)} in deskroute/models/specialists.py"
    )


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

    @property
    def proposes_sensitive(self) -> bool:
        """Whether any of this specialist's tools needs a person's approval."""
        return bool(self.policy.require_approval) or any(
            TOOLS[name].sensitive for name in self.policy.tools
        )

    def start(
        self,
        *,
        ticket: TicketView,
        category: str,
        customer: CustomerContext,
        session: Session,
        policies: Policies,
        now: datetime,
    ) -> Work:
        """A run of this specialist on a ticket: its tools behind its gate, for the sender's
        own account only."""
        env = Injected.for_ticket(ticket, customer, now=now)
        return Work(
            ticket=ticket,
            category=category,
            customer=customer,
            gate=ToolGate(self.specialist.name, self.policy, session, env),
            prompt=self.prompt,
            team=team_name(policies, category),
            company=policies.routing.company,
        )


def load_specialists(
    policies: Policies, prompts_dir: Path, policies_dir: Path
) -> dict[SpecialistName, Loaded]:
    """Check that policies and prompts agree with the code, naming the file and key if not.
    (The policy schema already holds `specialists.yaml` to the roster.)"""
    file = str(policies_dir / "specialists.yaml")
    configured = policies.specialists.specialists
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
