"""Model versions on a real SQLite store: every trained model kept and judged on the same
evaluation rows, promoted only through the gates, rolled back in order, retrained from
reviewers' labels (and not when none is new), with disputes left out until settled."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest
from registry_support import CATEGORIES, examples, write_csv
from sqlmodel import Session

from deskroute.classify.local import LocalModel
from deskroute.errors import BadInputError, NotFoundError
from deskroute.policies import Policies
from deskroute.policies.models import ComparePolicy, ModelsPolicy
from deskroute.registry.context import Registry
from deskroute.registry.labels import text_key
from deskroute.registry.promotion import promote, rollback
from deskroute.registry.reviewed import conflicts, settle
from deskroute.registry.training import NothingNew, Trained, TrainingSource, retrain, train_version
from deskroute.registry.views import list_versions, show_version
from deskroute.registry.watch import served_file
from deskroute.runtime import load_classifier
from deskroute.settings import Settings
from deskroute.store import registry as store
from deskroute.store.db import make_engine, transaction


def source(path: Path) -> TrainingSource:
    return TrainingSource(kind="file", name=path.stem, path=str(path))


def served(registry: Registry) -> str | None:
    with Session(registry.engine) as session:
        found = store.promoted_file(session)
    return found[0] if found else None


def trained(result: Trained | NothingNew) -> Trained:
    if not isinstance(result, Trained):
        raise AssertionError(result.message)
    return result


def test_every_version_is_kept_and_judged_on_the_same_held_out_rows(
    registry: Registry, small_data: Path, tmp_path: Path, policies: Policies
) -> None:
    first = train_version(registry, source(small_data), with_corrections=False)
    assert (first.version, first.status, first.promoted) == ("small-v1", "candidate", False)
    assert (first.eval_set.kind, first.eval_set.rows, first.held_out, first.rows) == (
        "holdout",
        12,
        12,
        48,
    )
    assert first.decision.passed and first.decision.against is None
    assert LocalModel.load(Path(first.path)).meta.version == "small-v1"
    assert served(registry) is None  # a candidate is not served until promoted

    bigger = write_csv(tmp_path / "bigger.csv", examples(policies, 25))
    second = train_version(registry, source(bigger), with_corrections=False)
    assert second.version == "bigger-v2" and second.eval_set == first.eval_set
    assert second.rows == 48 + 15  # the new rows train; the evaluation rows never do
    assert [v.version for v in list_versions(registry)] == ["small-v1", "bigger-v2"]


def test_promotion_goes_through_the_gates_and_rollback_goes_back_in_order(
    any_registry: Registry, small_data: Path
) -> None:
    registry = any_registry
    v1 = train_version(registry, source(small_data), with_corrections=False)
    done = promote(registry, v1.version, by="lee")
    assert (done.outcome, done.previous) == ("promoted", None) and served(registry) == v1.version
    assert promote(registry, "1", by="lee").outcome == "already_served"

    v2 = train_version(registry, source(small_data), with_corrections=False, promote_by="kim")
    assert v2.promoted and v2.decision.against == v1.version
    assert v2.decision.checks[-1].reason.startswith("not worse: accuracy +0.000")
    assert served(registry) == v2.version

    back = rollback(registry, by="lee")
    assert (back.outcome, back.version, back.previous) == ("rolled_back", v1.version, v2.version)
    assert served(registry) == v1.version
    statuses = {v.version: v.status for v in list_versions(registry)}
    assert statuses == {v1.version: "promoted", v2.version: "retired"}
    with pytest.raises(BadInputError, match="no earlier promoted version"):
        rollback(registry, by="lee")
    detail = show_version(registry, v2.version)
    assert [(e.kind, e.by) for e in detail.events] == [("promoted", "kim"), ("rolled_back", "lee")]
    assert "correct" not in detail.report and detail.eval_set is not None
    with pytest.raises(NotFoundError):
        promote(registry, "v99", by="lee")


def test_a_worse_candidate_is_refused_kept_and_never_served(
    registry: Registry, small_data: Path, tmp_path: Path, policies: Policies
) -> None:
    v1 = train_version(registry, source(small_data), with_corrections=False, promote_by="lee")
    shifted = {c: CATEGORIES[(i + 1) % 3] for i, c in enumerate(CATEGORIES)}
    wrong = write_csv(tmp_path / "wrong.csv", [(t, shifted[c]) for t, c in examples(policies)])
    bad = train_version(registry, source(wrong), with_corrections=False, promote_by="lee")
    assert (bad.status, bad.promoted) == ("refused", False)
    assert bad.decision.failures[0].startswith("accuracy 0.000 < 0.750")
    assert bad.decision.failures[-1].startswith(
        f"worse beyond noise: accuracy -1.000 against {v1.version}"
    )
    assert Path(bad.path).is_file() and served(registry) == v1.version

    again = promote(registry, bad.version, by="kim")
    assert again.outcome == "refused" and served(registry) == v1.version
    detail = show_version(registry, bad.version)
    assert detail.status == "refused" and detail.events[-1].kind == "refused"
    assert detail.events[-1].detail["reasons"] == again.decision.failures  # type: ignore[union-attr]


def test_require_better_refuses_a_copy_of_the_served_version(
    registry: Registry, small_data: Path
) -> None:
    strict = registry.policies.model_copy(
        update={"models": ModelsPolicy(compare=ComparePolicy(require="better"))}
    )
    registry = replace(registry, policies=strict)
    train_version(registry, source(small_data), with_corrections=False, promote_by="lee")
    copy = train_version(registry, source(small_data), with_corrections=False)
    assert copy.status == "refused" and "not shown better" in copy.decision.failures[0]


def test_retrain_adds_reviewers_labels_and_does_nothing_without_new_ones(
    registry: Registry, small_data: Path, label: Callable[..., list[int]], policies: Policies
) -> None:
    v1 = train_version(registry, source(small_data), with_corrections=False, promote_by="lee")
    nothing = retrain(registry)
    assert isinstance(nothing, NothingNew) and v1.version in nothing.message

    base = next(
        t for t, c in examples(policies) if c == "billing" and not _held(registry, v1.version, t)
    )
    ids = label(
        ("my invoice total is wrong again this month", "billing", "ana"),
        ("the csv export hangs at ninety percent", "technical_issue", "ben"),
        (base, "technical_issue", "ana"),
    )
    result = trained(retrain(registry))
    used = result.corrections
    assert used is not None and (used.count, used.ids, used.weight) == (3, ids, 2.0)
    assert (result.overridden, result.added, result.rows) == (1, 2, 48 + 2)
    meta = LocalModel.load(Path(result.path)).meta
    assert meta.corrections == used and meta.version == result.version
    assert show_version(registry, result.version).corrections_used == used

    again = retrain(registry)
    assert isinstance(again, NothingNew) and result.version in again.message


def _held(registry: Registry, version: str, text: str) -> bool:
    with Session(registry.engine) as session:
        row = store.find_version(session, ref=version)
        assert row is not None and row.eval_set_id is not None
        kept = store.eval_set(session, id=row.eval_set_id)
        assert kept is not None
        return text_key(text) in {text_key(t) for t, _ in kept.examples}


def test_disputed_texts_are_left_out_until_a_lead_settles_them(
    registry: Registry, small_data: Path, label: Callable[..., list[int]]
) -> None:
    train_version(registry, source(small_data), with_corrections=False, promote_by="lee")
    label(
        ("Refund or credit for March please", "billing", "ana"),
        ("refund or credit for march please", "refunds_cancellations", "ben"),
    )
    [dispute] = conflicts(registry)
    assert dispute.labels == {"ana": "billing", "ben": "refunds_cancellations"}
    disputed = trained(retrain(registry))
    assert disputed.conflicts == [dispute] and disputed.corrections is not None
    assert (disputed.corrections.count, disputed.corrections.conflicts, disputed.rows) == (0, 1, 48)

    with pytest.raises(BadInputError, match="unknown category"):
        settle(registry, dispute.key, category="bogus", by="lee")
    with pytest.raises(NotFoundError):
        settle(registry, "ffffffff", category="billing", by="lee")
    settle(registry, dispute.key[:6], category="refunds_cancellations", by="lee")
    assert conflicts(registry) == []
    alone = trained(retrain(registry))  # the only refunds_cancellations row waits for a second
    assert alone.notes == ["left out, fewer than 2 training rows: refunds_cancellations"]
    assert alone.corrections is not None and alone.corrections.count == 0 and alone.rows == 48

    settle(registry, dispute.key, category="billing", by="kim")
    settled = trained(retrain(registry))
    assert settled.corrections is not None and settled.corrections.count == 1
    assert settled.conflicts == [] and settled.rows == 49 and settled.notes == []


def test_an_evaluation_file_stands_in_for_the_split(
    registry: Registry, small_data: Path, tmp_path: Path, policies: Policies
) -> None:
    eval_rows = [(t, c) for c in CATEGORIES for t in policies.examples[c][30:34]]
    eval_file = write_csv(tmp_path / "eval.csv", eval_rows)
    result = train_version(
        registry, source(small_data), with_corrections=False, eval_file=eval_file
    )
    assert (result.eval_set.kind, result.eval_set.rows, result.held_out, result.rows) == (
        "file",
        12,
        0,
        60,
    )


def test_a_moved_home_still_serves_its_versions(
    registry: Registry, small_data: Path, tmp_path: Path, policies: Policies
) -> None:
    first = trained(train_version(registry, source(small_data), with_corrections=False))
    promote(registry, first.version, by="lead")
    with Session(registry.engine) as session:
        assert store.promoted_file(session) == (first.version, "small-v1.joblib")
    registry.engine.dispose()

    moved = tmp_path / "moved"
    shutil.move(tmp_path / "home", moved)  # the store and the model files together
    settings = Settings(home=moved)
    engine = make_engine(settings.resolved_database_url)
    try:
        found = served_file(engine, settings.versions_dir)
        assert found == (first.version, moved / "models" / "versions" / "small-v1.joblib")
        classifier, warnings = load_classifier(settings, policies, engine)
        assert classifier.version == first.version and warnings == []
        # A store written by an earlier release kept absolute paths: they are used as they are.
        with transaction(engine) as session:
            row = store.find_version(session, ref=first.version)
            assert row is not None
            row.path = str(found[1])
            session.add(row)
        assert served_file(engine, tmp_path / "elsewhere") == found
    finally:
        engine.dispose()
