"""One settings object for environment variables (prefix `DESKROUTE_`) and defaults."""

from __future__ import annotations

from pathlib import Path

import platformdirs
from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parents[1]


def _default_home() -> Path:
    return platformdirs.user_data_path("deskroute", appauthor=False)


class Settings(BaseSettings):
    """Where data lives and which editable files drive the workflow.

    `home` holds the SQLite store and trained models; `policies_dir` and `prompts_dir` default to
    the checkout's `policies/` and `prompts/` so that edits there take effect on the next run.
    """

    model_config = SettingsConfigDict(env_prefix="DESKROUTE_", extra="ignore")

    home: Path = Field(default_factory=_default_home)
    database_url: str | None = Field(
        default=None, description="SQLAlchemy URL; default: a SQLite file in `home`."
    )
    policies_dir: Path = PROJECT_ROOT / "policies"
    prompts_dir: Path = PROJECT_ROOT / "prompts"
    model_path: Path | None = Field(
        default=None, description="Local classifier model; default: the demo model in `home`."
    )

    @property
    def resolved_database_url(self) -> str:
        return self.database_url or f"sqlite:///{self.home / 'deskroute.db'}"

    @property
    def resolved_model_path(self) -> Path:
        return self.model_path or self.home / "models" / "demo.joblib"
