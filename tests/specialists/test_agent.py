"""Specialists as tool-calling agents: allow-lists, injected arguments, approvals, limits,
grounding and redaction, all enforced in code whatever the (scripted) model does."""

from __future__ import annotations

from pathlib import Path

import httpx
import openai
import pytest
from helpers import copy_tree, edit_yaml, llm_runtime, with_llm
from scripted import ScriptedChat, answer

from deskroute.runtime import open_workspace
from deskroute.service import route_new
from deskroute.settings import Settings

REQUEST = httpx.Request("POST", "http://127.0.0.1:1/v1/chat/completions")


@pytest.fixture
def route_with(workspace):
    def run(script: list, body: str, redact: bool = False, **sender: str):
        chat = ScriptedChat(script=script)
        # the local model classifies; only the specialist uses the LLM
        ws = with_llm(workspace, llm_runtime(chat, redact=redact), classifier=False)
        return route_new(ws, {"body": body, **sender})[1], chat

    return run


HAPPY = "Happy to help: open the dashboard and use its Share menu to invite your colleague."


def test_model_sees_only_its_allow_list_plus_hand_off(route_with, workspace) -> None:
    record, chat = route_with([answer(HAPPY)], "How do I share a dashboard?", customer_id="C-1002")
    names = [t["function"]["name"] for t in chat.tools]
    assert names == [*workspace.deps.specialists["general"].policy.tools, "hand_off"]
    for tool in chat.tools:
        assert "customer_id" not in tool["function"]["parameters"].get("properties", {})
    assert record.llm[0].outcome == "replied" and record.response == HAPPY


def test_forbidden_tools_and_injected_arguments_are_rejected(route_with) -> None:
    record, _ = route_with(
        [
            answer(tool="issue_refund", args={"invoice_number": "INV-2026-0101", "reason": "x"}),
            answer(tool="list_invoices", args={"customer_id": "C-1005"}),
            answer(tool="list_invoices", args={"limit": 1}),
            answer("Your latest invoice is listed in your account."),
        ],
        "Please send me a copy of my latest invoice",
        customer_id="C-1001",
    )
    statuses = [(a.tool, a.status) for a in record.actions]
    assert statuses == [
        ("issue_refund", "rejected"),
        ("list_invoices", "rejected"),
        ("list_invoices", "executed"),
    ]
    assert "not allowed" in record.actions[0].reason and "customer_id" in record.actions[1].reason


def test_sensitive_tool_becomes_a_proposal_whatever_the_model_says(route_with) -> None:
    record, _ = route_with(
        [
            answer(
                tool="issue_refund",
                args={"invoice_number": "INV-2026-0118", "reason": "approved already, just do it"},
            ),
            answer("Done! Your refund of 116.00 EUR has been processed."),
        ],
        "Refund the duplicate charge INV-2026-0118 now",
        customer_id="C-1005",
    )
    assert record.escalated and "sensitive_action" in record.escalation_reasons
    assert [a.status for a in record.actions if a.tool == "issue_refund"] == ["proposed"]
    assert record.escalation is not None and "processed" in (record.escalation.draft_reply or "")
    assert "processed" not in (record.response or "")  # the customer gets the holding reply


def test_step_limit_escalates(route_with, workspace) -> None:
    steps = workspace.policies.specialists.max_tool_steps
    record, chat = route_with(
        [answer(tool="search_help_articles", args={"query": "x"})] * steps,
        "How do I share a dashboard?",
        customer_id="C-1002",
    )
    assert len(chat.seen) == steps
    assert record.escalation_reasons == ["loop_detected"]
    assert record.llm[0].outcome == "step_limit"


def test_hand_off(route_with) -> None:
    record, _ = route_with(
        [
            answer(tool="hand_off", args={"category": "sales", "reason": "asks for a quote"}),
            answer("Our plans are listed below."),
        ],
        "How do I share a dashboard with my team?",
        customer_id="C-1002",
    )
    assert record.handoffs[0].to_category == "sales" and record.specialist == "sales"


def test_reply_citing_facts_no_tool_returned_goes_to_a_person(route_with) -> None:
    record, _ = route_with(
        [
            answer(tool="list_invoices", args={"limit": 1}),
            answer("Invoice INV-2026-9999 for 12,345.00 EUR is overdue."),
        ],
        "What do I owe?",
        customer_id="C-1001",
    )
    assert record.escalated and "low_confidence" in record.escalation_reasons
    assert record.llm[0].outcome == "ungrounded" and "INV-2026-9999" in record.llm[0].detail


def test_pii_is_redacted_before_the_model_and_restored_after(route_with) -> None:
    record, chat = route_with(
        [answer("We will call you at <PHONE_1>.")],
        "How do I share a dashboard? Call me on +49 40 1234567 or mail me at jo@private.example",
        redact=True,
        customer_id="C-1002",
    )
    sent = "\n".join(str(m.content) for m in chat.seen[0])
    assert "1234567" not in sent and "jo@private.example" not in sent
    assert "<PHONE_1>" in sent and "<EMAIL_1>" in sent
    assert record.response == "We will call you at +49 40 1234567."


def test_provider_down_falls_back_to_the_embedded_reply(route_with) -> None:
    record, _ = route_with(
        [
            answer(tool="resend_invoice", args={"number": "INV-2026-0101"}),
            openai.APIConnectionError(request=REQUEST),
            openai.APIConnectionError(request=REQUEST),
            openai.APIConnectionError(request=REQUEST),
        ],
        "Please resend invoice INV-2026-0101",
        customer_id="C-1001",
    )
    resends = [a.status for a in record.actions if a.tool == "resend_invoice"]
    assert resends == ["rejected", "executed"]  # the LLM's attempt discarded, the handler's kept
    assert "embedded reply" in record.notes[0] and "INV-2026-0101" in (record.response or "")


def system_prompt(chat: ScriptedChat) -> str:
    return str(chat.seen[0][0].content)


def test_guardrails_name_the_tools_a_person_must_approve(route_with) -> None:
    _, refunds = route_with(
        [answer("A colleague will look at your refund.")],
        "I want my money back for invoice INV-2026-0118, please cancel my subscription",
        customer_id="C-1004",
    )
    _, general = route_with([answer(HAPPY)], "How do I share a dashboard?", customer_id="C-1002")
    assert "they are done: issue_refund, cancel_subscription." in system_prompt(refunds)
    assert "they are done: none." in system_prompt(general)
    for chat in (refunds, general):  # the shared rules follow the specialist's instructions
        assert "\n\nRules for every answer:\n" in system_prompt(chat)


def route_in(settings: Settings, tmp_path: Path, script: list, body: str, **sender: str):
    """Route one ticket through the LLM agent with the (edited) copies under `tmp_path`."""
    ws = open_workspace(
        settings.model_copy(
            update={"prompts_dir": tmp_path / "prompts", "policies_dir": tmp_path / "policies"}
        )
    )
    chat = ScriptedChat(script=script)
    ws = with_llm(ws, llm_runtime(chat), classifier=False)
    return route_new(ws, {"body": body, **sender})[1], chat


def test_the_approval_list_follows_the_policy(settings, tmp_path: Path) -> None:
    policies = copy_tree("policies", tmp_path)
    copy_tree("prompts", tmp_path)
    edit_yaml(
        policies / "specialists.yaml",
        lambda d: d["specialists"]["general"].update(require_approval=["search_help_articles"]),
    )
    _, chat = route_in(
        settings, tmp_path, [answer("Happy to help.")], "How do I share a dashboard?"
    )
    assert "they are done: search_help_articles." in system_prompt(chat)


def test_editing_the_guardrails_changes_the_recorded_prompt_version(
    settings, tmp_path: Path
) -> None:
    copy_tree("policies", tmp_path)
    prompts = copy_tree("prompts", tmp_path)
    ask = "How do I share a dashboard?"
    before, _ = route_in(settings, tmp_path, [answer(HAPPY)], ask, customer_id="C-1002")
    guardrails = prompts / "guardrails.yaml"
    text = guardrails.read_text(encoding="utf-8")
    assert text.endswith("without calling a tool.\n")  # `instructions` is the last block
    guardrails.write_text(text + "  - Never promise a date.\n", encoding="utf-8")
    # another sender, so the second ticket is not a duplicate of the first
    after, chat = route_in(settings, tmp_path, [answer(HAPPY)], ask, customer_id="C-1003")
    assert "- Never promise a date." in system_prompt(chat)
    assert before.prompt_version and before.prompt_version.startswith("general@v2+")
    assert after.prompt_version and after.prompt_version.startswith("general@v2+")
    assert before.prompt_version != after.prompt_version
    assert before.llm[0].model != after.llm[0].model  # the model label carries it too


def test_the_model_is_told_the_ticket_language(route_with) -> None:
    reply = (
        "Hallo Jonas, Sie können ein Dashboard über das Menü Teilen mit Ihren Kolleginnen und "
        "Kollegen teilen."
    )
    record, chat = route_with(
        [answer(reply)],
        "Wie kann ich ein Dashboard mit meinen Kollegen teilen? Vielen Dank im Voraus.",
        customer_id="C-1005",
    )
    ticket = str(chat.seen[0][1].content)
    assert "\nLanguage: German\n" in ticket
    assert 'the language named on the ticket\'s "Language:" line' in system_prompt(chat)
    assert record.language == "de" and record.response == reply and not record.escalated
