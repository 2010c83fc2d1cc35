"""Policy rules force categories or escalations from phrases, patterns and categories."""

from __future__ import annotations

from deskroute.classify.rules import category_rule_hits, forced_category, text_rule_hits
from deskroute.service import route_new

ENTERPRISE_COMPLAINT = (
    "This is the THIRD time I write about the broken export. If it is not fixed this week we "
    "will terminate the contract and involve our lawyers."
)


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


def test_phrases_match_inflections_and_other_determiners(policies) -> None:
    assert rules_hit(policies, ENTERPRISE_COMPLAINT) == ["legal-threat"]
    hit = text_rule_hits(ENTERPRISE_COMPLAINT, policies.rules)[0]
    assert hit.matched == "lawyers" and hit.queue == "legal"
    assert rules_hit(policies, "Our attorneys are reading along") == ["legal-threat"]


def test_exact_patterns_keep_memory_leaks_out_of_security(policies) -> None:
    assert rules_hit(policies, "The export has a memory leak") == []
    assert rules_hit(policies, "Our passwords were leaked") == ["data-breach"]


def test_enterprise_legal_threat_goes_to_legal_at_top_priority(workspace) -> None:
    """Once went to billing at P2 with no rule hit: "lawyers" and "the contract" were not the
    literal "lawyer" and "our contract"."""
    record = route_new(workspace, {"body": ENTERPRISE_COMPLAINT, "customer_id": "C-1003"})[1]
    assert [h.rule for h in record.rule_hits] == ["legal-threat"]
    assert record.escalated and record.queue == "legal"
    assert "policy_rule" in record.escalation_reasons
    assert record.priority == "P1"
