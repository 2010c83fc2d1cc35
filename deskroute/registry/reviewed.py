"""Reviewers' labels as the registry reads them, the disputes among them, and a lead's
settlement of one."""

from __future__ import annotations

from sqlalchemy import Engine
from sqlmodel import Session

from deskroute.errors import BadInputError, NotFoundError
from deskroute.registry.context import Registry
from deskroute.registry.labels import (
    Conflict,
    ReviewerLabel,
    Settlement,
    merge_labels,
    text_key,
)
from deskroute.store import registry as store
from deskroute.store import reviews
from deskroute.store.db import transaction
from deskroute.store.types import utcnow

MIN_KEY = 4
"""Characters of a conflict's key enough to name it."""


def reviewer_labels(engine: Engine) -> tuple[list[ReviewerLabel], list[Settlement]]:
    """Every correction and confirmation, oldest first, and every lead's settlement."""
    with Session(engine) as session:
        corrections = reviews.list_corrections(session)
        settlements = store.list_settlements(session)
    labels = [
        ReviewerLabel(
            id=row.id,
            text=row.text,
            category=row.category,
            reviewer=row.reviewer,
            at=row.created_at,
        )
        for row in corrections
        if row.id is not None
    ]
    settled = [
        Settlement(key=row.key, category=row.category, by=row.settled_by, at=row.settled_at)
        for row in settlements
    ]
    return labels, settled


def conflicts(registry: Registry) -> list[Conflict]:
    """Texts reviewers gave different labels and no lead has settled, oldest dispute first."""
    labels, settled = reviewer_labels(registry.engine)
    return merge_labels([], [], labels, settled, weight=1.0).conflicts


def settle(registry: Registry, key: str, *, category: str, by: str) -> str:
    """Record a lead's label for a text reviewers labelled (named by its key, or the key's
    start, as `conflicts` lists it); a later settlement replaces an earlier one. The full key."""
    if len(key) < MIN_KEY:
        raise BadInputError(f"give at least {MIN_KEY} characters of the key", field="key")
    labels, _settled = reviewer_labels(registry.engine)
    texts: dict[str, list[ReviewerLabel]] = {}
    for label in labels:
        texts.setdefault(text_key(label.text), []).append(label)
    matches = [k for k in texts if k.startswith(key)]
    if not matches:
        raise NotFoundError(
            f"no reviewed text has a key starting {key!r}; see deskroute corrections conflicts"
        )
    if len(matches) > 1:
        raise BadInputError(f"{len(matches)} texts have keys starting {key!r}", field="key")
    group = texts[matches[0]]
    given = {label.category for label in group}
    if category not in given | set(registry.policies.taxonomy.categories):
        raise BadInputError(
            f"unknown category {category!r}; the reviewers chose {', '.join(sorted(given))}",
            field="category",
        )
    with transaction(registry.engine) as session:
        store.settle(
            session, key=matches[0], text=group[-1].text, category=category, by=by, now=utcnow()
        )
    return matches[0]
