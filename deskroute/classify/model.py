"""Training the local text model (scikit-learn), exported to numpy-only `LinearTextModel`.

Word 1-2-grams and character 1-5-grams within words, TF-IDF with sublinear term frequency,
plus a scaled block of static token vectors (and, with the `embeddings` extra, a scaled
sentence-embedding block), one linear SVM over all; probabilities are softmax(scores / T)
with the temperature T fitted on out-of-fold scores. The out-of-fold probabilities are kept:
they choose the confidence thresholds (see `thresholds.py`) without ever looking at test data.
"""

from __future__ import annotations

import os
import platform
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from importlib.metadata import version

import numpy as np
import scipy
import sklearn
from scipy import sparse
from scipy.optimize import minimize_scalar
from scipy.special import log_softmax, softmax
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.model_selection import StratifiedKFold
from sklearn.svm import LinearSVC

from deskroute.classify import static_vectors
from deskroute.classify.linear import LinearTextModel, NgramView


@dataclass(frozen=True)
class Fitted:
    model: LinearTextModel
    oof_proba: np.ndarray
    """Out-of-fold probabilities for every training row (columns in `model.classes` order)."""
    oof_labels: np.ndarray
    """Each training row's class index."""


def _vectorizers() -> list[TfidfVectorizer]:
    return [
        TfidfVectorizer(
            ngram_range=(1, 2), sublinear_tf=True, token_pattern=r"(?u)\b\w+\b", dtype=np.float32
        ),
        TfidfVectorizer(
            analyzer="char_wb", ngram_range=(1, 5), sublinear_tf=True, min_df=2, dtype=np.float32
        ),
    ]


def _fit_svm(
    x: sparse.csr_matrix, y: np.ndarray, c: float, sample_weight: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Weights (features x classes) and bias of a one-vs-rest linear SVM."""
    svm = LinearSVC(C=c).fit(x, y, sample_weight=sample_weight)
    weights, bias = svm.coef_.T, svm.intercept_
    if weights.shape[1] == 1:  # two classes: one margin for the second, mirrored for the first
        weights, bias = np.hstack([-weights, weights]), np.array([-bias[0], bias[0]])
    return weights.astype(np.float32), bias.astype(np.float64)


def _fit_all(
    x: sparse.csr_matrix,
    y: np.ndarray,
    c: float,
    sample_weight: np.ndarray,
    subsets: list[np.ndarray],
) -> list[tuple[np.ndarray, np.ndarray]]:
    """One SVM per subset of rows (the out-of-fold fits and the final one), one thread per
    core. liblinear releases the GIL while it trains, and threads start at once where worker
    processes spent 3 s of a 17 s training importing scikit-learn.

    liblinear draws its coordinate order from one generator shared by the threads, so the
    order varies from run to run. It did before too (the SVM has no fixed seed), and the
    problem is convex: the solution moves only within the solver's tolerance."""
    with ThreadPoolExecutor(max_workers=min(len(subsets), os.cpu_count() or 1)) as pool:
        return list(
            pool.map(lambda rows: _fit_svm(x[rows], y[rows], c, sample_weight[rows]), subsets)
        )


def fit_temperature(scores: np.ndarray, y: np.ndarray) -> float:
    """The temperature T minimising the log loss of softmax(scores / T)."""

    def nll(t: float) -> float:
        return float(-log_softmax(scores / t, axis=1)[np.arange(len(y)), y].mean())

    return float(minimize_scalar(nll, bounds=(0.01, 20.0), method="bounded").x)


def library_versions() -> dict[str, str]:
    return {
        "python": platform.python_version(),
        "scikit-learn": sklearn.__version__,
        "numpy": np.__version__,
        "scipy": scipy.__version__,
        "wordllama": version("wordllama"),
    }


STATIC_WEIGHT = 1.0
"""Scale of the static-vector block against the TF-IDF views. Cross-validated: on BANKING77,
weights 1-2 add 1.2 points of accuracy to the TF-IDF views (4 falls back); on the demo
examples, 0.75-1 add 1.5 points and 1.5 loses 0.7."""

EMBEDDING_WEIGHT = 2.0
"""Scale of the sentence-embedding block against the TF-IDF views (found by cross-validation
on BANKING77: weights 1-3 score within 0.2 points of each other)."""


def fit_text_model(
    texts: Sequence[str],
    labels: Sequence[str],
    *,
    embeddings: bool = False,
    sample_weight: Sequence[float] | None = None,
    c: float = 0.5,
    folds: int = 2,
    seed: int = 0,
) -> Fitted:
    """Two folds, not three: the fit on all rows is the longest, and the two half fits run
    beside it on the second core, so calibration adds little wall time on two cores; three folds
    made training 25% slower (17 s against 13 s on BANKING77) for thresholds that land within
    0.2 points of the same coverage-accuracy curve.

    `sample_weight` scales each row's share of the SVM's loss (reviewers' labels count more
    than the base data); temperature and thresholds are fitted on every row alike."""
    classes, y = np.unique(np.asarray(labels), return_inverse=True)
    weight = (
        np.ones(len(y)) if sample_weight is None else np.asarray(sample_weight, dtype=np.float64)
    )
    if weight.shape != y.shape:
        raise ValueError(f"{len(weight)} sample weights for {len(y)} rows")
    vectorizers = _vectorizers()
    blocks = [v.fit_transform(texts) for v in vectorizers]
    blocks.append(sparse.csr_matrix(STATIC_WEIGHT * static_vectors.encode(texts)))
    if embeddings:
        from deskroute.classify.embeddings import encode

        blocks.append(sparse.csr_matrix(EMBEDDING_WEIGHT * encode(list(texts))))
    x = sparse.hstack(blocks, format="csr")
    # Out-of-fold scores reuse the vectorisers fitted on all rows: idf and vocabulary barely
    # move between folds, and it saves refitting them per fold.
    oof = np.zeros((len(y), len(classes)))
    folds = min(folds, int(np.bincount(y).min()))
    if folds < 2:
        raise ValueError("every category needs at least two examples")
    splits = list(StratifiedKFold(folds, shuffle=True, random_state=seed).split(x, y))
    everything = np.arange(len(y))
    # The fit on all rows first: it is the longest, so the fold fits fill the other workers.
    (weights, bias), *fold_fits = _fit_all(x, y, c, weight, [everything] + [t for t, _ in splits])
    for (_, test), (fold_weights, fold_bias) in zip(splits, fold_fits, strict=True):
        oof[test] = np.asarray(x[test] @ fold_weights) + fold_bias
    temperature = fit_temperature(oof, y)
    model = LinearTextModel(
        views=tuple(NgramView.from_vectorizer(v) for v in vectorizers),
        weights=weights,
        bias=bias,
        temperature=temperature,
        classes=tuple(str(c) for c in classes),
        static_weight=STATIC_WEIGHT,
        embedding_weight=EMBEDDING_WEIGHT if embeddings else 0.0,
    )
    return Fitted(model=model, oof_proba=softmax(oof / temperature, axis=1), oof_labels=y)
