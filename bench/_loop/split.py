"""Seeded, stratified picks: the fixed evaluation part, the pool's arrival order and the
labelled start, each taking the same share of every category."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from deskroute.classify.local import data_digest


@dataclass(frozen=True)
class Split:
    pool_texts: list[str]
    pool_labels: list[str]
    """The pool in arrival order (shuffled once)."""
    eval_texts: list[str]
    eval_labels: list[str]
    eval_set: str
    """The evaluation part's digest: every report is scored on these rows."""
    start: list[int]
    """Pool rows labelled before the first round, in arrival order."""


def stratified(
    labels: Sequence[str], share: float, rng: np.random.Generator, *, least: int = 0
) -> list[int]:
    """`share` of each category's rows (rounded, at least `least`), drawn at random."""
    rows: dict[str, list[int]] = defaultdict(list)
    for i, label in enumerate(labels):
        rows[label].append(i)
    picked: list[int] = []
    for label in sorted(rows):
        mine = rows[label]
        n = min(len(mine), max(least, round(share * len(mine))))
        picked.extend(int(i) for i in rng.permutation(mine)[:n])
    return sorted(picked)


def split(
    texts: Sequence[str], labels: Sequence[str], *, holdout: float, start: float, seed: int
) -> Split:
    """`holdout` of every category to the evaluation part, the rest to the pool, shuffled
    into a random arrival order; `start` of every category's pool rows (at least two, which
    training needs) labelled at the outset."""
    rng = np.random.default_rng(seed)
    held = set(stratified(labels, holdout, rng))
    pool = [int(i) for i in rng.permutation([i for i in range(len(texts)) if i not in held])]
    pool_labels = [labels[i] for i in pool]
    eval_rows = sorted(held)
    eval_texts, eval_labels = [texts[i] for i in eval_rows], [labels[i] for i in eval_rows]
    return Split(
        pool_texts=[texts[i] for i in pool],
        pool_labels=pool_labels,
        eval_texts=eval_texts,
        eval_labels=eval_labels,
        eval_set=data_digest(eval_texts, eval_labels),
        start=stratified(pool_labels, start, rng, least=2),
    )
