"""A registry on a real SQLite store, small labelled files, and reviewers' labels written as
reviews write them (a ticket, then its correction)."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from helpers import view
from registry_support import examples, write_csv

from deskroute.policies import Policies
from deskroute.registry.context import Registry
from deskroute.settings import Settings
from deskroute.store import reviews
from deskroute.store import tickets as ticket_store
from deskroute.store.db import make_engine, transaction
from deskroute.store.tables import Correction


@pytest.fixture
def registry(tmp_path: Path, policies: Policies) -> Iterator[Registry]:
    settings = Settings(home=tmp_path / "home")
    engine = make_engine(settings.resolved_database_url)
    yield Registry.using(settings, engine, policies)
    engine.dispose()


@pytest.fixture
def any_registry(tmp_path: Path, policies: Policies, database_url: str) -> Iterator[Registry]:
    """A registry on each supported database in turn (SQLite, PostgreSQL)."""
    settings = Settings(home=tmp_path / "home", database_url=database_url)
    engine = make_engine(database_url)
    yield Registry.using(settings, engine, policies)
    engine.dispose()


@pytest.fixture
def small_data(tmp_path: Path, policies: Policies) -> Path:
    """60 labelled tickets in three categories."""
    return write_csv(tmp_path / "small.csv", examples(policies))


Label = tuple[str, str, str]
"""(text, category, reviewer)."""


@pytest.fixture
def label(registry: Registry, policies: Policies) -> Callable[..., list[int]]:
    """Store reviewers' labels, each on a ticket of its own, a minute apart; their ids."""
    clock = [datetime(2026, 12, 1, 9, tzinfo=UTC)]

    def add(*labels: Label, kind: str = "corrected") -> list[int]:
        ids = []
        with transaction(registry.engine) as session:
            for text, category, reviewer in labels:
                ticket = view(policies, body=text, customer_email="x@example.com")
                ticket = ticket.model_copy(update={"id": f"T-{uuid.uuid4().hex[:10]}"})
                ticket_store.insert_ticket(session, view=ticket, raw_body=text, meta={})
                clock[0] += timedelta(minutes=1)
                row = Correction(
                    ticket_id=ticket.id,
                    round=1,
                    text=text,
                    predicted=None,
                    confidence=None,
                    category=category,
                    kind=kind,
                    reviewer=reviewer,
                    created_at=clock[0],
                )
                reviews.add_correction(session, correction=row)
                session.flush()
                if row.id is None:
                    raise LookupError("the store gave the correction no id")
                ids.append(row.id)
        return ids

    return add
