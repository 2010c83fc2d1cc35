"""A specialist with an LLM: a tool-calling loop limited to its allow-list.

The model sees only the specialist's own tools (schemas without privileged arguments: the
customer is injected by the gate) plus `hand_off` for "not mine". Every call goes through the
same policy gate as the embedded path, so sensitive tools become proposals whatever the model
says. The loop stops after `max_steps` model turns; the reply must only cite facts that tools
returned, and PII is redacted before it reaches a non-local provider.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from time import perf_counter
from typing import Any

from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage, ToolMessage

from deskroute.intake.language import language_name
from deskroute.llm.messages import for_server
from deskroute.llm.redact import Redactor
from deskroute.llm.runtime import LLMRuntime
from deskroute.llm.structured import Usage
from deskroute.models.classification import LLMCall, LLMOutcome
from deskroute.models.outcome import ReasonDetail
from specialists.base import NotMine, Reply, Work
from specialists.grounding import ungrounded
from specialists.registry import Loaded


def _tool_spec(name: str, description: str, parameters: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "function",
        "function": {"name": name, "description": description, "parameters": parameters},
    }


def _hand_off_spec(categories: list[str]) -> dict[str, Any]:
    return _tool_spec(
        "hand_off",
        "The ticket is not for you: name the category it belongs to.",
        {
            "type": "object",
            "properties": {
                "category": {"type": "string", "enum": categories},
                "reason": {"type": "string"},
            },
            "required": ["category", "reason"],
        },
    )


@dataclass(frozen=True)
class AgentOutcome:
    result: Reply | NotMine | None
    call: LLMCall
    reason: ReasonDetail | None = None
    """Why a person must take over (step limit, ungrounded reply)."""


def _restore(value: Any, redactor: Redactor) -> Any:
    if isinstance(value, str):
        return redactor.restore(value)
    if isinstance(value, dict):
        return {k: _restore(v, redactor) for k, v in value.items()}
    if isinstance(value, list):
        return [_restore(v, redactor) for v in value]
    return value


def system_prompt(loaded: Loaded, company: str) -> str:
    """The specialist's instructions followed by the shared guardrails."""
    return "\n".join((loaded.prompt.render_instructions(company=company), loaded.guardrails))


def run_agent(
    work: Work,
    loaded: Loaded,
    llm: LLMRuntime,
    *,
    categories: list[str],
    max_steps: int,
    company: str,
) -> AgentOutcome:
    """Raises `LLMUnavailable` when the provider cannot answer (the caller falls back)."""
    redactor = Redactor(enabled=llm.config.redact)
    tools = [
        _tool_spec(t.name, t.description, t.args.model_json_schema())
        for t in work.gate.visible_tools()
    ]
    model = llm.chat.bind_tools([*tools, _hand_off_spec(categories)])
    customer = work.customer
    who = (
        f"Customer: {customer.name} ({customer.tier} tier, {customer.plan} plan)"
        if customer.known
        else "Customer: not found in the CRM"
    )
    # the language goes with the ticket, so the system prompt stays the same for every ticket
    language = f"Language: {language_name(work.ticket.language)}"
    ticket = f"{who}\n{language}\nSubject: {work.ticket.subject}\n\n{work.ticket.body}"
    messages: list[BaseMessage] = [
        SystemMessage(system_prompt(loaded, company)),
        HumanMessage(redactor.redact(ticket)),
    ]
    usage = Usage()
    evidence: list[Any] = []
    name = f"{llm.config.label}+{loaded.prompt.version}"

    def call(outcome: LLMOutcome, detail: str | None = None) -> LLMCall:
        return LLMCall(
            role="specialist",
            model=name,
            outcome=outcome,
            method="tool_calling",
            calls=usage.calls,
            input_tokens=usage.input_tokens,
            output_tokens=usage.output_tokens,
            ms=round(usage.seconds * 1000, 1),
            detail=detail,
        )

    for _ in range(max_steps):
        started = perf_counter()
        reply: AIMessage = llm.resilient(lambda: model.invoke(for_server(llm.config, messages)))
        usage.add(reply, perf_counter() - started)
        messages.append(reply)
        if not reply.tool_calls:
            text = redactor.restore(str(reply.content)).strip()
            if not text:
                messages.append(HumanMessage("Write the reply to the customer now."))
                continue
            if missing := ungrounded(text, evidence):
                detail = f"the draft cites {', '.join(missing[:5])}, which no tool returned"
                return AgentOutcome(
                    Reply(text=text),
                    call("ungrounded", detail),
                    ReasonDetail(reason="low_confidence", detail=detail),
                )
            return AgentOutcome(Reply(text=text), call("replied"))
        for tool_call in reply.tool_calls:
            args = _restore(tool_call.get("args") or {}, redactor)
            if tool_call["name"] == "hand_off":
                return AgentOutcome(
                    NotMine(
                        category=str(args.get("category", "")),
                        reason=str(args.get("reason", ""))[:300],
                    ),
                    call("handed_off"),
                )
            result = work.gate.call(tool_call["name"], args)
            payload = json.dumps(
                {"status": result.status, "result": result.result, "note": result.reason},
                default=str,
            )
            evidence.append(payload)
            messages.append(
                ToolMessage(
                    content=redactor.redact(payload),
                    tool_call_id=tool_call["id"] or tool_call["name"],
                )
            )
    detail = f"{loaded.specialist.name} reached {max_steps} model turns without a reply"
    return AgentOutcome(
        None, call("step_limit", detail), ReasonDetail(reason="loop_detected", detail=detail)
    )
