"""Duplicate detection on the labelled pairs: precision and recall on held-out pairs.

The pairs (`bench/data/duplicate_pairs.jsonl`) are split in two halves, stratified by kind:
weights are fitted on the `tune` half and reported on the `test` half, which the fitting never
sees. The figures printed for "deskroute" are those of the weights the code ships
(`deskroute.intake.similarity`); `--fit` prints weights refitted on the tune half, to paste
there. Five-fold cross-validation over all pairs (refitted per fold) gives a second estimate.

    uv run python bench/duplicates.py [--fit] [--json]
"""

from __future__ import annotations

import argparse
import json
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold

from deskroute.intake.normalize import normalize_body
from deskroute.intake.similarity import (
    THRESHOLD,
    Fingerprint,
    duplicate_score,
    fingerprint,
    pair_features,
    verbatim,
)

PAIRS = Path(__file__).parent / "data" / "duplicate_pairs.jsonl"
C = 10.0
TARGET_PRECISION = 0.95


def load() -> list[dict[str, Any]]:
    return [json.loads(line) for line in PAIRS.read_text(encoding="utf-8").splitlines() if line]


def split(pairs: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Alternate pairs of each kind (in id order) between the tune and the test half."""
    by_kind: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for pair in pairs:
        by_kind[pair["kind"]].append(pair)
    tune, test = [], []
    for kind in sorted(by_kind):
        for i, pair in enumerate(sorted(by_kind[kind], key=lambda p: p["id"])):
            (tune if i % 2 == 0 else test).append(pair)
    return tune, test


def _print(side: dict[str, str]) -> Fingerprint:
    is_email = side["channel"] == "email"
    return fingerprint(
        subject=side["subject"],
        body=normalize_body(side["body"], is_email=is_email),
        raw_body=side["body"],
        is_email=is_email,
    )


def prints(pair: dict[str, Any]) -> tuple[Fingerprint, Fingerprint]:
    return _print(pair["first"]), _print(pair["second"])


def _rule(old: Fingerprint, new: Fingerprint) -> float | None:
    """The decisions made before the weights (as in `duplicate_score`)."""
    if new.new_issue:
        return 0.0
    if verbatim(old, new):
        return 1.0
    if not old.trigrams or not new.trigrams:
        return 0.0
    return None


def fit(pairs: list[dict[str, Any]]) -> tuple[list[str], LogisticRegression]:
    """Weights for the pairs the rules leave open."""
    names = list(pair_features(*prints(pairs[0])))
    rows, labels = [], []
    for pair in pairs:
        old, new = prints(pair)
        if _rule(old, new) is None:
            rows.append([pair_features(old, new)[n] for n in names])
            labels.append(pair["label"] == "duplicate")
    model = LogisticRegression(C=C, max_iter=2000).fit(np.array(rows), np.array(labels))
    return names, model


def fitted_score(names: list[str], model: LogisticRegression, pair: dict[str, Any]) -> float:
    old, new = prints(pair)
    decided = _rule(old, new)
    if decided is not None:
        return decided
    features = pair_features(old, new)
    return float(model.predict_proba(np.array([[features[n] for n in names]]))[0, 1])


def shipped_score(pair: dict[str, Any]) -> float:
    return duplicate_score(*prints(pair))


def figures(pairs: list[dict[str, Any]], scores: list[float], threshold: float) -> dict[str, Any]:
    tp = fp = fn = 0
    missed: Counter[str] = Counter()
    false_links: Counter[str] = Counter()
    for pair, score in zip(pairs, scores, strict=True):
        said, truth = score >= threshold, pair["label"] == "duplicate"
        tp += said and truth
        fp += said and not truth
        fn += truth and not said
        if truth and not said:
            missed[pair["kind"]] += 1
        if said and not truth:
            false_links[pair["kind"]] += 1
    return {
        "pairs": len(pairs),
        "precision": round(tp / (tp + fp), 3) if tp + fp else 1.0,
        "recall": round(tp / (tp + fn), 3) if tp + fn else 1.0,
        "true_links": tp,
        "false_links": fp,
        "missed": fn,
        "missed_by_kind": dict(missed),
        "false_links_by_kind": dict(false_links),
    }


def cross_validate(pairs: list[dict[str, Any]], threshold: float) -> dict[str, Any]:
    labels = [p["label"] == "duplicate" for p in pairs]
    folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=7)
    scores = [0.0] * len(pairs)
    for train, held in folds.split(np.zeros(len(pairs)), labels):
        names, model = fit([pairs[i] for i in train])
        for i in held:
            scores[i] = fitted_score(names, model, pairs[i])
    return figures(pairs, scores, threshold)


def tune_threshold(pairs: list[dict[str, Any]]) -> float:
    """The lowest threshold whose cross-validated precision on the tune half meets the target."""
    labels = [p["label"] == "duplicate" for p in pairs]
    folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=7)
    scores = [0.0] * len(pairs)
    for train, held in folds.split(np.zeros(len(pairs)), labels):
        names, model = fit([pairs[i] for i in train])
        for i in held:
            scores[i] = fitted_score(names, model, pairs[i])
    for threshold in np.arange(0.5, 0.96, 0.05):
        if figures(pairs, scores, float(threshold))["precision"] >= TARGET_PRECISION:
            return round(float(threshold), 2)
    return 0.95


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fit", action="store_true", help="Print weights fitted on the tune half.")
    parser.add_argument("--json", action="store_true", help="Print one JSON object.")
    args = parser.parse_args()
    pairs = load()
    tune, test = split(pairs)
    if args.fit:
        names, model = fit(tune)
        weights = {n: round(float(w), 3) for n, w in zip(names, model.coef_[0], strict=True)}
        print(
            json.dumps(
                {
                    "weights": weights,
                    "bias": round(float(model.intercept_[0]), 3),
                    "threshold": tune_threshold(tune),
                },
                indent=2,
            )
        )
        return
    result = {
        "labelled_pairs": len(pairs),
        "kinds": dict(Counter(f"{p['label']}:{p['kind']}" for p in pairs)),
        "threshold": THRESHOLD,
        "shipped_weights_on_test_half": figures(test, [shipped_score(p) for p in test], THRESHOLD),
        "shipped_weights_on_tune_half": figures(tune, [shipped_score(p) for p in tune], THRESHOLD),
        "five_fold_cv_all_pairs": cross_validate(pairs, THRESHOLD),
    }
    if args.json:
        print(json.dumps(result))
        return
    for name, value in result.items():
        print(f"{name}: {json.dumps(value)}")


if __name__ == "__main__":
    main()
