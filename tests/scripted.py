"""A scripted chat model for graph-logic tests: it replays the answers a test writes down
(messages or exceptions) and records what it was sent. Provider wiring is tested elsewhere
against cassettes recorded from a real server."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatResult
from langchain_core.runnables import Runnable, RunnableLambda
from pydantic import ValidationError


class ScriptedChat(BaseChatModel):
    script: list[Any]
    """AIMessages to return in order; an exception instance is raised instead."""
    seen: list[list[BaseMessage]] = []
    methods: list[str] = []
    tools: list[Any] = []

    @property
    def _llm_type(self) -> str:
        return "scripted"

    def _next(self, messages: Sequence[BaseMessage]) -> AIMessage:
        self.seen.append(list(messages))
        if not self.script:
            raise AssertionError("the script ran out: the code made more calls than expected")
        item = self.script.pop(0)
        if isinstance(item, BaseException):
            raise item
        return item

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        return ChatResult(generations=[ChatGeneration(message=self._next(messages))])

    def bind_tools(self, tools: Sequence[Any], **kwargs: Any) -> Runnable:  # type: ignore[override]
        self.tools = list(tools)
        return self

    def with_structured_output(
        self,
        schema: Any,
        *,
        method: str = "json_schema",  # type: ignore[override]
        include_raw: bool = False,
        **kwargs: Any,
    ) -> Runnable:
        def run(messages: Any) -> dict[str, Any]:
            self.methods.append(method)
            raw = self._next(messages if isinstance(messages, list) else messages.to_messages())
            try:
                data = raw.tool_calls[0]["args"] if raw.tool_calls else json.loads(str(raw.content))
                return {"raw": raw, "parsed": schema.model_validate(data), "parsing_error": None}
            except (ValidationError, ValueError, IndexError) as exc:
                return {"raw": raw, "parsed": None, "parsing_error": exc}

        return RunnableLambda(run)


def answer(
    content: str = "",
    *,
    tool: str | None = None,
    args: dict[str, Any] | None = None,
    input_tokens: int = 100,
    output_tokens: int = 20,
) -> AIMessage:
    """One scripted model turn: text, or a call of `tool` with `args`."""
    calls = (
        [{"name": tool, "args": args or {}, "id": f"call_{tool}", "type": "tool_call"}]
        if tool
        else []
    )
    return AIMessage(
        content=content,
        tool_calls=calls,
        usage_metadata={
            "input_tokens": input_tokens,
            "output_tokens": output_tokens,
            "total_tokens": input_tokens + output_tokens,
        },
    )
