"""Structured answers: method fallback, one repair round, outages."""

from __future__ import annotations

import httpx
import openai
import pytest
from helpers import llm_runtime
from langchain_core.messages import HumanMessage
from pydantic import BaseModel, Field
from scripted import ScriptedChat, answer

from deskroute.llm.resilience import LLMUnavailable
from deskroute.llm.structured import ask

REQUEST = httpx.Request("POST", "http://127.0.0.1:1/v1/chat/completions")


class Pick(BaseModel):
    colour: str
    score: float = Field(ge=0, le=1)


def server_error() -> openai.InternalServerError:
    return openai.InternalServerError(
        "json_schema unsupported", body=None, response=httpx.Response(500, request=REQUEST)
    )


def test_falls_back_to_tool_calling_and_remembers_it() -> None:
    chat = ScriptedChat(
        script=[
            server_error(),
            answer(tool="Pick", args={"colour": "red", "score": 0.9}),
            answer(tool="Pick", args={"colour": "blue", "score": 0.5}),
        ]
    )
    llm = llm_runtime(chat)
    first = ask(llm, Pick, [HumanMessage("pick")])
    assert first.value == Pick(colour="red", score=0.9) and first.method == "function_calling"
    second = ask(llm, Pick, [HumanMessage("again")])
    assert second.value is not None and second.method == "function_calling"
    assert chat.methods == ["json_schema", "function_calling", "function_calling"]
    assert first.usage.calls == 1 and first.usage.input_tokens == 100


def test_invalid_answer_is_sent_back_once_with_the_errors() -> None:
    chat = ScriptedChat(
        script=[answer('{"colour": "red", "score": 7}'), answer('{"colour": "red", "score": 0.7}')]
    )
    llm = llm_runtime(chat)
    result = ask(llm, Pick, [HumanMessage("pick")])
    assert result.value == Pick(colour="red", score=0.7) and result.usage.calls == 2
    repair = chat.seen[1][-1].content
    assert "invalid" in repair and '"score": 7' in repair


def test_second_invalid_answer_is_reported_not_guessed() -> None:
    chat = ScriptedChat(script=[answer("not json"), answer('{"colour": 1}')])
    llm = llm_runtime(chat)
    result = ask(llm, Pick, [HumanMessage("pick")])
    assert result.value is None and result.errors and result.usage.calls == 2


def test_extra_validation_runs_too() -> None:
    chat = ScriptedChat(
        script=[
            answer('{"colour": "mauve", "score": 0.5}'),
            answer('{"colour": "mauve", "score": 0.5}'),
        ]
    )
    llm = llm_runtime(chat)
    result = ask(
        llm,
        Pick,
        [HumanMessage("pick")],
        validate=lambda p: [] if p.colour in ("red", "blue") else ["unknown colour"],
    )
    assert result.value is None and "unknown colour" in result.errors[0]


def test_json_mode_gets_the_schema_in_the_prompt() -> None:
    chat = ScriptedChat(
        script=[server_error(), server_error(), answer('{"colour": "red", "score": 0.1}')]
    )
    llm = llm_runtime(chat)
    result = ask(llm, Pick, [HumanMessage("pick")])
    assert result.method == "json_mode" and result.value is not None
    assert "JSON schema" in chat.seen[-1][0].content


def test_unreachable_server_is_unavailable_at_once() -> None:
    chat = ScriptedChat(script=[openai.APIConnectionError(request=REQUEST)])
    llm = llm_runtime(chat)
    with pytest.raises(LLMUnavailable):
        ask(llm, Pick, [HumanMessage("pick")])
    assert len(chat.seen) == 1


def test_every_method_failing_is_an_outage() -> None:
    chat = ScriptedChat(script=[server_error(), server_error(), server_error()])
    llm = llm_runtime(chat)
    with pytest.raises(LLMUnavailable, match="no structured-output method"):
        ask(llm, Pick, [HumanMessage("pick")])
    assert llm.methods.unsupported == set()  # an outage does not blacklist methods
