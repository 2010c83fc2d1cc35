"""Escalation: when a person must take over, which human queue owns the ticket, what the
customer is told meanwhile, and the package a reviewer works from.

Graph nodes, the service layer (for tickets the graph could not finish), shadow evaluation and
review all call these functions, so the rules live in one place.
"""

from deskroute.escalation.decision import GateDecision, decide
from deskroute.escalation.package import (
    PROMPT_SPEC,
    Escalation,
    EscalationInput,
    escalate,
    failure_outcome,
    hold_for_review,
)
from deskroute.escalation.queue import choose_queue
from deskroute.escalation.reasons import PRIMARY_ORDER, primary_reason, unique_reasons

__all__ = [
    "PRIMARY_ORDER",
    "PROMPT_SPEC",
    "Escalation",
    "EscalationInput",
    "GateDecision",
    "choose_queue",
    "decide",
    "escalate",
    "failure_outcome",
    "hold_for_review",
    "primary_reason",
    "unique_reasons",
]
