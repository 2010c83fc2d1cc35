"""The fixed evaluation set: every version is judged on the same rows, kept in the store.

By default the set is a held-out split of the first registered training data, stratified by
category and keyed by each text's hash, so that it does not depend on the rows' order; a
labelled file (`--eval`, or `evaluation.file` in policies/models.yaml) may stand instead.
Texts of the set are never trained on, whatever data a later version trains on.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlmodel import Session

from deskroute.classify.data import load_labelled
from deskroute.classify.local import data_digest
from deskroute.registry.context import Registry
from deskroute.registry.labels import text_key
from deskroute.store import registry as store
from deskroute.store.db import transaction
from deskroute.store.tables import EvalSet
from deskroute.store.types import utcnow

KEEP_FOR_TRAINING = 2
"""Rows of each category a split never takes (training needs two of each)."""


@dataclass(frozen=True)
class EvalRows:
    id: int
    digest: str
    kind: str
    source: str
    texts: list[str]
    labels: list[str]

    @property
    def keys(self) -> frozenset[str]:
        return frozenset(text_key(text) for text in self.texts)

    @classmethod
    def of(cls, row: EvalSet) -> EvalRows:
        if row.id is None:
            raise ValueError("an evaluation set that was never stored")
        return cls(
            id=row.id,
            digest=row.digest,
            kind=row.kind,
            source=row.source,
            texts=[text for text, _label in row.examples],
            labels=[label for _text, label in row.examples],
        )


def holdout_split(
    texts: Sequence[str], labels: Sequence[str], share: float
) -> list[tuple[str, str]]:
    """`share` of each category's distinct texts, chosen by their hash (the same rows
    whatever order the data comes in), leaving at least two of each for training."""
    by_label: dict[str, dict[str, str]] = {}
    for text, label in zip(texts, labels, strict=True):
        by_label.setdefault(label, {}).setdefault(text_key(text), text)
    held = []
    for label in sorted(by_label):
        keyed = by_label[label]
        count = min(round(share * len(keyed)), max(len(keyed) - KEEP_FOR_TRAINING, 0))
        ranked = sorted(keyed, key=lambda key: hashlib.sha256(key.encode()).hexdigest())
        held += [(keyed[key], label) for key in ranked[:count]]
    return held


def _keep(registry: Registry, kind: str, source: str, rows: list[tuple[str, str]]) -> EvalRows:
    digest = data_digest([t for t, _ in rows], [label for _, label in rows])
    with transaction(registry.engine) as session:
        row = store.keep_eval_set(
            session,
            kind=kind,
            source=source,
            digest=digest,
            examples=[[text, label] for text, label in rows],
            now=utcnow(),
        )
        return EvalRows.of(row)


def from_file(registry: Registry, path: Path, *, text_col: str, label_col: str) -> EvalRows:
    labelled = load_labelled(path, text_col=text_col, label_col=label_col)
    rows = list(zip(labelled.texts, labelled.labels, strict=True))
    return _keep(registry, "file", str(path), rows)


def choose(
    registry: Registry,
    *,
    eval_file: Path | None,
    text_col: str,
    label_col: str,
    base: tuple[list[str], list[str]],
    source: str,
    new_split: bool = False,
    reuse: int | None = None,
) -> EvalRows:
    """`eval_file` (read with the training data's columns), else the policy's file, else the
    stored set `reuse` (the one the version being retrained was judged on), else the newest
    held-out split (made from `base` when there is none or `new_split` asks)."""
    if eval_file is not None:
        return from_file(registry, eval_file, text_col=text_col, label_col=label_col)
    policy = registry.policy.evaluation
    if (configured := policy.path(registry.policies_dir)) is not None:
        return from_file(registry, configured, text_col=policy.text_col, label_col=policy.label_col)
    if reuse is not None and not new_split:
        return stored(registry, reuse)
    if not new_split:
        with Session(registry.engine) as session:
            if (held := store.latest_holdout(session)) is not None:
                return EvalRows.of(held)
    split = holdout_split(*base, policy.holdout)
    return _keep(registry, "holdout", f"{policy.holdout:.0%} of {source}", split)


def stored(registry: Registry, eval_set_id: int) -> EvalRows:
    with Session(registry.engine) as session:
        row = store.eval_set(session, id=eval_set_id)
    if row is None:
        raise LookupError(f"evaluation set {eval_set_id} is missing from the store")
    return EvalRows.of(row)
