"""Shared fixtures: an isolated DeskRoute home per test, the demo model trained once."""

from __future__ import annotations

from pathlib import Path

import pytest

from deskroute.classify.demo import ensure_demo_model
from deskroute.policies import Policies, load_policies
from deskroute.runtime import Workspace, open_workspace
from deskroute.settings import PROJECT_ROOT, Settings

SHARED = PROJECT_ROOT.parent / "shared"


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test may touch the user's real data directory or configured model."""
    monkeypatch.setenv("DESKROUTE_HOME", str(tmp_path / "home"))
    for name in (
        "DESKROUTE_DATABASE_URL",
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
