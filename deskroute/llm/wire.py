"""What a usable chat answer looks like on the wire, checked before the client libraries read it.

A server (or a proxy in front of it) can answer 200 with bytes that are not UTF-8, an HTML
page, or JSON of another shape. The client libraries then fail deep inside, with errors that
look like bugs (TypeError, IndexError). Checking the body first turns each of these into
`UnusableAnswer`, a provider failure: the breaker counts it and the embedded path answers.
Only the fields LangChain reads are checked; others may be anything.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any, Literal, Protocol

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from deskroute.llm.config import Provider
from deskroute.llm.errors import UnusableAnswer


class _Wire(BaseModel):
    model_config = ConfigDict(strict=True)


class _Function(_Wire):
    name: str
    arguments: str


class _ToolCall(_Wire):
    function: _Function


class _Message(_Wire):
    role: Literal["assistant"]
    content: str | list[dict[str, Any]] | None = None
    tool_calls: list[_ToolCall] | None = None


class _Choice(_Wire):
    message: _Message


class _Usage(_Wire):
    prompt_tokens: int = 0
    completion_tokens: int = 0


class ChatCompletion(_Wire):
    """An OpenAI-compatible `POST /chat/completions` answer."""

    choices: list[_Choice] = Field(min_length=1)
    usage: _Usage | None = None


class _OllamaFunction(_Wire):
    name: str
    arguments: dict[str, Any]


class _OllamaToolCall(_Wire):
    function: _OllamaFunction


class _OllamaMessage(_Wire):
    role: str
    content: str | None = None
    tool_calls: list[_OllamaToolCall] | None = None


class OllamaChunk(_Wire):
    """One line of Ollama's `POST /api/chat` answer (newline-delimited JSON)."""

    message: _OllamaMessage


class OllamaError(_Wire):
    """An error line inside the stream: the ollama client raises it as a refusal."""

    error: str


class _URL(Protocol):
    @property
    def path(self) -> str: ...


class _Response(Protocol):
    """The part of an httpx response the check reads (the OpenAI SDK uses its own httpx)."""

    @property
    def is_success(self) -> bool: ...
    @property
    def url(self) -> _URL: ...
    @property
    def headers(self) -> Mapping[str, str]: ...
    @property
    def content(self) -> bytes: ...
    def read(self) -> bytes: ...


_CHAT: dict[Provider, tuple[str, bool, TypeAdapter[Any]]] = {
    "openai": ("/chat/completions", False, TypeAdapter(ChatCompletion)),
    "openai-compatible": ("/chat/completions", False, TypeAdapter(ChatCompletion)),
    "ollama": ("/api/chat", True, TypeAdapter(OllamaChunk | OllamaError)),
}


def problem(body: bytes, content_type: str, shape: TypeAdapter[Any], *, lines: bool) -> str | None:
    """Why `body` is no chat answer of `shape` (one per line when `lines`), or None."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        return f"the body is not UTF-8 text ({exc.reason} at byte {exc.start})"
    parts = [line for line in text.splitlines() if line.strip()] if lines else [text]
    if not any(part.strip() for part in parts):
        return "the body is empty"
    for part in parts:
        try:
            data = json.loads(part)
        except json.JSONDecodeError:
            return f"the body is not JSON ({content_type or 'no content type'}): {part[:80]!r}"
        try:
            shape.validate_python(data)
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(map(str, first["loc"])) or "the body"
            return f"the body is not a chat answer: {where}: {first['msg']}"
    return None


def answer_check(provider: Provider) -> Callable[[_Response], None]:
    """An httpx response hook that raises `UnusableAnswer` for a successful chat call whose
    body the client could not use (error statuses are left to the client)."""
    path, lines, shape = _CHAT[provider]

    def check(response: _Response) -> None:
        if not response.is_success or not response.url.path.endswith(path):
            return
        response.read()
        content_type = response.headers.get("content-type", "")
        if why := problem(response.content, content_type, shape, lines=lines):
            raise UnusableAnswer(f"unusable answer to {path}: {why}")

    return check
