"""Chat models for the configured provider, and what `deskroute llm check` asks the server."""

from __future__ import annotations

from dataclasses import dataclass

import httpx
import ollama
import openai
from langchain_core.language_models import BaseChatModel
from langchain_ollama import ChatOllama
from langchain_openai import ChatOpenAI

from deskroute.llm.config import LLMConfig
from deskroute.llm.wire import answer_check


def chat_model(config: LLMConfig) -> BaseChatModel:
    """The LangChain chat model; retries are ours (see resilience.py), so the client's are off.
    Every answer is checked before the client reads it (see wire.py)."""
    hooks = {"response": [answer_check(config.provider)]}
    if config.provider == "ollama":
        return ChatOllama(
            model=config.model,
            base_url=config.base_url,
            temperature=0.0,
            num_predict=config.max_tokens,
            client_kwargs={"timeout": config.timeout_s, "event_hooks": hooks},
        )
    # The fields are set through their aliases, which pydantic's type-checker plugin misses.
    return ChatOpenAI(  # type: ignore[call-arg]
        model=config.model,
        base_url=config.base_url,
        api_key=config.api_key or "not-needed",
        timeout=config.timeout_s,
        max_retries=0,
        http_client=openai.DefaultHttpxClient(event_hooks=hooks),
        temperature=0.0,
        # llama.cpp and several OpenAI-compatible servers ignore max_completion_tokens.
        extra_body={"max_tokens": config.max_tokens},
    )


@dataclass(frozen=True)
class ServerCheck:
    reachable: bool
    models: list[str]
    detail: str


def check_server(config: LLMConfig) -> ServerCheck:
    """Ask the server which models it has (the ollama client's list for Ollama)."""
    try:
        if config.provider == "ollama":
            listed = ollama.Client(host=config.base_url, timeout=config.timeout_s).list()
            models = [m.model or "" for m in listed.models]
        else:
            headers = (
                {"Authorization": f"Bearer {config.api_key.get_secret_value()}"}
                if config.api_key
                else {}
            )
            response = httpx.get(
                f"{config.base_url}/models", headers=headers, timeout=config.timeout_s
            )
            response.raise_for_status()
            models = [m.get("id", "") for m in response.json().get("data", [])]
    except (httpx.HTTPError, ollama.ResponseError, ConnectionError, ValueError) as exc:
        return ServerCheck(reachable=False, models=[], detail=f"{type(exc).__name__}: {exc}")
    found = (
        "configured model is listed"
        if any(config.model in m for m in models)
        else ("configured model is NOT listed")
    )
    return ServerCheck(reachable=True, models=models, detail=found)
