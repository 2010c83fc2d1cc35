"""The learning order on a small model: close calls first, scarce categories weigh, and a
cluster of alike tickets is represented once at its top, the rest ranked behind other work."""

from __future__ import annotations

import pytest

from deskroute.classify.local import LocalModel, train_local
from deskroute.review.learning import LearningItem, learning_order

TEXTS = [
    "invoice is wrong",
    "charged twice on the invoice",
    "invoice missing VAT",
    "cannot log in",
    "password reset mail never came",
    "locked out of my account",
    "dashboard is empty",
    "export to csv fails",
    "chart shows wrong numbers",
] * 4
LABELS = (["billing"] * 3 + ["access"] * 3 + ["technical"] * 3) * 4


@pytest.fixture(scope="module")
def model() -> LocalModel:
    return train_local(TEXTS, LABELS, name="t", source="test")


def _items(*texts: str) -> list[LearningItem]:
    return [LearningItem(key=f"T{n}", text=text) for n, text in enumerate(texts)]


def test_a_close_call_comes_before_a_sure_one(model: LocalModel) -> None:
    ranked = learning_order(_items("cannot log in", "the invoice export fails"), model)
    assert [s.key for s in ranked] == ["T1", "T0"]
    first, second = ranked
    assert first.rank == 1 and second.rank == 2 and first.score > second.score
    assert first.margin < second.margin and first.runner_up is not None
    assert first.reason.startswith(f"margin {first.margin:.2f} between {first.top} and ")
    assert f"'{first.scarce_category}' has {first.examples} examples" in first.reason


def test_a_category_with_few_examples_raises_the_score(model: LocalModel) -> None:
    items = _items("password reset mail never came")
    plain = learning_order(items, model)[0]
    counts = {**model.meta.label_counts, plain.top: 2}
    scarce_model = LocalModel(
        meta=model.meta.model_copy(update={"label_counts": counts}), model=model.model
    )
    scarce = learning_order(items, scarce_model)[0]
    assert scarce.scarce_category == plain.top and scarce.examples == 2
    assert plain.examples == 12 and scarce.score > plain.score
    assert f"'{plain.top}' has 2 examples" in scarce.reason


def test_a_cluster_is_represented_once_at_its_top(model: LocalModel) -> None:
    alike = [f"my invoice shows the wrong amount again, number {n}" for n in range(5)]
    ranked = learning_order(
        _items(*alike, "cannot log in", "dashboard is empty", "export to csv fails"), model
    )
    cluster = [s for s in ranked if s.key in {f"T{n}" for n in range(5)}]
    head, *rest = cluster
    assert head.rank == 1 and head.similar == 4 and head.like is None
    assert "4 similar pending" in head.reason
    # The others are put back behind the distinct tickets, each naming one ranked earlier.
    assert [s.rank for s in rest] == [5, 6, 7, 8]
    assert all(s.like is not None and f"like {s.like}, ranked earlier" in s.reason for s in rest)


def test_ties_keep_the_given_order_and_nothing_is_lost(model: LocalModel) -> None:
    ranked = learning_order(_items("cannot log in", "cannot log in"), model)
    assert [s.key for s in ranked] == ["T0", "T1"] and ranked[1].like == "T0"
    assert learning_order([], model) == []
