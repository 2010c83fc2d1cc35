"""The registry as people read it: a line per version, and one version in full."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel
from sqlmodel import Session

from deskroute.classify.local import CorrectionsUsed
from deskroute.registry.context import Registry
from deskroute.registry.gates import GateDecision
from deskroute.registry.promotion import find
from deskroute.store import registry as store
from deskroute.store.tables import ModelVersion


class VersionSummary(BaseModel):
    version: str
    status: str
    created_at: datetime
    rows: int | None
    corrections: int
    accuracy: float | None
    covered_accuracy: float | None
    coverage: float | None
    passed: bool | None
    """The latest gate decision (None: never decided)."""
    promoted_by: str | None
    promoted_at: datetime | None


class EventOut(BaseModel):
    kind: str
    by: str
    at: datetime
    detail: dict[str, Any]


class EvalSetOut(BaseModel):
    kind: str
    source: str
    rows: int
    digest: str


class VersionDetail(VersionSummary):
    path: str
    data_digest: str
    training: dict[str, Any]
    corrections_used: CorrectionsUsed | None
    thresholds: dict[str, Any]
    eval_set: EvalSetOut | None
    report: dict[str, Any]
    """The evaluation report without its per-row results."""
    gates: GateDecision | None
    events: list[EventOut]


def _summary(row: ModelVersion) -> VersionSummary:
    report = row.report
    return VersionSummary(
        version=row.version,
        status=row.status,
        created_at=row.created_at,
        rows=row.training.get("rows"),
        corrections=int(row.corrections.get("count", 0)),
        accuracy=report.get("accuracy"),
        covered_accuracy=report.get("covered_accuracy"),
        coverage=report.get("coverage"),
        passed=row.gates.get("passed"),
        promoted_by=row.promoted_by,
        promoted_at=row.promoted_at,
    )


def list_versions(registry: Registry) -> list[VersionSummary]:
    with Session(registry.engine) as session:
        return [_summary(row) for row in store.list_versions(session)]


def show_version(registry: Registry, ref: str) -> VersionDetail:
    row = find(registry, ref)
    with Session(registry.engine) as session:
        kept = store.eval_set(session, id=row.eval_set_id) if row.eval_set_id else None
        events = store.events(session, version_id=row.id)
    return VersionDetail(
        **_summary(row).model_dump(),
        path=str(registry.version_file(row.path)),
        data_digest=row.data_digest,
        training=row.training,
        corrections_used=CorrectionsUsed.model_validate(row.corrections)
        if row.corrections
        else None,
        thresholds=row.thresholds,
        eval_set=EvalSetOut(
            kind=kept.kind, source=kept.source, rows=len(kept.examples), digest=kept.digest
        )
        if kept is not None
        else None,
        report={k: v for k, v in row.report.items() if k != "correct"},
        gates=GateDecision.model_validate(row.gates) if row.gates else None,
        events=[EventOut(kind=e.kind, by=e.by, at=e.at, detail=e.detail) for e in events],
    )
