"""The one write path for the model registry (evaluation sets, versions, promotions) and leads'
label settlements, and the queries that read them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, func, select

from deskroute.errors import ConflictError
from deskroute.store.tables import EvalSet, LabelSettlement, ModelEvent, ModelVersion

PROMOTED = "promoted"


def eval_set(session: Session, *, id: int) -> EvalSet | None:
    return session.get(EvalSet, id)


def latest_holdout(session: Session) -> EvalSet | None:
    """The held-out split versions are judged on by default (the newest one made)."""
    return session.exec(
        select(EvalSet).where(EvalSet.kind == "holdout").order_by(col(EvalSet.id).desc())
    ).first()


def keep_eval_set(
    session: Session,
    *,
    kind: str,
    source: str,
    digest: str,
    examples: list[list[str]],
    now: datetime,
) -> EvalSet:
    """The set with these rows, stored the first time it is used."""
    found = session.exec(select(EvalSet).where(EvalSet.digest == digest)).first()
    if found is not None:
        return found
    row = EvalSet(digest=digest, kind=kind, source=source, examples=examples, created_at=now)
    session.add(row)
    session.flush()
    return row


def next_version_id(session: Session) -> int:
    return int(session.exec(select(func.max(ModelVersion.id))).one() or 0) + 1


def add_version(session: Session, *, row: ModelVersion) -> None:
    """Insert a version under the id it was named for; a `ConflictError` when another
    registration took that id first."""
    session.add(row)
    try:
        session.flush()
    except IntegrityError as exc:
        raise ConflictError(f"version id {row.id} was taken meanwhile") from exc


def find_version(session: Session, *, ref: str) -> ModelVersion | None:
    """By full name (`tickets-v3`) or number (`3`, `v3`)."""
    number = ref.removeprefix("v")
    if number.isdigit():
        return session.get(ModelVersion, int(number))
    return session.exec(select(ModelVersion).where(ModelVersion.version == ref)).first()


def list_versions(session: Session) -> list[ModelVersion]:
    return list(session.exec(select(ModelVersion).order_by(col(ModelVersion.id))).all())


def promoted(session: Session) -> ModelVersion | None:
    return session.exec(select(ModelVersion).where(ModelVersion.status == PROMOTED)).first()


def promoted_file(session: Session) -> tuple[str, str] | None:
    """(version, path) of the served version: the one query routers poll."""
    found = session.exec(
        select(ModelVersion.version, ModelVersion.path).where(ModelVersion.status == PROMOTED)
    ).first()
    return (found[0], found[1]) if found is not None else None


def set_gates(session: Session, *, row: ModelVersion, status: str, gates: dict[str, Any]) -> None:
    row.sqlmodel_update({"status": status, "gates": gates})
    session.add(row)


def add_event(
    session: Session, *, version_id: int, kind: str, by: str, now: datetime, detail: dict[str, Any]
) -> None:
    session.add(ModelEvent(version_id=version_id, kind=kind, by=by, at=now, detail=detail))


def serve_version(session: Session, *, row: ModelVersion, by: str, now: datetime) -> None:
    """Make `row` the served version, retiring the one served before; a `ConflictError` when
    another promotion committed meanwhile."""
    session.connection().execute(
        update(ModelVersion)
        .where(col(ModelVersion.status) == PROMOTED, col(ModelVersion.id) != row.id)
        .values(status="retired")
    )
    row.sqlmodel_update({"status": PROMOTED, "promoted_by": by, "promoted_at": now})
    session.add(row)
    try:
        session.flush()
    except IntegrityError as exc:
        raise ConflictError("another version was promoted at the same moment; try again") from exc


def events(session: Session, *, version_id: int | None = None) -> list[ModelEvent]:
    rows = select(ModelEvent)
    if version_id is not None:
        rows = rows.where(ModelEvent.version_id == version_id)
    return list(session.exec(rows.order_by(col(ModelEvent.id))).all())


def promotion_stack(session: Session) -> list[int]:
    """Version ids served in turn, the served one last: every promotion pushes, every
    rollback pops, so rolling back twice goes back two promotions."""
    stack: list[int] = []
    for event in events(session):
        if event.kind == PROMOTED:
            stack.append(event.version_id)
        elif event.kind == "rolled_back" and stack:
            stack.pop()
    return stack


def settle(session: Session, *, key: str, text: str, category: str, by: str, now: datetime) -> None:
    row = session.get(LabelSettlement, key) or LabelSettlement(
        key=key, text=text, category=category, settled_by=by
    )
    row.sqlmodel_update({"text": text, "category": category, "settled_by": by, "settled_at": now})
    session.add(row)


def list_settlements(session: Session) -> list[LabelSettlement]:
    return list(
        session.exec(select(LabelSettlement).order_by(col(LabelSettlement.settled_at))).all()
    )
