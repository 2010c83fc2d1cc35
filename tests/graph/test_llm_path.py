"""The LLM path through the whole graph, with a scripted chat model: when the LLM is asked,
what it may decide, and what happens when it fails."""

from __future__ import annotations

import httpx
import openai
from helpers import llm_runtime, with_llm
from scripted import ScriptedChat, answer

from deskroute.intake.prepare import prepare_ticket
from deskroute.models.ticket import TicketIn
from deskroute.service import route_new

REQUEST = httpx.Request("POST", "http://127.0.0.1:1/v1/chat/completions")
VAGUE = "Can you help me with the thing from yesterday?"


def verdict(category: str, confidence: float = 0.9, secondary: list[str] | None = None):
    return answer(
        tool="TicketCategory",
        args={
            "category": category,
            "confidence": confidence,
            "secondary": secondary or [],
            "rationale": "because",
        },
    )


def local_candidates(workspace, text: str) -> list[str]:
    ticket = prepare_ticket(TicketIn(body=text), workspace.policies.intake)
    return [c.category for c in workspace.deps.cascade.local.classify(ticket).candidates]


def test_confident_tickets_never_call_the_llm(workspace) -> None:
    chat = ScriptedChat(script=[])  # any call would fail the test
    ws = with_llm(workspace, llm_runtime(chat), specialists=False)
    _, record = route_new(
        ws, {"body": "Please resend invoice INV-2026-0101 as PDF", "customer_id": "C-1001"}
    )
    assert record.classifier.source == "local" and record.llm == [] and chat.seen == []


def test_unsure_ticket_is_decided_by_the_llm_among_the_candidates(workspace) -> None:
    top = local_candidates(workspace, VAGUE)[0]
    chat = ScriptedChat(script=[verdict(top, 0.85), answer("We will look into it for you.")])
    ws = with_llm(workspace, llm_runtime(chat))
    _, record = route_new(ws, {"body": VAGUE, "customer_id": "C-1002"})
    assert record.classifier.source == "llm" and record.category == top
    assert record.llm[0].role == "classifier" and record.llm[0].outcome == "decided"
    assert record.llm[0].calls == 1 and record.llm[0].input_tokens == 100
    prompt = chat.seen[0][0].content
    assert (
        "billing:" in prompt and f"- {top}:" in prompt and "[" in prompt
    )  # taxonomy, candidates, examples
    assert record.llm[1].role == "specialist" and record.response


def test_llm_choice_outside_the_candidates_goes_to_a_person(workspace) -> None:
    outside = next(
        c
        for c in workspace.policies.taxonomy.categories
        if c not in local_candidates(workspace, VAGUE)[:3]
    )
    ws = with_llm(workspace, llm_runtime(ScriptedChat(script=[verdict(outside)])))
    _, record = route_new(ws, {"body": VAGUE, "customer_id": "C-1002"})
    assert record.escalation_reasons == ["low_confidence"]
    assert record.llm[0].outcome == "not_among_candidates"


def test_none_fits(workspace) -> None:
    ws = with_llm(workspace, llm_runtime(ScriptedChat(script=[verdict("none", 0.95)])))
    _, record = route_new(ws, {"body": VAGUE})
    assert record.escalation_reasons == ["low_confidence"] and record.llm[0].outcome == "no_fit"


def test_low_llm_confidence_is_not_routed(workspace) -> None:
    top = local_candidates(workspace, VAGUE)[0]
    ws = with_llm(workspace, llm_runtime(ScriptedChat(script=[verdict(top, 0.4)])))
    _, record = route_new(ws, {"body": VAGUE})
    assert record.escalation_reasons == ["low_confidence"] and record.classifier.source == "llm"


def test_invalid_twice_is_a_classifier_error(workspace) -> None:
    bad = answer(tool="TicketCategory", args={"category": "billing", "confidence": 3})
    ws = with_llm(workspace, llm_runtime(ScriptedChat(script=[bad, bad])))
    _, record = route_new(ws, {"body": VAGUE})
    assert record.escalation_reasons == ["classifier_error"] and record.queue == "triage"
    assert record.llm[0].outcome == "invalid" and record.llm[0].calls == 2


def test_provider_down_takes_the_embedded_path(workspace) -> None:
    down = [openai.APIConnectionError(request=REQUEST)] * 10
    ws = with_llm(workspace, llm_runtime(ScriptedChat(script=list(down))))
    _, unsure = route_new(ws, {"body": VAGUE})
    assert unsure.escalation_reasons == ["low_confidence"]
    assert unsure.llm[0].outcome == "unavailable" and "local model" in unsure.notes[0]
    _, clear = route_new(
        ws, {"body": "How do I share a dashboard with my team?", "customer_id": "C-1002"}
    )
    assert not clear.escalated and "share-dashboards" in (clear.response or "")
    assert any("embedded reply" in n for n in clear.notes)


def test_circuit_opens_so_later_tickets_do_not_wait(workspace) -> None:
    chat = ScriptedChat(script=[openai.APIConnectionError(request=REQUEST)] * 3)
    ws = with_llm(workspace, llm_runtime(chat, retries=0))
    for _ in range(5):
        _, record = route_new(ws, {"body": VAGUE})
        assert record.escalated
    assert len(chat.seen) == 3  # breaker opened after 3 failures; nothing more was sent
    assert "circuit open" in record.llm[0].detail  # type: ignore[operator]
