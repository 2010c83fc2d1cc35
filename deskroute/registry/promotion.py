"""Promote a version (through the gates, against the version served now) and roll back to the
one served before. Running routers pick the change up by polling (`deskroute.registry.watch`)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel
from sqlmodel import Session

from deskroute.classify.local import LocalModel
from deskroute.errors import BadInputError, ClassifierError, ConflictError, NotFoundError
from deskroute.registry import evalsets
from deskroute.registry.context import Registry
from deskroute.registry.gates import EvalReport, GateDecision, decide, evaluate
from deskroute.store import registry as store
from deskroute.store.db import transaction
from deskroute.store.tables import ModelVersion
from deskroute.store.types import utcnow


class Promotion(BaseModel):
    """What `promote` or `rollback` did."""

    version: str
    outcome: Literal["promoted", "refused", "already_served", "rolled_back"]
    previous: str | None
    """The version served before."""
    decision: GateDecision | None
    notes: list[str] = []


def find(registry: Registry, ref: str) -> ModelVersion:
    with Session(registry.engine) as session:
        row = store.find_version(session, ref=ref)
    if row is None:
        raise NotFoundError(f"no model version {ref!r}; see deskroute models list")
    return row


def _load(registry: Registry, row: ModelVersion) -> LocalModel:
    try:
        return LocalModel.load(registry.version_file(row.path))
    except ClassifierError as exc:
        raise BadInputError(f"version {row.version} cannot be served: {exc}") from exc


def serve(registry: Registry, ref: str, *, by: str, decision: GateDecision | None) -> str | None:
    """Make the version served, provided the one served is still the one the decision was
    made against; the version served before, if any."""
    with transaction(registry.engine) as session:
        row = store.find_version(session, ref=ref)
        if row is None or row.id is None:
            raise NotFoundError(f"no model version {ref!r}")
        before = store.promoted(session)
        previous = before.version if before is not None else None
        if (
            decision is not None
            and decision.against != previous
            and (registry.policy.compare.require != "off")
        ):
            raise ConflictError(
                f"{previous or 'no version'} is served now, not {decision.against or 'none'} "
                "as when the gates were decided; promote it again"
            )
        if decision is not None:
            store.set_gates(
                session, row=row, status=row.status, gates=decision.model_dump(mode="json")
            )
        store.serve_version(session, row=row, by=by, now=utcnow())
        store.add_event(
            session,
            version_id=row.id,
            kind="promoted",
            by=by,
            now=utcnow(),
            detail={"from": previous, "passed": decision.passed if decision else None},
        )
    return previous


def promote(registry: Registry, ref: str, *, by: str) -> Promotion:
    """Decide the gates again, against the version served now, and serve the version if it
    passes; a refusal is recorded on the version with its reasons."""
    row = find(registry, ref)
    if row.status == store.PROMOTED:
        return Promotion(
            version=row.version, outcome="already_served", previous=None, decision=None
        )
    _load(registry, row)
    if row.eval_set_id is None:
        raise ValueError(f"version {row.version} has no evaluation set")
    rows = evalsets.stored(registry, row.eval_set_id)
    report = EvalReport.model_validate(row.report)
    oos = row.training.get("source", {}).get("oos_label")
    current, notes = served_report(registry, rows, oos)
    decision = decide(report, current, registry.policy)
    if not decision.passed:
        with transaction(registry.engine) as session:
            fresh = store.find_version(session, ref=row.version)
            if fresh is None or fresh.id is None:
                raise NotFoundError(f"no model version {row.version!r}")
            store.set_gates(
                session, row=fresh, status="refused", gates=decision.model_dump(mode="json")
            )
            store.add_event(
                session,
                version_id=fresh.id,
                kind="refused",
                by=by,
                now=utcnow(),
                detail={"reasons": decision.failures, "against": decision.against},
            )
        return Promotion(
            version=row.version, outcome="refused", previous=None, decision=decision, notes=notes
        )
    previous = serve(registry, row.version, by=by, decision=decision)
    return Promotion(
        version=row.version, outcome="promoted", previous=previous, decision=decision, notes=notes
    )


def served_report(
    registry: Registry, rows: evalsets.EvalRows, oos_label: str | None
) -> tuple[EvalReport | None, list[str]]:
    """The served version's report on `rows` (None when nothing is served, or its file cannot
    be read, which a note says)."""
    with Session(registry.engine) as session:
        current = store.promoted(session)
    if current is None:
        return None, []
    try:
        model = LocalModel.load(registry.version_file(current.path))
    except ClassifierError as exc:
        return None, [f"the served version {current.version} was not compared: {exc}"]
    report = evaluate(model, rows.texts, rows.labels, eval_set=rows.digest, oos_label=oos_label)
    return report.model_copy(update={"model": current.version}), []


def rollback(registry: Registry, *, by: str) -> Promotion:
    """Serve again the version served before the current one (no gates: it passed them when
    it was promoted); the current one is retired."""
    with Session(registry.engine) as session:
        stack = store.promotion_stack(session)
        if len(stack) < 2:
            raise BadInputError("no earlier promoted version to roll back to")
        current, target = (session.get(ModelVersion, id) for id in stack[-2:][::-1])
    if current is None or target is None or current.id is None:
        raise LookupError("a promoted version vanished from the store")
    _load(registry, target)
    with transaction(registry.engine) as session:
        row = store.find_version(session, ref=target.version)
        if row is None:
            raise NotFoundError(f"no model version {target.version!r}")
        store.serve_version(session, row=row, by=by, now=utcnow())
        store.add_event(
            session,
            version_id=current.id,
            kind="rolled_back",
            by=by,
            now=utcnow(),
            detail={"to": target.version},
        )
    return Promotion(
        version=target.version, outcome="rolled_back", previous=current.version, decision=None
    )
