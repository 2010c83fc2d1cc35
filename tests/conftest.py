"""Shared fixtures: an isolated DeskRoute home per test, the demo model trained once."""

from __future__ import annotations

import os
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import make_url

from deskroute.classify.demo import ensure_demo_model
from deskroute.cli import render
from deskroute.cli.main import main
from deskroute.policies import Policies, load_policies
from deskroute.runtime import Workspace, open_workspace
from deskroute.settings import PROJECT_ROOT, Settings

SHARED = PROJECT_ROOT.parent / "shared"
POSTGRES_URL = os.environ.get(
    "DESKROUTE_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test may touch the user's real data directory or configured model."""
    monkeypatch.setenv("DESKROUTE_HOME", str(tmp_path / "home"))
    for name in (
        "DESKROUTE_DATABASE_URL",
        "DESKROUTE_SEED_DEMO",
        "DESKROUTE_MODEL_PATH",
        "DESKROUTE_POLICIES_DIR",
        "DESKROUTE_PROMPTS_DIR",
    ):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(scope="session")
def policies() -> Policies:
    return load_policies(PROJECT_ROOT / "policies")


@pytest.fixture(scope="session")
def demo_model(tmp_path_factory: pytest.TempPathFactory, policies: Policies) -> Path:
    path = tmp_path_factory.mktemp("models") / "demo.joblib"
    ensure_demo_model(path, policies)
    return path


@pytest.fixture
def settings(tmp_path: Path, demo_model: Path) -> Settings:
    return Settings(home=tmp_path / "home", model_path=demo_model)


@pytest.fixture
def workspace(settings: Settings) -> Workspace:
    return open_workspace(settings)


def _postgres_schema() -> Iterator[str]:
    """A fresh schema on the local PostgreSQL, as the database URL's search path; dropped
    afterwards. Skips when no server answers (set DESKROUTE_TEST_POSTGRES_URL to use another)."""
    url = make_url(POSTGRES_URL)
    plain = url.set(drivername="postgresql").render_as_string(hide_password=False)
    try:
        admin = psycopg.connect(plain, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as exc:
        pytest.skip(f"PostgreSQL not reachable at {url.host}:{url.port} ({exc})")
    schema = f"test_{uuid.uuid4().hex[:12]}"
    with admin:
        admin.execute(f"CREATE SCHEMA {schema}")
        try:
            yield url.update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(
                hide_password=False
            )
        finally:
            admin.execute(f"DROP SCHEMA {schema} CASCADE")


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """Store tests run on both supported databases: the SQLite default and PostgreSQL."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'store.db'}"
    else:
        yield from _postgres_schema()


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A fresh, empty PostgreSQL schema (skips when no server answers)."""
    yield from _postgres_schema()


@pytest.fixture
def any_store_workspace(settings: Settings, database_url: str) -> Iterator[Workspace]:
    """A workspace on each supported database in turn, with the demo CRM asked for."""
    ws = open_workspace(
        settings.model_copy(update={"database_url": database_url, "seed_demo": True})
    )
    yield ws
    ws.engine.dispose()


@dataclass
class Done:
    returncode: int
    stdout: str
    stderr: str


@pytest.fixture
def cli(tmp_path: Path, demo_model: Path, monkeypatch: pytest.MonkeyPatch, capsys):
    """Runs `main()` in this process, as the console script does."""
    monkeypatch.setenv("DESKROUTE_MODEL_PATH", str(demo_model))
    monkeypatch.setenv("COLUMNS", "160")
    for console in (render.out, render.err):  # created at import, whatever the terminal was
        monkeypatch.setattr(console, "width", 160)
    monkeypatch.chdir(tmp_path)

    def run(*args: str, **extra_env: str) -> Done:
        with monkeypatch.context() as patch:
            for key, value in extra_env.items():
                patch.setenv(key, value)
            patch.setattr(sys, "argv", ["deskroute", *args])
            capsys.readouterr()
            try:
                main()
                code = 0
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
            captured = capsys.readouterr()
        return Done(code, captured.out, captured.err)

    return run
