"""The numpy inference path reproduces scikit-learn's TF-IDF exactly, one text or many."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer

from deskroute.classify import linear
from deskroute.classify.linear import NgramView
from deskroute.classify.local import train_local

TEXTS = [
    "I am still waiting for my card",
    "Café naïve résumé  with double  spaces\tand tabs",
    "a",
    "",
    "x y z",
    "Why was I charged twice?? INV-2026-0101",
    "Überweisung nicht angekommen, bitte prüfen",
    "refund refund refund",
]


@pytest.mark.parametrize(
    "vectorizer",
    [
        TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, token_pattern=r"(?u)\b\w+\b"),
        TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 5), sublinear_tf=True),
        TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), strip_accents="unicode"),
    ],
    ids=["word", "char_wb", "char_wb-accents"],
)
def test_views_match_scikit_learn(vectorizer) -> None:
    expected = vectorizer.fit_transform(TEXTS * 2).toarray()[: len(TEXTS)]
    view = NgramView.from_vectorizer(vectorizer)
    assert np.allclose(view.matrix(TEXTS).toarray(), expected, atol=1e-6)
    for i, text in enumerate(TEXTS):
        cols, values = view.row(text)
        row = np.zeros(view.size)
        row[cols] = values
        assert np.allclose(row, expected[i], atol=1e-6), text


def test_single_and_batch_predictions_agree() -> None:
    texts = [
        "invoice wrong",
        "invoice missing",
        "invoice late",
        "cannot log in",
        "login broken",
        "password reset",
        "refund please",
        "money back",
        "refund now",
    ] * 3
    labels = (["billing"] * 3 + ["access"] * 3 + ["refunds"] * 3) * 3
    model = train_local(texts, labels, name="t", source="test").model
    probe = ["my invoice", "no login", "refund?", ""]
    batch = model.predict_proba(probe)
    single = np.vstack([model.predict_proba([t]) for t in probe])
    assert np.allclose(batch, single, atol=1e-5)
    assert np.allclose(batch.sum(axis=1), 1.0)


def test_character_view_stays_exact_when_its_word_memory_fills(monkeypatch) -> None:
    vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 5), sublinear_tf=True)
    expected = vectorizer.fit_transform(TEXTS).toarray()
    view = NgramView.from_vectorizer(vectorizer)
    monkeypatch.setattr(linear, "WORDS_REMEMBERED", 3)
    for _ in range(2):  # the second pass reads remembered words, and forgets along the way
        assert np.allclose(view.matrix(TEXTS).toarray(), expected, atol=1e-6)
        assert len(view._words_seen) <= 3
