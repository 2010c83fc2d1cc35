"""The store's schema version: one cheap read on every open, Alembic only to upgrade.

Revisions live in `migrations/versions/` (how to add one: `deskroute.store.migrations`).
`HEAD` names the newest, so that opening a store compares one row instead of loading Alembic
and its scripts; a test keeps it equal to Alembic's head. An empty store is created at head
when first opened; any other store not at head is refused until `deskroute db upgrade`.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Final, Literal, cast

from pydantic import BaseModel, ConfigDict, computed_field
from sqlalchemy import Connection, Engine, inspect, text
from sqlmodel import SQLModel

from deskroute.errors import StoreSchemaError
from deskroute.store import tables  # noqa: F401 - registers the tables on the metadata

if TYPE_CHECKING:  # Alembic loads only to upgrade or to name an unknown revision
    from alembic.config import Config

HEAD: Final = "0006"
MIGRATIONS: Final = Path(__file__).with_name("migrations")
VERSION_TABLE: Final = "alembic_version"
UPGRADE_HINT: Final = 'run "deskroute db upgrade"'
# One upgrade at a time per PostgreSQL database (a transaction-level advisory lock; the key
# is "desk" in ASCII).
_PG_LOCK: Final = 0x6465736B

State = Literal["empty", "unversioned", "behind", "current", "unknown"]


class SchemaStatus(BaseModel):
    """Where a store's schema stands against this release's."""

    model_config = ConfigDict(frozen=True)

    store: str
    """The database URL, password hidden."""
    state: State
    current: str | None
    """The store's revision; None when it is empty or predates versioning."""
    head: str = HEAD

    @computed_field  # type: ignore[prop-decorator]
    @property
    def explanation(self) -> str:
        match self.state:
            case "current":
                return f"the schema is at {self.head}, this release's newest revision"
            case "empty":
                return f"the store is empty; opening it creates the schema at {self.head}"
            case "unversioned":
                return "the store was made by a release before schema versioning: " + UPGRADE_HINT
            case "behind":
                return (
                    f"the store's schema is at {self.current}, older than this release's "
                    f"{self.head}: {UPGRADE_HINT}"
                )
            case "unknown":
                return (
                    f"the store's schema is at {self.current}, which this release does not "
                    f"know (its newest is {self.head}): a newer DeskRoute upgraded it; use that "
                    "release"
                )


class SchemaUpgrade(BaseModel):
    """What `upgrade_schema` found and left."""

    model_config = ConfigDict(frozen=True)

    before: SchemaStatus
    after: SchemaStatus


def schema_status(engine: Engine) -> SchemaStatus:
    """Read the store's revision: two small queries, no Alembic unless it is not at head."""
    with engine.connect() as connection:
        names = set(inspect(connection).get_table_names())
        versions: list[str] = []
        if VERSION_TABLE in names:
            query = text(f"SELECT version_num FROM {VERSION_TABLE}")
            versions = sorted(connection.execute(query).scalars())
    store = engine.url.render_as_string(hide_password=True)
    if not versions:
        ours = names & set(SQLModel.metadata.tables)
        return SchemaStatus(store=store, state="unversioned" if ours else "empty", current=None)
    current = ",".join(versions)
    if current == HEAD:
        return SchemaStatus(store=store, state="current", current=current)
    state: State = "behind" if current in _revisions() else "unknown"
    return SchemaStatus(store=store, state=state, current=current)


def require_current(engine: Engine) -> None:
    """On opening a store: create an empty one at head; refuse any other not at head."""
    status = schema_status(engine)
    if status.state == "empty":
        _alembic_upgrade(engine)
        status = schema_status(engine)
    if status.state != "current":
        raise StoreSchemaError(status.explanation, file=status.store)


def upgrade_schema(engine: Engine) -> SchemaUpgrade:
    """Bring the store to head in one transaction, keeping every record; a store already at
    head is left untouched, one made by a newer release is refused."""
    before = schema_status(engine)
    if before.state == "unknown":
        raise StoreSchemaError(before.explanation, file=before.store)
    if before.state != "current":
        _alembic_upgrade(engine)
    after = schema_status(engine)
    if after.state != "current":  # HEAD and the revision files disagree (a test checks)
        raise StoreSchemaError(after.explanation, file=after.store)
    return SchemaUpgrade(before=before, after=after)


def alembic_config() -> Config:
    """Alembic pointed at the revisions inside the package."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS).replace("%", "%%"))
    return config


@cache
def _revisions() -> frozenset[str]:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config())
    return frozenset(revision.revision for revision in script.walk_revisions())


def _alembic_upgrade(engine: Engine) -> None:
    from alembic import command

    config = alembic_config()
    with _locked(engine) as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


@contextmanager
def _locked(engine: Engine) -> Iterator[Connection]:
    """A connection inside the one transaction the whole upgrade runs in, holding the lock
    that makes a second upgrader wait and then find the work done."""
    with engine.connect() as connection:
        if connection.dialect.name == "sqlite":
            with _sqlite_transaction(connection):
                yield connection
        else:
            with connection.begin():
                if connection.dialect.name == "postgresql":
                    lock = text("SELECT pg_advisory_xact_lock(:key)")
                    connection.execute(lock, {"key": _PG_LOCK})
                yield connection


@contextmanager
def _sqlite_transaction(connection: Connection) -> Iterator[None]:
    """pysqlite opens no transaction before DDL, and SQLite ignores `foreign_keys` inside one:
    begin it ourselves, taking the write lock at once, with foreign keys off (batch operations
    copy and rename tables), and check them before committing."""
    raw = cast(sqlite3.Connection, connection.connection.dbapi_connection)
    level = raw.isolation_level
    raw.isolation_level = None
    try:
        connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
        connection.commit()
        with connection.begin():
            connection.exec_driver_sql("BEGIN IMMEDIATE")
            yield
            broken = connection.exec_driver_sql("PRAGMA foreign_key_check").first()
            if broken is not None:
                raise StoreSchemaError(
                    f"the upgrade would leave rows of {broken[0]} pointing at missing rows of "
                    f"{broken[2]}; nothing was changed",
                    file=connection.engine.url.render_as_string(hide_password=True),
                )
    finally:
        connection.exec_driver_sql("PRAGMA foreign_keys=ON")
        connection.commit()
        raw.isolation_level = level
