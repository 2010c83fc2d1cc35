"""The hand-made history (`tests/handmade_history.py`) written once per module on each
database, since the tests only read it."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import psycopg
import pytest
from handmade_history import write_history
from sqlalchemy import Engine, make_url

from deskroute.store.db import make_engine

POSTGRES_URL = os.environ.get(
    "DESKROUTE_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def history(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Engine]:
    """A store holding the hand-made history, on each supported database in turn."""
    if request.param == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('history') / 'store.db'}")
        write_history(engine)
        yield engine
        engine.dispose()
        return
    url = make_url(POSTGRES_URL)
    try:
        admin = psycopg.connect(
            url.set(drivername="postgresql").render_as_string(hide_password=False),
            autocommit=True,
            connect_timeout=3,
        )
    except psycopg.OperationalError as exc:
        pytest.skip(f"PostgreSQL not reachable at {url.host}:{url.port} ({exc})")
    schema = f"test_{uuid.uuid4().hex[:12]}"
    with admin:
        admin.execute(f"CREATE SCHEMA {schema}")
        try:
            engine = make_engine(
                url.update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(
                    hide_password=False
                )
            )
            write_history(engine)
            yield engine
            engine.dispose()
        finally:
            admin.execute(f"DROP SCHEMA {schema} CASCADE")
