"""Policy phrases match word forms: inflections, other determiners, small gaps, any case."""

from __future__ import annotations

import pytest

from deskroute.policies.phrases import MAX_GAP, Phrase, PhraseMatcher, analyse


def found(phrases: list[str], text: str, patterns: tuple[str, ...] = ()) -> str | None:
    match = PhraseMatcher.compile(phrases, patterns).search(text)
    return match.text if match else None


def test_inflected_forms_match() -> None:
    assert found(["lawyer"], "we will involve our lawyers") == "lawyers"
    assert found(["terminate our contract"], "Terminating contracts") == "Terminating contracts"
    assert found(["emergency"], "two emergencies") == "emergencies"


def test_determiners_and_possessives_are_interchangeable() -> None:
    phrase = ["terminate our contract"]
    assert found(phrase, "we will terminate the contract") == "terminate the contract"
    assert found(phrase, "terminate this contract") == "terminate this contract"
    assert found(phrase, "terminate contract") == "terminate contract"


def test_up_to_max_gap_words_between_phrase_words() -> None:
    assert MAX_GAP == 2
    phrase = ["terminate our contract"]
    assert found(phrase, "terminate this annual contract") == "terminate this annual contract"
    assert found(phrase, "terminate this old annual contract") is None


def test_a_gap_never_skips_a_negation() -> None:
    assert found(["is down"], "the site is completely down") == "is completely down"
    assert found(["is down"], "the site is not down") is None
    assert found(["we will cancel"], "we will never cancel") is None
    assert found(["we will cancel"], "we will not cancel") is None


def test_phrase_words_may_be_negations_themselves() -> None:
    assert found(["not a bot"], "please, not another bot") == "not another bot"
    assert found(["still not"], "it still does not work") == "still does not"


def test_a_phrase_never_spans_a_clause_break() -> None:
    assert found(["is down"], "what it is. Down the road") is None
    assert found(["no reply"], "no, reply later") is None
    # Mail bodies wrap lines mid-sentence: a line break is no clause break.
    assert found(["terminate our contract"], "terminate our\ncontract") == "terminate our\ncontract"


def test_short_words_match_only_as_written() -> None:
    assert found(["sue you"], "we will SUE YOU") == "SUE YOU"
    assert found(["is down"], "it's down") is None
    assert found(["502"], "HTTP 502") == "502"
    assert found(["502"], "HTTP 5020") is None


def test_words_match_whole_words_only() -> None:
    assert found(["court"], "the courtesy credit") is None
    assert found(["court"], "see you in court") == "court"


def test_case_accents_and_apostrophes() -> None:
    assert found(["we'll cancel"], "WE’LL CANCEL") == "WE’LL CANCEL"
    assert found(["Rechtsanwalt"], "unsere Rechtsanwälte") == "Rechtsanwälte"
    assert found(["avocat"], "nos avocats") == "avocats"
    assert found(["urgente"], "respuestas urgentes") == "urgentes"
    # Upper-case letters whose lower case is longer keep the offsets right.
    assert found(["office"], "İSTANBUL OFFICES") == "OFFICES"


def test_hyphenated_words_are_words() -> None:
    assert found(["charge back"], "a charge-back") == "charge-back"
    assert found(["sign in"], "the sign-in page") == "sign-in"


def test_the_leftmost_match_wins_then_file_order() -> None:
    assert found(["refund", "money back"], "money back or a refund") == "money back"
    assert found(["invoice", "invoice copy"], "an invoice copy") == "invoice"


def test_patterns_match_exactly_and_the_leftmost_match_wins() -> None:
    exact = (r"\b(hacked|leaked)\b",)
    assert found(["breach"], "a memory leak", exact) is None
    assert found(["breach"], "data leaked after a breach", exact) == "leaked"
    assert found(["breach"], "a breach: data leaked", exact) == "breach"


def test_phrase_without_words_is_refused() -> None:
    with pytest.raises(ValueError, match="has no words"):
        Phrase.compile("!!")


def test_a_phrase_of_determiners_only_keeps_them() -> None:
    assert found(["this"], "is this it") == "this"


def test_analysis_is_shared_by_the_matchers_of_one_text() -> None:
    text = "Our lawyers will terminate the contract."
    assert analyse(text) is analyse(text)
    assert analyse(text).words == ("our", "lawyers", "will", "terminate", "the", "contract")


def test_long_texts_match_in_one_pass() -> None:
    """100 kB without the phrase, then the phrase: every word looked at a bounded number of
    times (a regex with nested gaps could backtrack here)."""
    filler = "terminate terminate our our " * 3500
    assert found(["terminate our contract"], filler + "terminate the contract") == (
        "terminate the contract"
    )
