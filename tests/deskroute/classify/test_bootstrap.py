"""Proposed labels for unlabelled tickets: the nearest examples' vote, least certain first,
and what an LLM's verdict does to a proposal (a scripted classifier stands in for it)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast

from deskroute.classify.bootstrap import example_index, propose
from deskroute.classify.llm import LLMClassifier
from deskroute.errors import ClassifierError
from deskroute.models.classification import ClassifierResult, NoFit, Prediction
from deskroute.models.ticket import TicketView
from deskroute.policies import Policies

TEXTS = [
    "my password reset email never arrives and I cannot log in",
    "xyzzy",
    "hello",
    "We were charged twice on the last invoice",
]


def test_every_text_gets_a_proposal_least_certain_first(policies: Policies) -> None:
    found = propose(TEXTS, [2, 3, 4, 5], policies=policies)
    assert [p.row for p in found][:2] == [3, 4]  # no match, then the weakest vote
    nothing = found[0]
    assert (nothing.proposed, nothing.confidence, nothing.runner_up) == (None, 0.0, None)
    assert nothing.reason == "no example shares a word with it"
    assert [p.confidence for p in found] == sorted(p.confidence for p in found)
    by_row = {p.row: p for p in found}
    assert by_row[2].proposed == "account_access" and by_row[2].confidence > 0.5
    assert by_row[2].runner_up not in (None, "account_access")
    assert "nearest examples" in by_row[2].reason and "% of the vote" in by_row[2].reason
    assert all(p.llm is None for p in found)


def test_the_descriptions_vote_too(policies: Policies) -> None:
    index = example_index(policies)
    described = [e for e in index.examples if e.text.startswith("Outage. ")]
    assert [e.label for e in described] == ["outage"]
    count = sum(len(v) for v in policies.examples.values())
    assert len(index.examples) == count + len(policies.taxonomy.categories)


@dataclass
class Scripted:
    """Answers every ticket with one verdict (or raises), as the LLM stage would."""

    verdict: ClassifierResult | None

    def classify(self, ticket: TicketView, local: Prediction | None) -> tuple[object, None]:
        assert local is not None and local.candidates  # shown the examples' vote
        if self.verdict is None:
            raise ClassifierError("invalid output twice")
        return self.verdict, None


def _llm(verdict: ClassifierResult | None) -> LLMClassifier:
    return cast(LLMClassifier, Scripted(verdict))


def test_an_llm_verdict_moves_the_confidence(policies: Policies) -> None:
    text = [TEXTS[0]]
    plain = propose(text, [2], policies=policies)[0]
    said = {"source": "llm", "model_version": "scripted"}
    agree = Prediction(category="account_access", confidence=0.97, candidates=[], **said)
    agreed = propose(text, [2], policies=policies, llm=_llm(agree))[0]
    assert (agreed.llm, agreed.proposed, agreed.confidence) == ("agreed", "account_access", 0.97)
    assert agreed.reason.startswith("the LLM agrees (0.97); ")

    other = Prediction(category="security", confidence=0.9, candidates=[], **said)
    disagreed = propose(text, [2], policies=policies, llm=_llm(other))[0]
    assert (disagreed.proposed, disagreed.runner_up) == ("security", "account_access")
    assert disagreed.confidence == round(0.9 * (1 - plain.confidence), 3)
    assert disagreed.reason.startswith("the LLM says security (0.90); the examples say ")

    none = NoFit(reason="spam", source="llm", model_version="scripted")
    no_fit = propose(text, [2], policies=policies, llm=_llm(none))[0]
    assert (no_fit.llm, no_fit.proposed, no_fit.confidence) == ("no_fit", plain.proposed, 0.0)

    failed = propose(text, [2], policies=policies, llm=_llm(None))[0]
    assert (failed.llm, failed.proposed, failed.confidence) == (
        "failed",
        plain.proposed,
        plain.confidence,
    )
    assert "the LLM did not answer (invalid output twice)" in failed.reason
