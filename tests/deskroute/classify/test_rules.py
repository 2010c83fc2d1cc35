"""Policy rules force categories or escalations from phrases, patterns and categories."""

from __future__ import annotations

from deskroute.classify.rules import category_rule_hits, forced_category, text_rule_hits


def rules_hit(policies, text: str) -> list[str]:
    return [h.rule for h in text_rule_hits(text, policies.rules)]


def test_human_request_phrases(policies) -> None:
    assert rules_hit(policies, "Can I speak to a human please?") == ["human-requested"]
    assert rules_hit(policies, "let me talk to your manager") == ["human-requested"]
    assert rules_hit(policies, "A HUMAN BEING, NOW") == ["human-requested"]


def test_phrases_match_on_word_boundaries(policies) -> None:
    assert rules_hit(policies, "the courtesy credit") == []  # not "court"
    assert rules_hit(policies, "we will go to court") == ["legal-threat"]


def test_breach_forces_security_and_escalates(policies) -> None:
    hits = text_rule_hits("I think there was a data breach", policies.rules)
    forced = forced_category(hits)
    assert forced is not None and forced.category == "security" and forced.queue == "security"
    assert forced.reason == "policy_rule"


def test_gdpr_pattern_forces_privacy_without_escalating(policies) -> None:
    hits = text_rule_hits("Request under GDPR Article 15 for my data", policies.rules)
    forced = forced_category(hits)
    assert forced is not None and forced.action == "force_category"
    assert forced.category == "data_privacy" and forced.reason is None


def test_category_rules(policies) -> None:
    assert [h.rule for h in category_rule_hits("security", policies.rules)] == [
        "security-always-human"
    ]
    assert category_rule_hits("billing", policies.rules) == []
