"""Which human queue owns an escalated ticket."""

from __future__ import annotations

from collections.abc import Sequence

from deskroute.escalation.reasons import NO_CATEGORY_REASONS
from deskroute.models.classification import NoFit, Prediction, RuleHit
from deskroute.models.outcome import ReasonDetail
from deskroute.policies.schema import Policies


def choose_queue(
    policies: Policies,
    *,
    rule_hits: Sequence[RuleHit],
    reasons: Sequence[ReasonDetail],
    classification: Prediction | NoFit | None,
    category: str | None,
) -> tuple[str, str | None]:
    """The human queue, and the category it was chosen for (None: a triage-like queue).

    A rule that names a queue wins; reasons that leave no category go to their own queue; a
    low-confidence guess above the fallback floor goes to that category's people, so someone
    who knows the subject owns it; otherwise the handled category's escalation queue.
    """
    routing, categories = policies.routing, policies.taxonomy.categories
    for hit in rule_hits:
        if hit.action == "escalate" and hit.queue:
            return hit.queue, hit.category
    kinds = {r.reason for r in reasons}
    for reason in NO_CATEGORY_REASONS:
        if reason in kinds:
            return routing.reason_queues.get(reason, routing.triage_queue), None
    if "low_confidence" in kinds:
        if (
            isinstance(classification, Prediction)
            and classification.category in categories
            and classification.confidence >= routing.fallback_floor
        ):
            return categories[classification.category].escalation_queue, classification.category
        return routing.triage_queue, None
    if category is not None and category in categories:
        return categories[category].escalation_queue, category
    return routing.triage_queue, None
