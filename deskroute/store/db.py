"""Engine creation: SQLite (WAL) by default, any SQLAlchemy URL (PostgreSQL) by setting."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from pydantic import BaseModel
from sqlalchemy import Engine, create_engine, event, make_url, text
from sqlalchemy.exc import ArgumentError, NoSuchModuleError
from sqlmodel import Session

from deskroute.errors import ConfigError, StoreSchemaError
from deskroute.store.schema import (
    SchemaStatus,
    SchemaUpgrade,
    require_current,
    schema_status,
    upgrade_schema,
)


def _sqlite_pragmas(dbapi_conn: sqlite3.Connection, _record: object) -> None:
    cursor = dbapi_conn.cursor()
    # WAL + synchronous=NORMAL: a commit survives a process crash; only an OS crash can lose
    # the last transactions, which is the usual trade for a service database.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def _to_json(value: object) -> str:
    """JSON columns take plain data, or a pydantic model that serialises itself (the outcome
    record: several times faster than json.dumps over model_dump)."""
    if isinstance(value, BaseModel):
        return value.model_dump_json()
    return json.dumps(value)


def make_engine(url: str) -> Engine:
    """An engine on a store at this release's schema: an empty store is created at head, any
    other not at head is refused with a `StoreSchemaError` that names `deskroute db upgrade`."""
    engine = open_engine(url)
    try:
        require_current(engine)
    except StoreSchemaError:
        engine.dispose()
        raise
    return engine


def open_engine(url: str) -> Engine:
    """The engine alone, whatever the store's schema (for `deskroute db`).

    Bound parameters are customers' text: errors and logs never show them."""
    try:
        make_url(url)
    except ArgumentError as exc:
        raise ConfigError(f"not a database URL: {exc}", file="DESKROUTE_DATABASE_URL") from exc
    if url.startswith("sqlite"):
        path = url.split("///", 1)[1] if "///" in url else ""
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            url,
            connect_args={"check_same_thread": False, "timeout": 30},
            json_serializer=_to_json,
            hide_parameters=True,
        )
        event.listen(engine, "connect", _sqlite_pragmas)
    else:
        try:
            engine = create_engine(
                url, pool_pre_ping=True, json_serializer=_to_json, hide_parameters=True
            )
        except (ArgumentError, NoSuchModuleError, ImportError) as exc:
            raise ConfigError(
                f"cannot use this database URL: {exc}", file="DESKROUTE_DATABASE_URL"
            ) from exc
    return engine


def store_status(url: str) -> SchemaStatus:
    """Where the store's schema stands; the store is left as it is."""
    engine = open_engine(url)
    try:
        return schema_status(engine)
    finally:
        engine.dispose()


def upgrade_store(url: str) -> SchemaUpgrade:
    """Bring the store to this release's schema (`deskroute db upgrade`)."""
    engine = open_engine(url)
    try:
        return upgrade_schema(engine)
    finally:
        engine.dispose()


@contextmanager
def transaction(engine: Engine) -> Iterator[Session]:
    """A session whose work commits together at the end of the block, or not at all."""
    with Session(engine, expire_on_commit=False) as session:
        with session.begin():
            yield session


def ping(engine: Engine) -> None:
    """A trivial query; raises the driver's error when the store does not answer."""
    with engine.connect() as connection:
        connection.execute(text("SELECT 1"))
