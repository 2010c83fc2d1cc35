"""The paired bootstrap: exact for the mean difference, reproducible, and wide where the two
models disagree on few rows."""

from __future__ import annotations

import numpy as np
import pytest

from deskroute.registry.bootstrap import paired_bootstrap


def _pairs(
    wins: int, losses: int, ties_right: int, ties_wrong: int
) -> tuple[list[bool], list[bool]]:
    candidate = [True] * wins + [False] * losses + [True] * ties_right + [False] * ties_wrong
    current = [False] * wins + [True] * losses + [True] * ties_right + [False] * ties_wrong
    return candidate, current


def test_identical_models_differ_by_exactly_nothing() -> None:
    candidate, current = _pairs(0, 0, 80, 20)
    interval = paired_bootstrap(candidate, current)
    assert (interval.difference, interval.low, interval.high) == (0.0, 0.0, 0.0)
    assert interval.rows == 100


def test_a_clear_gain_lies_above_zero_and_a_small_one_straddles_it() -> None:
    clear = paired_bootstrap(*_pairs(40, 2, 150, 8))
    assert clear.low > 0 and clear.difference == pytest.approx(38 / 200)
    noise = paired_bootstrap(*_pairs(3, 2, 90, 5))
    assert noise.low < 0 < noise.high
    assert (noise.candidate_only, noise.current_only) == (3, 2)


def test_same_seed_same_interval_and_it_matches_resampling_rows() -> None:
    candidate, current = _pairs(30, 18, 400, 52)
    first = paired_bootstrap(candidate, current, resamples=4000, seed=7)
    assert first == paired_bootstrap(candidate, current, resamples=4000, seed=7)
    rng = np.random.default_rng(1)
    d = np.asarray(candidate, dtype=int) - np.asarray(current, dtype=int)
    means = d[rng.integers(0, len(d), size=(4000, len(d)))].mean(axis=1)
    low, high = np.quantile(means, [0.025, 0.975])
    assert first.low == pytest.approx(low, abs=0.006)
    assert first.high == pytest.approx(high, abs=0.006)


def test_rows_must_pair() -> None:
    with pytest.raises(ValueError, match="differ in number"):
        paired_bootstrap([True, False], [True])
    assert paired_bootstrap([], []).rows == 0
