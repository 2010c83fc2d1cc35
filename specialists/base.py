"""What a specialist is, and the workbench its embedded (no-LLM) handler uses.

A specialist is declared in a few lines: a name, the templates its prompt file must provide,
and a deterministic handler. The handler calls tools only through the gate and answers by
filling its prompt file's templates with what the tools returned, so every reply cites data.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field

from deskroute.models.context import CustomerContext
from deskroute.models.specialists import SpecialistName
from deskroute.models.ticket import TicketView
from deskroute.prompts import Prompt, PromptSpec, TemplateSpec
from deskroute.replies import compose
from specialists.gate import GateResult, ToolGate


class Reply(BaseModel):
    kind: Literal["reply"] = "reply"
    text: str


class NotMine(BaseModel):
    """The specialist hands the ticket back with the category it believes fits."""

    kind: Literal["not_mine"] = "not_mine"
    category: str
    reason: str


SpecialistResult = Annotated[Reply | NotMine, Field(discriminator="kind")]

COMMON_TEMPLATES = {
    "greeting": TemplateSpec.of("contact_name", required="contact_name"),
    "greeting_unknown": TemplateSpec.of(""),
    "closing": TemplateSpec.of("ticket_ref team company"),
    "other_account": TemplateSpec.of("named", required="named"),
}


@dataclass
class Work:
    """One specialist run: the ticket, who sent it, the gate, and the reply being written."""

    ticket: TicketView
    category: str
    customer: CustomerContext
    gate: ToolGate
    prompt: Prompt
    team: str
    company: str
    """The organisation's name (`company` in policies/routing.yaml), for `{company}`."""
    sections: list[str] = field(default_factory=list)
    told_other_account: bool = field(default=False, init=False, repr=False)

    def __post_init__(self) -> None:
        # The gate's rules read the ticket too (the amount it asks for); whoever built the
        # gate without it, the work it serves supplies it.
        if self.gate.ticket is None:
            self.gate.ticket = self.ticket

    def call(self, tool: str, **args: Any) -> GateResult:
        """Call a tool through the gate. A write the gate holds because the ticket names another
        customer is explained once, in the sender's own words (nothing from the CRM)."""
        result = self.gate.call(tool, args)
        if result.target is not None and not self.told_other_account:
            self.told_other_account = True
            named = ", ".join(dict.fromkeys(n.written for n in result.target.named))
            self.say("other_account", named=named)
        return result

    def say(self, template: str, **values: Any) -> None:
        """Add a section from a template; `{company}` is there for every template that may
        use it."""
        self.sections.append(self.phrase(template, **values))

    def phrase(self, template: str, **values: Any) -> str:
        """A template's text in the ticket's language, to fill into another template."""
        text = self.prompt.render(
            template, language=self.ticket.language, company=self.company, **values
        )
        return text.strip()

    def reply(self) -> Reply:
        return Reply(
            text=compose(
                self.prompt,
                language=self.ticket.language,
                contact_name=self.customer.contact_name if self.customer.known else None,
                body=self.sections,
                closing={"ticket_ref": self.ticket.id, "team": self.team, "company": self.company},
            )
        )


Handler = Callable[[Work], "Reply | NotMine"]


@dataclass(frozen=True)
class Specialist:
    name: SpecialistName
    templates: dict[str, TemplateSpec]
    handle: Handler

    @property
    def prompt_spec(self) -> PromptSpec:
        return PromptSpec(
            instructions=TemplateSpec.of("company"),
            templates={**COMMON_TEMPLATES, **self.templates},
        )
