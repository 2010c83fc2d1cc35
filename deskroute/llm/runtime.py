"""The configured LLM, ready to call: one chat model and one breaker per process."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from deskroute.llm.config import LLMConfig, llm_config
from deskroute.settings import Settings

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

    from deskroute.llm.resilience import Resilient


@dataclass
class LLMRuntime:
    config: LLMConfig
    chat: BaseChatModel
    resilient: Resilient


def open_llm(settings: Settings) -> LLMRuntime | None:
    """None when `DESKROUTE_LLM=none` (the embedded default)."""
    config = llm_config(settings)
    if config is None:
        return None
    from deskroute.llm.provider import breaker_for, chat_model  # provider clients, only now
    from deskroute.llm.resilience import Resilient

    return LLMRuntime(
        config=config,
        chat=chat_model(config),
        resilient=Resilient(breaker=breaker_for(config), retries=config.max_retries),
    )
