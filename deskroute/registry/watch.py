"""Routers follow the registry: a newly promoted (or rolled back) version is picked up
between tickets, without a restart. Tickets being routed finish on the model they started
with; the next ones use the new one."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from pathlib import Path
from time import monotonic

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session

from deskroute.classify.local import LocalModel
from deskroute.errors import ClassifierError
from deskroute.registry.context import version_file
from deskroute.store import registry as store

log = logging.getLogger(__name__)


def served_file(engine: Engine, models_dir: Path) -> tuple[str, Path] | None:
    """(version, file) of the served version, if one is."""
    with Session(engine) as session:
        found = store.promoted_file(session)
    return (found[0], version_file(found[1], models_dir)) if found is not None else None


@dataclass(frozen=True)
class Switch:
    version: str
    model: LocalModel


class ModelWatch:
    """Looks at most once per `poll_seconds`, from whichever routing thread comes first; the
    other threads go on meanwhile with the model they have. A version whose file cannot be
    loaded is logged once and skipped until another is served."""

    def __init__(
        self, engine: Engine, *, models_dir: Path, poll_seconds: float, serving: str | None
    ) -> None:
        self.engine = engine
        self.models_dir = models_dir
        self.poll_seconds = poll_seconds
        self.serving = serving
        """The registry version in use (None: the demo model, nothing was promoted)."""
        self._broken: str | None = None
        self._next = monotonic() + poll_seconds
        self._lock = threading.Lock()

    def due(self) -> Switch | None:
        """The newly served version and its model, when one was promoted since the last look."""
        now = monotonic()
        if now < self._next or not self._lock.acquire(blocking=False):
            return None
        try:
            self._next = now + self.poll_seconds
            try:
                found = served_file(self.engine, self.models_dir)
            except SQLAlchemyError:
                log.exception("cannot read the served model version; keeping %s", self.serving)
                return None
            if found is None or found[0] in (self.serving, self._broken):
                return None
            version, path = found
            try:
                model = LocalModel.load(path)
            except ClassifierError as exc:
                log.error(
                    "model %s is served but cannot be loaded (%s); keeping %s",
                    version,
                    exc,
                    self.serving,
                )
                self._broken = version
                return None
            log.info("routing with model %s from now on (was %s)", version, self.serving)
            self.serving = version
            return Switch(version=version, model=model)
        finally:
            self._lock.release()
