"""Typed answers from a model, on servers that support only some structured-output methods.

Methods are tried in the order a provider supports them (JSON schema, tool calling, JSON mode);
the first that works is remembered on the runtime (`LLMRuntime.methods`), and the outcome says
which was used.
An answer that does not validate is sent back once with the errors; a second failure is the
caller's to handle (the classifier turns it into an escalation, never a guess).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from time import perf_counter
from typing import Any, Generic, TypeVar

from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage
from pydantic import BaseModel

from deskroute.llm.errors import FailureKind
from deskroute.llm.messages import for_server
from deskroute.llm.resilience import (
    LLMRejected,
    LLMUnavailable,
    classify_failure,
    failure_kind,
    is_connection_failure,
)
from deskroute.llm.runtime import LLMRuntime, Method

METHODS: tuple[Method, ...] = ("json_schema", "function_calling", "json_mode")
M = TypeVar("M", bound=BaseModel)


@dataclass
class Usage:
    calls: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    seconds: float = 0.0

    def add(self, message: AIMessage | None, seconds: float) -> None:
        self.calls += 1
        self.seconds += seconds
        usage = getattr(message, "usage_metadata", None) or {}
        self.input_tokens += int(usage.get("input_tokens", 0))
        self.output_tokens += int(usage.get("output_tokens", 0))


@dataclass
class Structured(Generic[M]):
    value: M | None
    errors: list[str]
    method: Method | None
    usage: Usage = field(default_factory=Usage)


def _format_hint(schema: type[BaseModel]) -> str:
    return (
        "Reply with one JSON object only, no other text, matching this JSON schema:\n"
        + json.dumps(schema.model_json_schema())
    )


def _raw_text(message: AIMessage | None) -> str:
    if message is None:
        return ""
    if message.tool_calls:
        return json.dumps(message.tool_calls[0].get("args", {}))
    return str(message.content)


def _errors(result: dict[str, Any], validate: Callable[[Any], list[str]]) -> list[str]:
    if result.get("parsing_error") is not None or result.get("parsed") is None:
        return [f"not valid for the schema: {result.get('parsing_error') or 'no answer'}"]
    return validate(result["parsed"])


def ask(
    llm: LLMRuntime,
    schema: type[M],
    messages: Sequence[BaseMessage],
    validate: Callable[[M], list[str]] = lambda _value: [],
) -> Structured[M]:
    """Ask for a `schema` answer; raises `LLMUnavailable` when the provider cannot answer."""
    config, resilient, memory = llm.config, llm.resilient, llm.methods
    resilient.ensure_closed()
    usage = Usage()
    refused: list[Method] = []
    answers: list[tuple[FailureKind, str]] = []  # why each refused method failed
    order = sorted(METHODS, key=lambda m: (m != memory.working, METHODS.index(m)))
    for method in order:
        if method in memory.unsupported:
            continue
        runnable = llm.chat.with_structured_output(schema, method=method, include_raw=True)
        prompt = list(messages)
        if method == "json_mode":
            prompt = [SystemMessage(_format_hint(schema)), *prompt]

        def invoke(p: list[BaseMessage] = prompt, r: Any = runnable) -> dict[str, Any]:
            started = perf_counter()
            out = r.invoke(for_server(config, p))
            usage.add(out.get("raw"), perf_counter() - started)
            return out

        proven = memory.working == method
        try:
            result = resilient(invoke) if proven else invoke()
        except (LLMRejected, LLMUnavailable):
            raise
        except Exception as exc:  # noqa: BLE001 - a probe failure may only mean "unsupported"
            kind = classify_failure(exc)  # re-raises anything that is not a provider failure
            if kind in ("timeout", "malformed") or is_connection_failure(exc):
                resilient.breaker.record_failure()
                raise LLMUnavailable(
                    f"{kind}: {type(exc).__name__}: {exc}", kind=failure_kind(exc)
                ) from exc
            refused.append(method)  # the server answered with an error status: try the next
            answers.append((failure_kind(exc), f"{type(exc).__name__}: {exc}"))
            continue
        memory.working = method
        memory.unsupported.update(refused)
        errors = _errors(result, validate)
        if errors:
            repair = HumanMessage(
                f"Your previous answer was:\n{_raw_text(result.get('raw'))}\n"
                f"It is invalid: {'; '.join(errors)}\nAnswer again, following the schema exactly."
            )
            result = resilient(partial(invoke, [*prompt, repair]))
            errors = _errors(result, validate)
        return Structured(
            value=None if errors else result["parsed"], errors=errors, method=method, usage=usage
        )
    resilient.breaker.record_failure()
    # A server that fails every method alike (5xx, 429) is down or busy, not unsupporting.
    kinds = {kind for kind, _ in answers}
    same = kinds.pop() if len(kinds) == 1 else None
    last = f": {answers[-1][1]}"[:300] if answers else ""
    raise LLMUnavailable(
        f"no structured-output method worked with {config.label}{last}",
        kind=same if same in ("server_error", "rate_limited") else "no_method",
    )
