"""Training rows from base data plus reviewers' labels (corrections and confirmations).

The same ticket text may be labelled many times: in the base data, by reviewers, and by a
lead settling a dispute. Texts are compared normalised (case and spacing ignored). For each
text, every reviewer's latest label counts; a lead's settlement overrides every label given
before it and then counts as one more voice. When the voices agree, that label replaces the
base data's label(s) for the text, once, with a higher sample weight. When they disagree,
the text is left out of training altogether and listed for a lead to settle: a model should
learn neither side of an open dispute, and a silent "last one wins" would hide it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from pydantic import BaseModel, ConfigDict

from deskroute.classify.local import CorrectionsUsed


def normalise(text: str) -> str:
    return " ".join(text.casefold().split())


def text_key(text: str) -> str:
    """A short stable name for a normalised text (conflicts and settlements are named by it)."""
    return hashlib.sha256(normalise(text).encode()).hexdigest()[:12]


@dataclass(frozen=True)
class ReviewerLabel:
    """A correction or confirmation from a review."""

    id: int
    text: str
    category: str
    reviewer: str
    at: datetime


@dataclass(frozen=True)
class Settlement:
    """A lead's label for a disputed text."""

    key: str
    category: str
    by: str
    at: datetime


class Conflict(BaseModel):
    """A text reviewers gave different labels, not yet settled by a lead."""

    model_config = ConfigDict(frozen=True)

    key: str
    text: str
    labels: dict[str, str]
    """Each voice's latest label: reviewer (or `lead:NAME`) -> category."""
    correction_ids: list[int]
    newest_at: datetime


@dataclass(frozen=True)
class Reviewed:
    """Where a reviewer-labelled row comes from."""

    ids: tuple[int, ...]
    """The corrections whose label it carries (each agreeing voice's latest)."""
    newest_at: datetime


@dataclass(frozen=True)
class TrainingRows:
    texts: list[str]
    labels: list[str]
    weights: list[float]
    reviewed: list[Reviewed | None]
    """Per row: the reviewers' labels behind it, None for a base-data row."""
    base_rows: int
    """Base-data rows kept as they were (the counts are the merge's, before `subset`)."""
    overridden: int
    """Base-data rows whose text a reviewer labelled (replaced by one weighted row each)."""
    added: int
    """Reviewers' labels for texts the base data does not have."""
    dropped: int
    """Base-data rows left out because their text is disputed."""
    conflicts: list[Conflict]
    through_id: int
    """The newest correction there was."""
    settled_through: datetime | None
    weight: float

    @property
    def used(self) -> CorrectionsUsed:
        """The reviewers' labels in these rows."""
        rows = [r for r in self.reviewed if r is not None]
        return CorrectionsUsed(
            count=len(rows),
            ids=sorted(i for r in rows for i in r.ids),
            newest_at=max((r.newest_at for r in rows), default=None),
            through_id=self.through_id,
            settled_through=self.settled_through,
            weight=self.weight,
            conflicts=len(self.conflicts),
        )

    def subset(self, keep: Sequence[int]) -> TrainingRows:
        """Only the rows at `keep` (the others set aside for training)."""
        return replace(
            self,
            texts=[self.texts[i] for i in keep],
            labels=[self.labels[i] for i in keep],
            weights=[self.weights[i] for i in keep],
            reviewed=[self.reviewed[i] for i in keep],
        )


@dataclass(frozen=True)
class _Voice:
    category: str
    at: datetime
    correction_id: int | None


def _voices(group: list[ReviewerLabel], settlement: Settlement | None) -> dict[str, _Voice]:
    """Each voice's latest label, ignoring labels given before the settlement."""
    voices: dict[str, _Voice] = {}
    if settlement is not None:
        voices[f"lead:{settlement.by}"] = _Voice(settlement.category, settlement.at, None)
    for label in sorted(group, key=lambda item: (item.at, item.id)):
        if settlement is None or label.at > settlement.at:
            voices[label.reviewer] = _Voice(label.category, label.at, label.id)
    return voices


def merge_labels(
    base_texts: Sequence[str],
    base_labels: Sequence[str],
    reviewed: Sequence[ReviewerLabel],
    settlements: Sequence[Settlement] = (),
    *,
    weight: float,
) -> TrainingRows:
    """Base rows with reviewers' labels applied (see the module's docstring); every
    reviewer-labelled text appears once, weighted `weight`, base rows weigh 1."""
    groups: dict[str, list[ReviewerLabel]] = {}
    for item in reviewed:
        groups.setdefault(text_key(item.text), []).append(item)
    settled = {s.key: s for s in settlements}
    agreed: dict[str, tuple[str, str, Reviewed]] = {}
    """key -> (text, category, provenance)."""
    conflicts: list[Conflict] = []
    # Texts in the order they were last labelled, so that the same labels give the same rows.
    for key in sorted(groups, key=lambda k: max(item.id for item in groups[k])):
        group = groups[key]
        voices = _voices(group, settled.get(key))
        categories = {voice.category for voice in voices.values()}
        newest = max(voice.at for voice in voices.values())
        text = group[-1].text
        if len(categories) > 1:
            conflicts.append(
                Conflict(
                    key=key,
                    text=text,
                    labels={name: voice.category for name, voice in sorted(voices.items())},
                    correction_ids=sorted(item.id for item in group),
                    newest_at=newest,
                )
            )
            continue
        ids = tuple(v.correction_id for v in voices.values() if v.correction_id is not None)
        agreed[key] = (text, categories.pop(), Reviewed(ids=tuple(sorted(ids)), newest_at=newest))
    disputed = {conflict.key for conflict in conflicts}
    texts: list[str] = []
    labels: list[str] = []
    weights: list[float] = []
    provenance: list[Reviewed | None] = []
    kept = overridden = dropped = 0
    placed: set[str] = set()
    for text, label in zip(base_texts, base_labels, strict=True):
        key = text_key(text)
        if key in disputed:
            dropped += 1
        elif key in agreed:
            overridden += 1
            if key not in placed:
                placed.add(key)
                texts.append(text)
                labels.append(agreed[key][1])
                weights.append(weight)
                provenance.append(agreed[key][2])
        else:
            kept += 1
            texts.append(text)
            labels.append(label)
            weights.append(1.0)
            provenance.append(None)
    added = 0
    for key, (text, category, source) in agreed.items():
        if key not in placed:
            added += 1
            texts.append(text)
            labels.append(category)
            weights.append(weight)
            provenance.append(source)
    return TrainingRows(
        texts=texts,
        labels=labels,
        weights=weights,
        reviewed=provenance,
        base_rows=kept,
        overridden=overridden,
        added=added,
        dropped=dropped,
        conflicts=sorted(conflicts, key=lambda c: c.newest_at),
        through_id=max((item.id for item in reviewed), default=0),
        settled_through=max((s.at for s in settlements), default=None),
        weight=weight,
    )


def has_new_labels(
    used: CorrectionsUsed | None,
    reviewed: Sequence[ReviewerLabel],
    settlements: Sequence[Settlement] = (),
) -> bool:
    """Whether any correction or settlement came after those a model was trained with."""
    if used is None:
        return bool(reviewed) or bool(settlements)
    if any(label.id > used.through_id for label in reviewed):
        return True
    return any(used.settled_through is None or s.at > used.settled_through for s in settlements)
