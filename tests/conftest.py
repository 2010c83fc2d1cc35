"""Shared fixtures: an isolated DeskRoute home per test, the demo model trained once."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from deskroute.classify.demo import ensure_demo_model
from deskroute.cli import render
from deskroute.cli.main import main
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
