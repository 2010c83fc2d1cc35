from __future__ import annotations

from helpers import llm_runtime
from langchain_core.messages import AIMessage, HumanMessage, SystemMessage

from deskroute.llm.messages import for_server


def conversation():
    return [
        SystemMessage("You route tickets."),
        SystemMessage("Answer in JSON."),
        HumanMessage("My invoice is wrong."),
        AIMessage("Which invoice?"),
        HumanMessage("INV-1"),
    ]


def test_messages_pass_unchanged_where_the_server_takes_a_system_role() -> None:
    config = llm_runtime(None).config
    assert for_server(config, conversation()) == conversation()


def test_instructions_open_the_first_user_message_where_the_server_would_drop_them() -> None:
    config = llm_runtime(None, system_role=False).config
    folded = for_server(config, conversation())
    assert [type(m) for m in folded] == [HumanMessage, AIMessage, HumanMessage]
    assert folded[0].content == "You route tickets.\n\nAnswer in JSON.\n\nMy invoice is wrong."
    assert folded[2].content == "INV-1"
