"""Messages as the configured server can take them."""

from __future__ import annotations

from collections.abc import Sequence

from langchain_core.messages import BaseMessage, HumanMessage, SystemMessage

from deskroute.llm.config import LLMConfig


def for_server(config: LLMConfig, messages: Sequence[BaseMessage]) -> list[BaseMessage]:
    """Fold system messages into the first user message for servers that would drop them
    (`DESKROUTE_LLM_SYSTEM_ROLE=false`); otherwise the messages as they are."""
    if config.system_role:
        return list(messages)
    system = "\n\n".join(str(m.content) for m in messages if isinstance(m, SystemMessage))
    rest = [m for m in messages if not isinstance(m, SystemMessage)]
    if not system:
        return rest
    for i, message in enumerate(rest):
        if isinstance(message, HumanMessage):
            rest[i] = HumanMessage(f"{system}\n\n{message.content}")
            return rest
    return [HumanMessage(system), *rest]
