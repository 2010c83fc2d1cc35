"""The local text model: TF-IDF word and character n-grams, a linear classifier, and
temperature scaling fitted on out-of-fold scores so that confidences are probabilities."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy.optimize import minimize_scalar
from scipy.special import log_softmax, softmax
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.model_selection import StratifiedKFold
from sklearn.pipeline import FeatureUnion, Pipeline, make_pipeline
from sklearn.svm import LinearSVC


def _pipeline(c: float) -> Pipeline:
    features = FeatureUnion(
        [
            (
                "word",
                TfidfVectorizer(
                    ngram_range=(1, 2),
                    sublinear_tf=True,
                    min_df=1,
                    strip_accents="unicode",
                    lowercase=True,
                ),
            ),
            (
                "char",
                TfidfVectorizer(
                    analyzer="char_wb",
                    ngram_range=(2, 5),
                    sublinear_tf=True,
                    min_df=1,
                    lowercase=True,
                ),
            ),
        ]
    )
    return make_pipeline(features, LinearSVC(C=c))


def fit_temperature(scores: np.ndarray, y: np.ndarray) -> float:
    """The temperature T minimising the log loss of softmax(scores / T)."""

    def nll(t: float) -> float:
        return float(-log_softmax(scores / t, axis=1)[np.arange(len(y)), y].mean())

    return float(minimize_scalar(nll, bounds=(0.05, 20.0), method="bounded").x)


class TextModel:
    """fit / predict_proba over raw texts; `classes_` orders the probability columns."""

    def __init__(self, c: float = 0.5, folds: int = 3, seed: int = 0) -> None:
        self.c = c
        self.folds = folds
        self.seed = seed
        self.temperature = 1.0
        self.classes_: np.ndarray = np.array([])
        self._pipe: Pipeline | None = None

    def _scores(self, pipe: Pipeline, texts: Sequence[str]) -> np.ndarray:
        scores = pipe.decision_function(list(texts))
        # Two classes give one column (the second class's margin); make it one per class.
        return np.column_stack([-scores, scores]) if scores.ndim == 1 else scores

    def fit(self, texts: Sequence[str], labels: Sequence[str]) -> TextModel:
        y_text = np.asarray(labels)
        self.classes_, y = np.unique(y_text, return_inverse=True)
        x = np.asarray(texts, dtype=object)
        folds = min(self.folds, int(np.bincount(y).min()))
        if folds >= 2:
            oof = np.zeros((len(x), len(self.classes_)))
            splitter = StratifiedKFold(folds, shuffle=True, random_state=self.seed)
            for train, test in splitter.split(x, y):
                pipe = _pipeline(self.c).fit(x[train], y[train])
                oof[test] = self._scores(pipe, x[test])
            self.temperature = fit_temperature(oof, y)
        self._pipe = _pipeline(self.c).fit(x, y)
        return self

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        if self._pipe is None:
            raise RuntimeError("model is not fitted")
        return softmax(self._scores(self._pipe, texts) / self.temperature, axis=1)
