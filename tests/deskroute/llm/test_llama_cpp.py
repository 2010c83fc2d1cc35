"""Provider wiring against a real llama.cpp server, replayed from cassettes.

Recorded from llama-cpp-python's OpenAI-compatible server serving Gemma 3 270M (a base model
that follows formats poorly). It rejects `response_format: json_schema` with HTTP 500, so these
cassettes also record the fall-back to tool calling. Re-record: scripts/record_cassettes.sh.
"""

from __future__ import annotations

import pytest
from tests_llm_support import LLAMA_CPP_URL

from deskroute.llm.config import llm_config
from deskroute.llm.provider import check_server
from deskroute.runtime import open_workspace
from deskroute.service import route_new

PII = {
    "email": "maria.lopez@private-mail.example",
    "phone": "+34 612 345 678",
    "card": "4111 1111 1111 1111",
    "iban": "DE89 3704 0044 0532 0130 00",
}


@pytest.fixture
def llama_settings(settings):
    return settings.model_copy(
        update={
            "llm": "openai-compatible:gemma3-270m",
            "llm_base_url": LLAMA_CPP_URL,
            "llm_timeout_s": 300.0,
            "llm_max_tokens": 96,
            "llm_system_role": False,  # the server's `gemma` format drops system messages
        }
    )


def bodies(cassette) -> list[str]:
    """Request bodies the cassette holds (recorded now, or replayed from the file)."""
    return [
        (r.body or b"").decode() if isinstance(r.body, bytes) else str(r.body or "")
        for r in cassette.requests
    ]


@pytest.mark.vcr
def test_llm_check_lists_the_servers_models(llama_settings) -> None:
    result = check_server(llm_config(llama_settings))  # type: ignore[arg-type]
    assert result.reachable and any("gemma" in m for m in result.models)


@pytest.mark.vcr
def test_unsure_ticket_consults_the_model_and_falls_back_to_tool_calling(
    llama_settings, vcr
) -> None:
    ws = open_workspace(llama_settings)
    _, record = route_new(
        ws, {"body": "Can you help me with the thing from yesterday?", "customer_id": "C-1002"}
    )
    classifier = record.llm[0]
    assert classifier.role == "classifier" and classifier.calls >= 1
    assert classifier.method == "function_calling"  # json_schema was refused with a 500
    assert classifier.outcome in ("decided", "no_fit", "not_among_candidates", "invalid")
    assert record.queue and (record.escalated or record.classifier.source == "llm")
    assert "json_schema" in bodies(vcr)[0] and vcr.responses[0]["status"]["code"] == 500


@pytest.mark.vcr
def test_specialist_agent_runs_against_the_server(llama_settings, vcr) -> None:
    ws = open_workspace(llama_settings)
    _, record = route_new(
        ws,
        {
            "body": "Please resend invoice INV-2026-0101, I lost it.",
            "customer_id": "C-1001",
            "channel": "email",
        },
    )
    agent = next(call for call in record.llm if call.role == "specialist")
    assert agent.method == "tool_calling" and agent.calls >= 1 and agent.input_tokens > 0
    assert agent.outcome in ("replied", "handed_off", "step_limit", "ungrounded")
    assert record.queue  # whatever the small model did, the ticket has an owner
    agent_request = next(b for b in bodies(vcr) if '"tools"' in b and "hand_off" in b)
    assert '"resend_invoice"' in agent_request and '"issue_refund"' not in agent_request


@pytest.mark.vcr
def test_no_raw_pii_reaches_the_provider(llama_settings, vcr) -> None:
    ws = open_workspace(llama_settings.model_copy(update={"llm_redact": True}))
    body = (
        f"Hello, this is Maria ({PII['email']}, {PII['phone']}). About my card "
        f"{PII['card']} and IBAN {PII['iban']}: can you help me with the thing from "
        "yesterday?"
    )
    _, record = route_new(ws, {"body": body})
    assert record.queue and record.llm[0].role == "classifier"  # the unsure local model asked
    sent = "\n".join(bodies(vcr))
    assert sent, "the cassette recorded no request"
    for kind, value in PII.items():
        assert value not in sent, kind
    assert "<EMAIL_1>" in sent and "<CARD_1>" in sent
