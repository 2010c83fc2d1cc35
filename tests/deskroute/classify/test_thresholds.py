"""Thresholds reach the target precision on their calibration data and escalate OOS rows."""

from __future__ import annotations

import numpy as np

from deskroute.classify.thresholds import fit_thresholds


def calibration(seed: int = 0, n: int = 3000):
    """Three classes; the higher the confidence, the likelier the prediction is right."""
    rng = np.random.default_rng(seed)
    confidence = rng.uniform(0.34, 1.0, n)
    predicted = rng.integers(0, 3, n)
    right = rng.uniform(0, 1, n) < confidence
    truth = np.where(right, predicted, (predicted + 1) % 3)
    proba = np.full((n, 3), 0.0)
    proba[np.arange(n), predicted] = confidence
    proba[np.arange(n), (predicted + 1) % 3] = 1 - confidence
    return proba, truth


def routed_precision(thresholds, proba, truth, classes) -> tuple[float, float]:
    predicted, confidence = proba.argmax(1), proba.max(1)
    cut = np.array([thresholds.for_category(classes[p]) for p in predicted])
    routed = confidence >= cut
    return float((predicted[routed] == truth[routed]).mean()), float(routed.mean())


def test_global_threshold_meets_target_on_calibration_data() -> None:
    proba, truth = calibration()
    classes = ["a", "b", "c"]
    for target in (0.8, 0.9, 0.95):
        thresholds = fit_thresholds(proba, truth, classes, target)
        precision, coverage = routed_precision(thresholds, proba, truth, classes)
        assert precision >= target - 0.005, (target, precision)
        assert thresholds.expected_precision >= target - 0.005
        assert 0 < coverage < 1 and thresholds.calibration_rows == len(truth)


def test_global_cut_is_the_lowest_that_reaches_the_target() -> None:
    proba, truth = calibration(seed=1)
    thresholds = fit_thresholds(proba, truth, ["a", "b", "c"], 0.9)
    confidence, right = proba.max(1), proba.argmax(1) == truth
    assert right[confidence >= thresholds.global_threshold].mean() >= 0.9
    lower = confidence[confidence < thresholds.global_threshold].max()
    assert right[confidence >= lower].mean() < 0.9


def test_per_category_cuts_are_shrunk_towards_the_global_one() -> None:
    proba, truth = calibration(seed=2)
    thresholds = fit_thresholds(proba, truth, ["a", "b", "c"], 0.9)
    assert set(thresholds.per_category) == {"a", "b", "c"}
    for cut in thresholds.per_category.values():
        assert abs(cut - thresholds.global_threshold) < 0.1


def test_out_of_scope_rows_raise_the_cut_and_get_escalated() -> None:
    proba, truth = calibration(seed=3)
    plain = fit_thresholds(proba, truth, ["a", "b", "c"], 0.9)
    # 300 out-of-scope rows the model is fairly sure about (0.85).
    oos = np.zeros((300, 3))
    oos[:, 0], oos[:, 1] = 0.85, 0.15
    with_oos = fit_thresholds(
        np.vstack([proba, oos]), np.concatenate([truth, -np.ones(300)]), ["a", "b", "c"], 0.9
    )
    assert with_oos.oos_rows == 300
    assert with_oos.for_category("a") > plain.for_category("a")
    assert with_oos.for_category("a") > 0.85  # those rows now fall below the cut


def test_unreachable_target_routes_nothing() -> None:
    proba = np.array([[0.9, 0.1], [0.8, 0.2]])
    thresholds = fit_thresholds(proba, np.array([1, 1]), ["a", "b"], 0.99)
    assert thresholds.global_threshold > 0.9 and thresholds.expected_coverage == 0.0
