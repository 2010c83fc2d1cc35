"""A follow-up repeats an open ticket only when it names that ticket's problem."""

from __future__ import annotations

from deskroute.duplicates import Fingerprint, fingerprint, is_duplicate, near_miss
from deskroute.intake.normalize import normalize_body


def _chat(body: str) -> Fingerprint:
    return fingerprint(
        subject="", body=normalize_body(body, is_email=False), raw_body=body, is_email=False
    )


VAGUE = _chat("issue with billing")
CONNECTOR = _chat("Our Salesforce connector fails with INVALID_SESSION_ID")


def test_a_cue_word_does_not_make_another_problem_a_repeat() -> None:
    for body in ("Our Salesforce connector fails again", "still waiting on the invoice question"):
        assert not is_duplicate(CONNECTOR if "invoice" in body else VAGUE, _chat(body))
    assert not is_duplicate(CONNECTOR, _chat("any update on my billing issue?"))


def test_nudges_and_follow_ups_on_the_same_problem_are_repeats() -> None:
    assert is_duplicate(VAGUE, _chat("any update on my billing issue?"))
    assert is_duplicate(CONNECTOR, _chat("any update?"))
    assert is_duplicate(CONNECTOR, _chat("bump. still failing"))
    assert is_duplicate(CONNECTOR, _chat("salesforce connector still failing, any news?"))


def test_a_follow_up_sharing_only_a_common_word_is_a_near_miss() -> None:
    old = _chat("the Revenue dashboard shows wrong numbers for May")
    new = _chat("can't share dashboards with external clients anymore, same error again")
    assert not is_duplicate(old, new) and near_miss(old, new)
    unrelated = _chat("The dashboard crashed again and I lost an hour of work")
    assert not near_miss(VAGUE, unrelated), "nothing in common: no note either"


def test_the_same_signature_is_not_a_shared_topic() -> None:
    old = fingerprint(
        subject="Problem mit der Rechnung",
        body="Hallo,\n\nwir haben ein Problem mit der Rechnung.",
        raw_body="Hallo,\n\nwir haben ein Problem mit der Rechnung.\n\nGrüße\nJonas Weber",
        is_email=True,
    )
    text = "Hallo,\n\nder Export nach Excel bricht schon wieder ab.\n\nGrüße\nJonas Weber"
    new = fingerprint(subject="Export", body=text, raw_body=text, is_email=False)
    assert not new.topic & old.vocabulary and not is_duplicate(old, new)
