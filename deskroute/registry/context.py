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

    def version_file(self, stored: str) -> Path:
        return version_file(stored, self.models_dir)

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
            models_dir=settings.versions_dir,
            policies=policies or load_policies(settings.policies_dir),
            policies_dir=settings.policies_dir,
        )


def version_file(stored: str, models_dir: Path) -> Path:
    """Where a version's file is. The registry keeps its name relative to the home's models
    folder, so that a home can move (a new mount, a restored backup); a store written by an
    earlier release holds absolute paths, used as they are."""
    path = Path(stored)
    return path if path.is_absolute() else models_dir / path
