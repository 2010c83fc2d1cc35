"""Schema migrations, on SQLite and PostgreSQL: a store made by the release before versioning
is refused until `db upgrade`, which keeps every record; an empty store starts at head; the
models and the migrated schema agree, so a table changed without a revision fails here."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from helpers import release_sqlite_store, restore_release_postgres_store
from sqlalchemy import Engine, inspect, text
from sqlmodel import Session, SQLModel

from deskroute.errors import StoreSchemaError
from deskroute.models.outcome_query import OutcomeQuery
from deskroute.store.db import make_engine, open_engine, store_status, upgrade_store
from deskroute.store.outcomes import list_outcomes
from deskroute.store.schema import HEAD, VERSION_TABLE, alembic_config


@pytest.fixture(params=["sqlite", "postgresql"])
def release_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The URL of a store made by the release before schema versioning, on each database."""
    if request.param == "sqlite":
        yield release_sqlite_store(tmp_path)
    else:
        url = request.getfixturevalue("postgres_url")
        restore_release_postgres_store(url)
        yield url


def _execute(url: str, *statements: str) -> None:
    engine = open_engine(url)
    try:
        with engine.begin() as connection:
            for statement in statements:
                connection.execute(text(statement))
    finally:
        engine.dispose()


def _counts(url: str) -> dict[str, int]:
    """Rows per table, every table but Alembic's."""
    engine = open_engine(url)
    try:
        with engine.connect() as connection:
            names = sorted(set(inspect(connection).get_table_names()) - {VERSION_TABLE})
            count = "SELECT count(*) FROM {}"
            return {n: connection.execute(text(count.format(n))).scalar_one() for n in names}
    finally:
        engine.dispose()


def _scalar(url: str, query: str) -> int:
    engine = open_engine(url)
    try:
        with engine.connect() as connection:
            return int(connection.execute(text(query)).scalar_one())
    finally:
        engine.dispose()


def _indexes(url: str, table: str) -> set[str]:
    engine = open_engine(url)
    try:
        return {str(index["name"]) for index in inspect(engine).get_indexes(table)}
    finally:
        engine.dispose()


def _diff(engine: Engine) -> list[Any]:
    """What Alembic's autogenerate would write to make the store match the models."""
    with engine.connect() as connection:
        context = MigrationContext.configure(
            connection,
            opts={"include_name": lambda name, kind, _: kind != "table" or name != VERSION_TABLE},
        )
        return list(compare_metadata(context, SQLModel.metadata))


def test_head_names_alembics_newest_revision() -> None:
    assert ScriptDirectory.from_config(alembic_config()).get_current_head() == HEAD


def test_a_release_store_is_refused_then_upgraded_with_every_record(release_store: str) -> None:
    held = _counts(release_store)
    assert held["outcomes"] >= 19 and held["actions"] == 11 and held["credits"] == 1
    assert held["tickets"] == held["outcomes"] and held["customers"] == 24
    with pytest.raises(StoreSchemaError, match='before schema versioning: run "deskroute db up'):
        make_engine(release_store)
    assert _counts(release_store) == held

    done = upgrade_store(release_store)

    assert (done.before.state, done.before.current) == ("unversioned", None)
    assert (done.after.state, done.after.current) == ("current", HEAD)
    after = _counts(release_store)
    assert {name: after[name] for name in held} == held
    # 0002: the release's escalated tickets wait in the review queue, nothing else is new
    escalated = _scalar(release_store, "SELECT count(*) FROM tickets WHERE status = 'escalated'")
    assert escalated >= 10 and after["escalations"] == escalated
    assert {name for name, n in after.items() if n and name not in held} == {"escalations"}
    engine = make_engine(release_store)
    try:
        assert _diff(engine) == []
        with Session(engine) as session:
            total, records = list_outcomes(session, query=OutcomeQuery(limit=1000))
        assert total == len(records) == held["outcomes"]
        assert len({r.ticket_id for r in records}) == held["tickets"]
    finally:
        engine.dispose()


def test_upgrading_twice_changes_nothing(release_store: str) -> None:
    upgrade_store(release_store)
    held = _counts(release_store)

    again = upgrade_store(release_store)

    assert again.before == again.after and again.after.current == HEAD
    assert _counts(release_store) == held


def test_a_store_made_before_the_scoped_requests_gains_their_tables(release_store: str) -> None:
    """Person erasures and API key revocations came in a later release, which created their
    tables when it opened an older store: the upgrade adds them and keeps what it held."""
    _execute(release_store, "DROP TABLE person_erasures", "DROP TABLE api_key_revocations")
    held = _counts(release_store)

    upgrade_store(release_store)

    after = _counts(release_store)
    assert {name: after[name] for name in [*held, "person_erasures", "api_key_revocations"]} == {
        **held,
        "person_erasures": 0,
        "api_key_revocations": 0,
    }
    engine = make_engine(release_store)
    try:
        assert _diff(engine) == []
    finally:
        engine.dispose()


def test_a_table_missing_a_column_is_refused_and_nothing_changes(release_store: str) -> None:
    _execute(
        release_store,
        "DROP TABLE person_erasures",
        "DROP INDEX ix_actions_status",
        "ALTER TABLE tickets DROP COLUMN category",
    )
    held = _counts(release_store)

    with pytest.raises(StoreSchemaError, match="table tickets lacks the columns category"):
        upgrade_store(release_store)

    assert _counts(release_store) == held  # person_erasures was not created either
    assert "ix_actions_status" not in _indexes(release_store, "actions")
    assert store_status(release_store).state == "unversioned"


def test_an_empty_store_is_created_at_head_and_matches_the_models(database_url: str) -> None:
    assert store_status(database_url).state == "empty"

    engine = make_engine(database_url)

    try:
        assert store_status(database_url).current == HEAD
        assert _diff(engine) == []
    finally:
        engine.dispose()


def test_a_store_upgraded_by_a_newer_release_is_refused(database_url: str) -> None:
    make_engine(database_url).dispose()
    _execute(database_url, f"UPDATE {VERSION_TABLE} SET version_num = '9999'")

    with pytest.raises(StoreSchemaError, match="at 9999, which this release does not know"):
        make_engine(database_url)
    with pytest.raises(StoreSchemaError, match="a newer DeskRoute upgraded it"):
        upgrade_store(database_url)
    assert store_status(database_url).state == "unknown"


def test_processes_opening_an_empty_store_together_all_find_it_at_head(
    database_url: str,
) -> None:
    probe = "import sys; from deskroute.store.db import make_engine; make_engine(sys.argv[1])"
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", probe, database_url], stderr=subprocess.PIPE, text=True
        )
        for _ in range(3)
    ]
    for process in processes:
        _, errors = process.communicate(timeout=120)
        assert process.returncode == 0, errors
    assert store_status(database_url).current == HEAD


def test_opening_a_store_at_head_does_not_load_alembic(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'store.db'}"
    make_engine(url).dispose()
    probe = (
        "import sys; from deskroute.store.db import make_engine; make_engine(sys.argv[1]); "
        "print(sorted(m for m in sys.modules if m.partition('.')[0] == 'alembic'))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe, url], capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "[]"


def test_the_upgrade_fills_the_analytics_columns_from_the_stored_records(
    release_store: str,
) -> None:
    """0006: each outcome's channel (its ticket's), language, tier (its customer's) and model
    version, from what the store held; every ticket's routing counted once."""
    upgrade_store(release_store)
    engine = open_engine(release_store)
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                text(
                    "SELECT o.record, o.reviewed, o.channel, o.language, o.tier, o.model_version,"
                    " o.llm_calls, t.channel, c.tier FROM outcomes o"
                    " JOIN tickets t ON t.id = o.ticket_id"
                    " LEFT JOIN customers c ON c.id = t.customer_id"
                )
            ).all()
    finally:
        engine.dispose()
    assert len(rows) >= 19
    versions = set()
    for record, reviewed, channel, language, tier, version, calls, ticket_channel, crm in rows:
        if isinstance(record, str):  # SQLite hands JSON back as text through `text()`
            record = json.loads(record)
        assert (reviewed, channel, language, calls) == (
            False,
            ticket_channel,
            record["language"],
            0,
        )
        assert tier == crm and version == record["classifier"]["model_version"]
        versions.add(version)
    assert any(v is not None for v in versions)
