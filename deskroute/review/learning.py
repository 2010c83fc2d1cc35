"""The learning order: which escalations teach the model most once a person labels them.

Pure and typed (tickets and a model in, a ranking out), so the review queue and
`bench/learning_loop.py`, which simulates a reviewer working the queue, rank the same way.

Three signals, each in [0, 1], weighed into one score:
- uncertainty: 1 - the margin between the model's two best categories (a label on a close
  call moves the boundary; a label on a sure one repeats what the model knows);
- scarcity: how few training examples the scarcer of those two categories has, against the
  model's median category;
- density: how many other pending tickets are alike (cosine similarity of the model's own word
  n-gram TF-IDF view), so a representative of a big cluster teaches about all of it.
Ranked greedily: a ticket like one already ranked loses its density and a redundancy penalty,
so the first page is not twenty copies of one question.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from deskroute.classify.linear import NgramView
from deskroute.classify.local import LocalModel

UNCERTAINTY_WEIGHT = 0.5
SCARCITY_WEIGHT = 0.25
DENSITY_WEIGHT = 0.25
REDUNDANCY_PENALTY = 0.25
"""Taken off a ticket like one ranked before it (besides its density)."""
SIMILAR = 0.5
"""Cosine similarity of two tickets' word n-gram TF-IDF vectors at which they count as alike."""
_BLOCK = 1024
"""Rows of the similarity matrix computed at once: memory stays at a block by all tickets."""


@dataclass(frozen=True)
class LearningItem:
    """A ticket waiting for a person: its key (the ticket id) and its text."""

    key: str
    text: str


class ScoredItem(BaseModel):
    """A ticket's place in the learning order, with what put it there."""

    model_config = ConfigDict(frozen=True)

    key: str
    rank: int = Field(description="1 for the ticket to review first.")
    score: float = Field(description="Higher teaches more (after the redundancy penalty).")
    top: str = Field(description="The model's best category.")
    runner_up: str | None
    margin: float = Field(description="Probability of the best minus that of the runner-up.")
    scarce_category: str = Field(description="The one of the two with fewer training examples.")
    examples: int = Field(description="Training examples of `scarce_category`.")
    similar: int = Field(description="Other tickets in the ranking alike to this one.")
    like: str | None = Field(description="A ticket ranked before this one that it is alike to.")
    reason: str = Field(description="The above in a sentence, for a reviewer.")


def _word_view(model: LocalModel) -> NgramView:
    views = model.model.views
    return next((v for v in views if v.analyzer == "word"), views[0])


def _neighbours(model: LocalModel, texts: Sequence[str]) -> list[np.ndarray]:
    """For each text, the indices of the other texts alike to it."""
    x = _word_view(model).matrix(texts)
    found: list[np.ndarray] = []
    for start in range(0, len(texts), _BLOCK):
        block = (x[start : start + _BLOCK] @ x.T).tocsr()
        for row in range(block.shape[0]):
            cols = block.indices[block.indptr[row] : block.indptr[row + 1]]
            values = block.data[block.indptr[row] : block.indptr[row + 1]]
            found.append(np.sort(cols[(values >= SIMILAR) & (cols != start + row)]))
    return found


def _reason(item: ScoredItem) -> str:
    if item.runner_up is None:
        parts = [f"only {item.top} is possible"]
    else:
        parts = [f"margin {item.margin:.2f} between {item.top} and {item.runner_up}"]
    if item.similar:
        parts.append(f"{item.similar} similar pending")
    if item.like is not None:
        parts.append(f"like {item.like}, ranked earlier")
    parts.append(f"'{item.scarce_category}' has {item.examples} examples")
    return "; ".join(parts)


def learning_order(items: Sequence[LearningItem], model: LocalModel) -> list[ScoredItem]:
    """`items` ranked so that labelling them in this order teaches `model` most; ties keep
    the order they came in (give them oldest first)."""
    if not items:
        return []
    texts = [item.text for item in items]
    proba = model.model.predict_proba(texts)
    classes = model.model.classes
    counts = model.meta.label_counts
    median = float(np.median([counts.get(c, 0) for c in classes])) or 1.0
    neighbours = _neighbours(model, texts)
    most_alike = max(len(n) for n in neighbours)
    order = np.argsort(-proba, axis=1, kind="stable")
    base: list[ScoredItem] = []
    for i, item in enumerate(items):
        best = int(order[i, 0])
        second = int(order[i, 1]) if len(classes) > 1 else None
        margin = float(proba[i, best] - (proba[i, second] if second is not None else 0.0))
        pair = [classes[best]] + ([classes[second]] if second is not None else [])
        scarce = min(pair, key=lambda c: (counts.get(c, 0), pair.index(c)))
        examples = counts.get(scarce, 0)
        similar = len(neighbours[i])
        density = math.log1p(similar) / math.log1p(most_alike) if most_alike else 0.0
        score = (
            UNCERTAINTY_WEIGHT * (1.0 - margin)
            + SCARCITY_WEIGHT * median / (median + examples)
            + DENSITY_WEIGHT * density
        )
        base.append(
            ScoredItem(
                key=item.key,
                rank=0,
                score=score,
                top=classes[best],
                runner_up=classes[second] if second is not None else None,
                margin=margin,
                scarce_category=scarce,
                examples=examples,
                similar=similar,
                like=None,
                reason="",
            )
        )
    return _greedy(base, neighbours, most_alike)


def _greedy(
    base: list[ScoredItem], neighbours: list[np.ndarray], most_alike: int
) -> list[ScoredItem]:
    """Best score first; a ticket alike to one already ranked is put back with its density
    taken off and the redundancy penalty, once."""
    heap = [(-item.score, i) for i, item in enumerate(base)]
    heapq.heapify(heap)
    ranked: list[ScoredItem] = []
    placed: dict[int, str] = {}
    demoted: set[int] = set()
    while heap:
        negative, i = heapq.heappop(heap)
        earlier = next((placed[int(j)] for j in neighbours[i] if int(j) in placed), None)
        if earlier is not None and i not in demoted:
            demoted.add(i)
            density = math.log1p(len(neighbours[i])) / math.log1p(most_alike)
            lowered = -negative - DENSITY_WEIGHT * density - REDUNDANCY_PENALTY
            heapq.heappush(heap, (-lowered, i))
            continue
        item = base[i].model_copy(
            update={"rank": len(ranked) + 1, "score": round(-negative, 4), "like": earlier}
        )
        ranked.append(item.model_copy(update={"reason": _reason(item)}))
        placed[i] = item.key
    return ranked
