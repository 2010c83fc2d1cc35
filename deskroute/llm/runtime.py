"""The configured LLM, ready to call, with the state its callers share.

A runtime holds one chat model, its circuit breaker (inside `resilient`) and the
structured-output methods learnt from the server. A workspace opens one and hands it to the
classifier and the specialists; a test builds a fresh one instead of resetting anything.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from deskroute.llm.config import LLMConfig, llm_config
from deskroute.settings import Settings

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

    from deskroute.llm.resilience import Resilient

Method = Literal["json_schema", "function_calling", "json_mode"]


@dataclass
class MethodMemory:
    """Which structured-output method the server answered with, and which it refused (only
    learnt from a working answer: an outage blacklists nothing)."""

    working: Method | None = None
    unsupported: set[Method] = field(default_factory=set)


@dataclass
class LLMRuntime:
    config: LLMConfig
    chat: BaseChatModel
    resilient: Resilient
    methods: MethodMemory = field(default_factory=MethodMemory)


def open_llm(settings: Settings) -> LLMRuntime | None:
    """None when `DESKROUTE_LLM=none` (the embedded default)."""
    config = llm_config(settings)
    if config is None:
        return None
    from deskroute.llm.provider import chat_model  # provider clients, only now
    from deskroute.llm.resilience import CircuitBreaker, Resilient

    breaker = CircuitBreaker(config.breaker_failures, config.breaker_cooldown_s)
    return LLMRuntime(
        config=config,
        chat=chat_model(config),
        resilient=Resilient(breaker=breaker, retries=config.max_retries),
    )
