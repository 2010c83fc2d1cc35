"""Train a version: base data (plus reviewers' labels), the evaluation set held out, gates
decided against the served version, the model kept in the registry whatever the decision."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Literal

from pydantic import BaseModel
from sqlmodel import Session

from deskroute.classify.data import load_labelled
from deskroute.classify.demo import DEMO_NAME, examples_of
from deskroute.classify.local import CorrectionsUsed, LocalModel, train_local
from deskroute.classify.thresholds import Thresholds
from deskroute.errors import BadInputError, ConflictError
from deskroute.registry import evalsets
from deskroute.registry.context import Registry
from deskroute.registry.evalsets import EvalRows
from deskroute.registry.gates import EvalReport, GateDecision, decide, evaluate
from deskroute.registry.labels import (
    Conflict,
    TrainingRows,
    has_new_labels,
    merge_labels,
    text_key,
)
from deskroute.registry.promotion import serve, served_report
from deskroute.registry.reviewed import reviewer_labels
from deskroute.store import registry as store
from deskroute.store.db import transaction
from deskroute.store.tables import ModelVersion
from deskroute.store.types import utcnow

ID_ATTEMPTS = 5
MIN_ROWS = 2


class TrainingSource(BaseModel):
    """The base data of a version and how it was read, so that `retrain` can read it again."""

    kind: Literal["file", "examples"]
    name: str
    path: str | None = None
    text_col: str = "text"
    label_col: str = "category"
    skip_invalid: bool = False
    oos_label: str | None = None
    target_precision: float = 0.95
    embeddings: bool = False
    """Whether the model reads sentence embeddings (the `embeddings` extra)."""

    @property
    def described(self) -> str:
        return self.path if self.kind == "file" and self.path else "policies/examples"


class EvalSetInfo(BaseModel):
    kind: str
    source: str
    rows: int
    digest: str


class Trained(BaseModel):
    """A registered version and how it came about."""

    version: str
    status: str
    path: str
    promoted: bool
    rows: int
    """Training rows (after the evaluation set's texts were taken out)."""
    skipped: int
    """Base rows with an empty text or label, skipped on request."""
    held_out: int
    """Rows whose text belongs to the evaluation set."""
    base_rows: int
    overridden: int
    added: int
    dropped: int
    corrections: CorrectionsUsed | None
    conflicts: list[Conflict]
    eval_set: EvalSetInfo
    report: EvalReport
    decision: GateDecision
    notes: list[str]
    thresholds: Thresholds
    train_seconds: float


class NothingNew(BaseModel):
    """A retrain with no label newer than those its reference version was trained with."""

    reference: str
    message: str


def _base(registry: Registry, source: TrainingSource) -> tuple[list[str], list[str], int]:
    if source.kind == "examples":
        texts, labels = examples_of(registry.policies)
        return texts, labels, 0
    if source.path is None:
        raise ValueError("a file source without a path")
    labelled = load_labelled(
        Path(source.path),
        text_col=source.text_col,
        label_col=source.label_col,
        skip_invalid=source.skip_invalid,
    )
    return labelled.texts, labelled.labels, labelled.skipped


def _rows(
    registry: Registry, texts: list[str], labels: list[str], weight: float | None
) -> TrainingRows:
    reviewed, settled = reviewer_labels(registry.engine)
    return merge_labels(
        texts,
        labels,
        reviewed,
        settled,
        weight=weight if weight is not None else registry.policy.training.correction_weight,
    )


def train_version(
    registry: Registry,
    source: TrainingSource,
    *,
    with_corrections: bool,
    correction_weight: float | None = None,
    eval_file: Path | None = None,
    new_split: bool = False,
    eval_set_id: int | None = None,
    promote_by: str | None = None,
    on_stage: Callable[[str], None] = lambda _stage: None,
) -> Trained:
    """Train on `source` (and reviewers' labels), judge the model on the fixed evaluation set,
    keep it as a version (refused if a gate fails), and serve it when `promote_by` names who
    promotes it and it passed."""
    texts, labels, skipped = _base(registry, source)
    rows = (
        _rows(registry, texts, labels, correction_weight)
        if with_corrections
        else merge_labels(texts, labels, [], weight=1.0)
    )
    evaluation = evalsets.choose(
        registry,
        eval_file=eval_file,
        text_col=source.text_col,
        label_col=source.label_col,
        base=(texts, labels),
        source=source.described,
        new_split=new_split,
        reuse=eval_set_id,
    )
    training, held_out, notes = _set_aside(rows, evaluation, source.oos_label)
    on_stage(f"training on {len(training.texts):,} tickets")
    model = train_local(
        training.texts,
        training.labels,
        name=source.name,
        source=source.described,
        target_precision=source.target_precision,
        oos_label=source.oos_label,
        sample_weight=training.weights,
        embeddings=source.embeddings,
    )
    if with_corrections:
        model = LocalModel(
            meta=model.meta.model_copy(update={"corrections": training.used}), model=model.model
        )
    on_stage(f"judging it on {len(evaluation.texts):,} evaluation tickets")
    report = evaluate(
        model,
        evaluation.texts,
        evaluation.labels,
        eval_set=evaluation.digest,
        oos_label=source.oos_label,
    )
    current, served_notes = served_report(registry, evaluation, source.oos_label)
    decision = decide(report, current, registry.policy)
    row = _register(
        registry,
        model,
        source=source,
        rows=training,
        details={"rows": len(training.texts), "skipped": skipped, "held_out": held_out},
        evaluation=evaluation,
        report=report,
        decision=decision,
        with_corrections=with_corrections,
    )
    promoted = False
    if promote_by is not None and decision.passed:
        serve(registry, row.version, by=promote_by, decision=decision)
        promoted = True
    return Trained(
        version=row.version,
        status="promoted" if promoted else row.status,
        path=str(registry.version_file(row.path)),
        promoted=promoted,
        rows=len(training.texts),
        skipped=skipped,
        held_out=held_out,
        base_rows=rows.base_rows,
        overridden=rows.overridden,
        added=rows.added,
        dropped=rows.dropped,
        corrections=training.used if with_corrections else None,
        conflicts=rows.conflicts,
        eval_set=EvalSetInfo(
            kind=evaluation.kind,
            source=evaluation.source,
            rows=len(evaluation.texts),
            digest=evaluation.digest,
        ),
        report=report.model_copy(update={"model": row.version}),
        decision=decision,
        notes=notes + served_notes,
        thresholds=model.meta.thresholds,
        train_seconds=model.meta.train_seconds,
    )


def _set_aside(
    rows: TrainingRows, evaluation: EvalRows, oos_label: str | None
) -> tuple[TrainingRows, int, list[str]]:
    """The rows to train on: none whose text is in the evaluation set, none of a category
    with fewer than two rows left (a reviewer's first label of a new category waits for a
    second); how many were held out for the evaluation set, and notes on what was set aside."""
    held = evaluation.keys
    outside = [text_key(text) not in held for text in rows.texts]
    keep = [i for i, out in enumerate(outside) if out]
    notes = []
    if on_eval := sum(1 for r, out in zip(rows.reviewed, outside, strict=True) if r and not out):
        notes.append(
            f"{on_eval} reviewers' label(s) are on texts of the evaluation set: not trained on"
        )
    counts = Counter(rows.labels[i] for i in keep)
    if rare := sorted(k for k, n in counts.items() if n < MIN_ROWS and k != oos_label):
        keep = [i for i in keep if rows.labels[i] not in rare]
        more = f" and {len(rare) - 5} more" if len(rare) > 5 else ""
        notes.append(f"left out, fewer than {MIN_ROWS} training rows: {', '.join(rare[:5])}{more}")
    if not keep:
        raise BadInputError("no training rows are left outside the evaluation set", field="data")
    return rows.subset(keep), len(rows.texts) - sum(outside), notes


def _register(
    registry: Registry,
    model: LocalModel,
    *,
    source: TrainingSource,
    rows: TrainingRows,
    details: dict[str, int],
    evaluation: EvalRows,
    report: EvalReport,
    decision: GateDecision,
    with_corrections: bool,
) -> ModelVersion:
    """Save the file under the version's name and insert its row; ids are taken in order, and
    one taken meanwhile by another registration moves this one to the next."""
    with Session(registry.engine) as session:
        number = store.next_version_id(session)
    for _attempt in range(ID_ATTEMPTS):
        version = f"{source.name}-v{number}"
        path = registry.model_path(version)
        named = LocalModel(
            meta=model.meta.model_copy(update={"version": version}), model=model.model
        )
        named.save(path)
        row = ModelVersion(
            id=number,
            version=version,
            name=source.name,
            path=path.name,
            status="candidate" if decision.passed else "refused",
            data_digest=model.meta.data_digest,
            training={
                "source": source.model_dump(mode="json"),
                **details,
                "base_rows": rows.base_rows,
                "overridden": rows.overridden,
                "added": rows.added,
                "dropped": rows.dropped,
                "train_seconds": model.meta.train_seconds,
            },
            corrections=rows.used.model_dump(mode="json") if with_corrections else {},
            thresholds=model.meta.thresholds.model_dump(mode="json"),
            eval_set_id=evaluation.id,
            report=report.model_copy(update={"model": version}).model_dump(mode="json"),
            gates=decision.model_dump(mode="json"),
            created_at=utcnow(),
        )
        try:
            with transaction(registry.engine) as session:
                store.add_version(session, row=row)
        except ConflictError:
            path.unlink(missing_ok=True)
            number += 1
            continue
        return row
    raise ConflictError(f"no free version id after {ID_ATTEMPTS} attempts; try again")


def retrain(
    registry: Registry,
    *,
    correction_weight: float | None = None,
    eval_file: Path | None = None,
    promote_by: str | None = None,
    on_stage: Callable[[str], None] = lambda _stage: None,
) -> Trained | NothingNew:
    """The served version's base data (the policies' examples while none is served) plus every
    reviewer's label, unless no label is newer than those of the newest version trained on
    that base."""
    with Session(registry.engine) as session:
        current = store.promoted(session)
        versions = store.list_versions(session)
    if current is not None:
        source = TrainingSource.model_validate(current.training["source"])
    else:
        source = TrainingSource(kind="examples", name=DEMO_NAME)
    same_base = [v for v in versions if v.training.get("source") == source.model_dump(mode="json")]
    reference = same_base[-1] if same_base else current
    used = (
        CorrectionsUsed.model_validate(reference.corrections)
        if reference is not None and reference.corrections
        else None
    )
    reviewed, settled = reviewer_labels(registry.engine)
    if not has_new_labels(used, reviewed, settled):
        name = reference.version if reference is not None else "the demo model"
        status = f" ({reference.status})" if reference is not None else ""
        return NothingNew(
            reference=name,
            message=f"no new corrections or settlements since {name}{status}, which was "
            f"trained with {used.count if used else 0} reviewers' labels; nothing to do",
        )
    return train_version(
        registry,
        source,
        with_corrections=True,
        correction_weight=correction_weight,
        eval_file=eval_file,
        eval_set_id=reference.eval_set_id if reference is not None else None,
        promote_by=promote_by,
        on_stage=on_stage,
    )
