"""Escalation reasons: de-duplicated, ordered, and turned from rule hits."""

from __future__ import annotations

from collections.abc import Iterable

from deskroute.models.classification import EscalationReason, RuleHit, UncategorisedReason
from deskroute.models.outcome import ReasonDetail

PRIMARY_ORDER: tuple[EscalationReason, ...] = (
    "policy_rule",
    "sensitive_action",
    "human_requested",
    "loop_detected",
    "multiple_intents",
    "low_confidence",
    "classifier_error",
    "internal_error",
)
"""The reason whose wording the customer sees when several apply, first first."""

NO_CATEGORY_REASONS: tuple[UncategorisedReason, ...] = (
    "internal_error",
    "classifier_error",
    "loop_detected",
)
"""Reasons that leave no trustworthy category: the ticket goes to the reason's own queue."""


def unique_reasons(reasons: Iterable[ReasonDetail]) -> list[ReasonDetail]:
    """Each (reason, detail) once, in first-seen order."""
    seen: set[tuple[str, str]] = set()
    kept = []
    for r in reasons:
        if (r.reason, r.detail) not in seen:
            seen.add((r.reason, r.detail))
            kept.append(r)
    return kept


def primary_reason(reasons: Iterable[ReasonDetail]) -> EscalationReason:
    """The reason the holding reply speaks of; `internal_error` when none was given."""
    kinds = {r.reason for r in reasons}
    return next((r for r in PRIMARY_ORDER if r in kinds), "internal_error")


def rule_reasons(hits: Iterable[RuleHit]) -> list[ReasonDetail]:
    """The escalations that policy rule hits demand."""
    return [
        ReasonDetail(reason=h.reason, detail=f"rule {h.rule} matched {h.matched!r}")
        for h in hits
        if h.action == "escalate" and h.reason is not None
    ]
