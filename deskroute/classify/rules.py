"""Policy rules (`policies/rules.yaml`) applied to ticket text and to the chosen category."""

from __future__ import annotations

from deskroute.models.classification import RuleHit
from deskroute.policies.schema import Rule, Rules


def _hit(rule: Rule, matched: str) -> RuleHit:
    return RuleHit(
        rule=rule.id,
        action=rule.action,
        matched=matched,
        category=rule.category,
        reason=rule.reason if rule.action == "escalate" else None,
        queue=rule.queue,
    )


def text_rule_hits(text: str, rules: Rules) -> list[RuleHit]:
    """Rules whose phrases (as word forms) or patterns occur in the text, in file order."""
    hits = []
    for rule in rules.rules:
        if match := rule.matcher.search(text):
            hits.append(_hit(rule, match.text))
    return hits


def category_rule_hits(category: str, rules: Rules) -> list[RuleHit]:
    """Rules that apply to every ticket of a category (e.g. security is always reviewed)."""
    return [_hit(r, f"category {category}") for r in rules.rules if r.when_category == category]


def forced_category(hits: list[RuleHit]) -> RuleHit | None:
    """The first rule hit that decides the category, if any."""
    return next((h for h in hits if h.category is not None), None)
