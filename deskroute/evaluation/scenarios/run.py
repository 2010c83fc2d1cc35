"""Route scenario cases through the service, each on its own copy of a freshly seeded store,
so that one case's tickets never make another's a repeat contact or a duplicate."""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import replace
from pathlib import Path

from pydantic import BaseModel

from deskroute.evaluation.scenarios.cases import Scenario
from deskroute.evaluation.scenarios.judge import judge
from deskroute.models.outcome import OutcomeRecord
from deskroute.runtime import Workspace, open_workspace
from deskroute.service import route_new
from deskroute.settings import Settings
from deskroute.store.db import make_engine


class CaseResult(BaseModel):
    id: str
    about: str
    failures: list[str]
    got: str
    """What the outcome was, in one line (category, queue, priority, escalation)."""

    @property
    def passed(self) -> bool:
        return not self.failures


class ScenarioReport(BaseModel):
    total: int
    passed: int
    score: float
    """Share of cases that met every expectation."""
    failed: list[CaseResult]

    def table(self) -> str:
        """The score, then each failed case with what it got and every expectation it missed."""
        lines = [f"scenario score: {self.passed}/{self.total} = {self.score:.1%}"]
        for case in self.failed:
            lines += ["", f"{case.id}: {case.about}", f"  got: {case.got}"]
            lines += [f"  - {failure}" for failure in case.failures]
        return "\n".join(lines)


def run_scenarios(settings: Settings, cases: list[Scenario]) -> ScenarioReport:
    """Route each case on its own copy of a freshly seeded SQLite store and judge it."""
    with tempfile.TemporaryDirectory(prefix="deskroute-scenarios-") as folder:
        template = Path(folder) / "template.db"
        # Runs do not pause for review here: a paused run's checkpointer would hold the
        # template open (its last writes unmerged from the WAL when copied) and write there.
        ws = open_workspace(
            settings.model_copy(
                update={
                    "database_url": f"sqlite:///{template}",
                    "seed_demo": True,
                    "review_pause": False,
                }
            )
        )
        ws.engine.dispose()
        results = []
        for n, case in enumerate(cases):
            store = Path(folder) / f"case-{n}.db"
            shutil.copyfile(template, store)
            results.append(_run_case(_on_store(ws, store), case))
    failed = [r for r in results if not r.passed]
    passed = len(results) - len(failed)
    return ScenarioReport(
        total=len(results), passed=passed, score=passed / len(results), failed=failed
    )


def _on_store(ws: Workspace, path: Path) -> Workspace:
    """The workspace with its store swapped for the SQLite file at `path` (everything else is
    loaded once: loading policies, prompts and the model takes far longer than a route)."""
    engine = make_engine(f"sqlite:///{path}")
    return replace(ws, engine=engine, deps=replace(ws.deps, engine=engine))


def _run_case(ws: Workspace, case: Scenario) -> CaseResult:
    try:
        record = route_new(ws, case.ticket, dedupe=False)[1]
    finally:
        ws.engine.dispose()
    return CaseResult(
        id=case.id, about=case.about, failures=judge(case.expect, record), got=_got(record)
    )


def _got(record: OutcomeRecord) -> str:
    escalated = (
        f"escalated ({', '.join(record.escalation_reasons)})" if record.escalated else "routed"
    )
    return f"{record.category} -> {record.queue} {record.priority}, {escalated}, {record.language}"
