"""Second problems: a sentence that opens a new topic about another specialist's work is
recorded beside the verdict; sentences that continue the ticket's one problem are not."""

from __future__ import annotations

from helpers import keyword_model, view

from deskroute.classify.cascade import Cascade
from deskroute.classify.local import LocalClassifier
from deskroute.classify.problems import SecondProblems
from deskroute.models.classification import Prediction, SentenceIntent
from deskroute.models.ticket import TicketView


def view_plain(body: str) -> TicketView:
    return TicketView(
        id="t",
        channel="api",
        subject="",
        body=body,
        customer_id=None,
        customer_email=None,
        language="en",
        language_source="given",
    )


def _cascade(policies) -> Cascade:
    classifier = LocalClassifier(keyword_model())  # invoice -> billing, login -> account_access
    problems = SecondProblems(
        classifier=classifier,
        specialist_of={n: c.specialist for n, c in policies.taxonomy.categories.items()},
        floor=policies.routing.fallback_floor,
    )
    return Cascade(policies.rules, classifier, problems=problems)


def test_a_sentence_opening_a_new_topic_is_a_second_problem(policies) -> None:
    body = (
        "Please correct the seat count on our last invoice, it is too high. "
        "Also, the login page shows an error for everyone on our team."
    )
    verdict = _cascade(policies).classify(view(policies, body=body))
    assert isinstance(verdict.result, Prediction) and verdict.result.category == "billing"
    [intent] = verdict.result.sentence_intents
    assert intent.category == "account_access" and intent.score > 0.9
    assert intent.sentence == "Also, the login page shows an error for everyone on our team."
    assert verdict.result.secondary_intents("billing", 0.15) == [intent]


def test_a_sentence_an_e_mail_client_wrapped_is_read_whole(policies) -> None:
    body = (
        "Please correct the seat count on our last invoice, it is too high for\n"
        "us. Also, the login page shows an error for everyone on our team\n"
        "since Monday."
    )
    verdict = _cascade(policies).classify(view(policies, body=body))
    assert isinstance(verdict.result, Prediction)
    [intent] = verdict.result.sentence_intents
    assert intent.sentence == (
        "Also, the login page shows an error for everyone on our team since Monday."
    )


def test_sentences_without_a_new_topic_are_one_problem(policies) -> None:
    body = (
        "Please correct the seat count on our last invoice, it is too high. "
        "The login page shows the same invoice to everyone on our team."
    )
    verdict = _cascade(policies).classify(view(policies, body=body))
    assert isinstance(verdict.result, Prediction) and verdict.result.sentence_intents == []


def test_a_new_topic_for_the_same_specialist_is_not_a_second_problem(policies) -> None:
    body = (
        "Please correct the seat count on our last invoice, it is too high. "
        "Also, please send the corrected invoice to our accounts team afterwards."
    )
    verdict = _cascade(policies).classify(view(policies, body=body))
    assert isinstance(verdict.result, Prediction) and verdict.result.sentence_intents == []


def test_a_sentence_intent_is_a_candidate_with_its_words() -> None:
    intent = SentenceIntent(category="technical_issue", score=0.99, sentence="Also: broken.")
    assert intent.model_dump() == {
        "category": "technical_issue",
        "score": 0.99,
        "sentence": "Also: broken.",
    }


def test_the_ticket_without_its_second_problem() -> None:
    ticket = view_plain("Fix the invoice\nplease. Also the login\nfails.")
    problems = SecondProblems(
        classifier=LocalClassifier(keyword_model()), specialist_of={}, floor=0
    )
    intent = SentenceIntent(category="account_access", score=1.0, sentence="Also the login fails.")
    rest = problems.without(ticket, [intent])
    assert rest is not None and rest.body == "Fix the invoice please."
    gone = SentenceIntent(category="account_access", score=1.0, sentence="Not in the ticket.")
    assert problems.without(ticket, [gone]) is None
