"""Does a look-alike of an open ticket bring something new?

Text similarity alone cannot say: "please resend INV-2026-0101" and "someone took over our
account, lock it; also please resend INV-2026-0101" share a sentence. A ticket is only a
repeat when it brings nothing new, so every ticket is classified and checked against the
policy rules first; any rule hit, a confident intent other than the open ticket's, or a
sensitive intent among its runner-ups makes it a new ticket (the possible link is noted for
the reviewer instead of hidden).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from deskroute.classify.thresholds import Thresholds
from deskroute.models.classification import NoFit, Prediction, RuleHit
from deskroute.policies.schema import Policies


def news(
    text: str,
    classification: Prediction | NoFit | None,
    rule_hits: Sequence[RuleHit],
    *,
    original_category: str | None,
    sensitive: Collection[str],
    policies: Policies,
    thresholds: Thresholds | None,
) -> list[str]:
    """What the new ticket brings that its open look-alike does not; empty for a repeat.

    Sensitive intents are also read from the specialists' hand-off phrases ("refund",
    "cancel our subscription"): the classifier may file a double charge under billing, but a
    refund request must not hide behind a billing ticket."""
    found = [f"policy rule {hit.rule} matched {hit.matched!r}" for hit in rule_hits]
    for spec in policies.specialists.specialists.values():
        for handoff in spec.handoffs:
            if (
                handoff.to in sensitive
                and handoff.to != original_category
                and handoff.regex is not None
                and (match := handoff.regex.search(text))
                and not any(handoff.to in f for f in found)
            ):
                found.append(f"it asks for {handoff.to} ({match.group(0)!r})")
    if not isinstance(classification, Prediction):
        return found
    taxonomy = policies.taxonomy
    top = classification.category
    if (
        top in taxonomy.categories
        and top != original_category
        and (
            classification.source == "rules"
            or classification.confidence >= taxonomy.threshold(top, thresholds)
        )
    ):
        found.append(f"its intent is {top} ({classification.confidence:.2f})")
    for candidate in classification.candidates:
        if (
            candidate.category in sensitive
            and candidate.category != original_category
            and candidate.score >= taxonomy.secondary_intent_floor
            and not any(candidate.category in f for f in found)
        ):
            found.append(f"it may be a {candidate.category} request ({candidate.score:.2f})")
    return found
