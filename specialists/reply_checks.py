"""Checks on an LLM-written reply before a customer reads it.

A model can be talked into saying "refund issued, subscription cancelled" by the ticket itself;
the tool gate stops the action, but the customer would still be told it happened. So a reply
that states an action with no executed action behind it goes to a person, and so does a reply
that is empty, junk, an echo of the prompt, or in another language than the ticket.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace

from deskroute.intake.language import detect_language
from deskroute.models.actions import ActionRecord
from deskroute.models.outcome import ReasonDetail
from deskroute.models.ticket import TicketView
from specialists.base import Reply, Work
from specialists.registry import Loaded

_ACTS: dict[str, tuple[str, str]] = {
    "issue_refund": (r"refund(?:s|ed)?|money", r"issued|processed|sent|refunded|returned|paid"),
    "cancel_subscription": (
        r"subscription|plan|contract|account",
        r"cancell?ed|terminated|ended|closed",
    ),
    "reset_2fa": (r"2fa|two[- ]factor(?: authentication)?|mfa", r"reset|disabled|removed|cleared"),
    "delete_customer_data": (r"data|records|information", r"deleted|erased|removed|wiped|purged"),
    "lock_account": (r"account|access", r"locked|suspended|frozen|blocked"),
    "revoke_api_key": (r"(?:api )?keys?|tokens?", r"revoked|disabled|deactivated|invalidated"),
    "issue_credit": (r"credit", r"issued|applied|added|granted"),
}
_AUX = r"(?:has been|have been|had been|was|were|is now|are now|is|are|got|been)"
_HEDGE = re.compile(
    r"\b(?:will|would|can|could|cannot|can't|may|might|once|after|pending|request(?:ed)?|"
    r"approv\w*|not|n't|if|to be|needs?|review)\b",
    re.IGNORECASE,
)
_CLAIMS = {
    tool: re.compile(
        # "your refund has been issued", "refund issued"; "we have issued your refund"
        rf"\b(?:{noun})\b(?:\s+[\w'-]{{1,20}}){{0,3}}?\s+(?:{_AUX}\s+)?(?:\w+\s+)?(?:{verb})\b"
        rf"|\b(?:we|i)(?:'ve| have| had)?\s+(?:\w+\s+)?(?:{verb})\b(?:\s+[\w'-]{{1,20}}){{0,3}}?"
        rf"\s+(?:{noun})\b",
        re.IGNORECASE,
    )
    for tool, (noun, verb) in _ACTS.items()
}
_SENTENCE = re.compile(r"[^.!?\n]{1,400}[.!?]?")
_WORD = re.compile(r"[^\W\d_]{2,}")


def unbacked_claims(text: str, actions: Iterable[ActionRecord]) -> list[str]:
    """Sentences that say an action was done when no such action executed."""
    executed = {a.tool for a in actions if a.status == "executed"}
    found = []
    for sentence in _SENTENCE.findall(text):
        if sentence.rstrip().endswith("?"):
            continue
        for tool, pattern in _CLAIMS.items():
            match = pattern.search(sentence)
            if tool in executed or match is None:
                continue
            # "will be refunded once approved" promises nothing done: look just before and in it
            if not _HEDGE.search(sentence[max(0, match.start() - 20) : match.end()]):
                found.append(f"{match.group(0).strip()!r} ({tool} was not executed)")
    return found


def reply_problem(
    text: str, ticket: TicketView, *, prompt_text: str, languages: tuple[str, ...]
) -> str | None:
    """Why this reply must not be sent as it is, or None when it may."""
    words = _WORD.findall(text)
    if not words:
        return "the reply is empty"
    letters = sum(len(w) for w in words)
    visible = sum(1 for ch in text if not ch.isspace())
    if len(words) < 4 or letters < 0.5 * visible:
        return "the reply is not readable text"
    if len(words) >= 20 and len({w.lower() for w in words}) < 0.25 * len(words):
        return "the reply repeats the same few words"
    for line in prompt_text.splitlines():
        line = line.strip()
        if len(line) >= 40 and line in text:
            return "the reply repeats the instructions it was given"
    if ticket.language_source != "default" and len(words) >= 8:
        language = detect_language(text, languages)
        if language is not None and language != ticket.language:
            return f"the reply is in {language}, the ticket in {ticket.language}"
    return None


def missed_proposals(work: Work, loaded: Loaded) -> list[ActionRecord]:
    """Approvals the embedded rules would ask for on this ticket that the model's own tool
    calls did not: escalation must not depend on the model choosing a sensitive tool."""
    rules = replace(work, gate=replace(work.gate, actions=[]), sections=[])
    loaded.specialist.handle(rules)
    asked = {a.tool for a in work.gate.actions if a.status in ("proposed", "executed")}
    return [
        a.model_copy(update={"reason": f"{a.reason}; the model did not ask for it"})
        for a in rules.gate.actions
        if a.status == "proposed" and a.tool not in asked
    ]


def vet(
    reply: Reply,
    work: Work,
    loaded: Loaded,
    *,
    system_prompt: str,
    languages: tuple[str, ...],
) -> tuple[list[ActionRecord], list[ReasonDetail]]:
    """Proposals to add and reasons for a person to read an LLM reply before it is sent."""
    reasons = [
        ReasonDetail(reason="sensitive_action", detail=f"the reply states {claim}")
        for claim in unbacked_claims(reply.text, work.gate.actions)
    ]
    if problem := reply_problem(
        reply.text, work.ticket, prompt_text=system_prompt, languages=languages
    ):
        reasons.append(ReasonDetail(reason="low_confidence", detail=problem))
    return missed_proposals(work, loaded), reasons
