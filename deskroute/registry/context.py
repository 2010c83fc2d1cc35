"""What registry operations need: the store, where model files live, the models policy."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine

from deskroute.policies import Policies, load_policies
from deskroute.policies.models import ModelsPolicy
from deskroute.settings import Settings
from deskroute.store.db import make_engine


@dataclass(frozen=True)
class Registry:
    engine: Engine
    models_dir: Path
    """One file per version, named after it."""
    policies: Policies
    policies_dir: Path

    @property
    def policy(self) -> ModelsPolicy:
        return self.policies.models

    def model_path(self, version: str) -> Path:
        return self.models_dir / f"{version}.joblib"

    @classmethod
    def open(cls, settings: Settings) -> Registry:
        """Without the routing graph: training and promoting start in a fraction of a second."""
        return cls.using(settings, make_engine(settings.resolved_database_url))

    @classmethod
    def using(
        cls, settings: Settings, engine: Engine, policies: Policies | None = None
    ) -> Registry:
        return cls(
            engine=engine,
            models_dir=settings.home / "models" / "versions",
            policies=policies or load_policies(settings.policies_dir),
            policies_dir=settings.policies_dir,
        )
