"""Reviewers' labels merged into base data: a newer label overrides an older one for the same
text, a dispute between reviewers is left out and listed, a lead's settlement ends it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from deskroute.registry.labels import (
    ReviewerLabel,
    Settlement,
    has_new_labels,
    merge_labels,
    normalise,
    text_key,
)

T0 = datetime(2026, 12, 1, 9, tzinfo=UTC)
BASE_TEXTS = ["Invoice is wrong", "cannot log in", "invoice  is WRONG", "export fails"]
BASE_LABELS = ["billing", "account_access", "billing", "technical_issue"]


def label(id: int, text: str, category: str, reviewer: str, minutes: int = 0) -> ReviewerLabel:
    return ReviewerLabel(
        id=id, text=text, category=category, reviewer=reviewer, at=T0 + timedelta(minutes=minutes)
    )


def test_texts_are_compared_normalised() -> None:
    assert normalise("  Invoice\tis   WRONG ") == "invoice is wrong"
    assert text_key("Invoice is wrong") == text_key("invoice  is WRONG") != text_key("other")


def test_a_correction_overrides_the_base_label_once_and_weighs_more() -> None:
    rows = merge_labels(
        BASE_TEXTS,
        BASE_LABELS,
        [label(1, "invoice is wrong", "refunds_cancellations", "ana")],
        weight=2.0,
    )
    assert list(zip(rows.texts, rows.labels, rows.weights, strict=True)) == [
        ("Invoice is wrong", "refunds_cancellations", 2.0),
        ("cannot log in", "account_access", 1.0),
        ("export fails", "technical_issue", 1.0),
    ]
    assert (rows.base_rows, rows.overridden, rows.added, rows.dropped) == (2, 2, 0, 0)
    assert rows.used.count == 1 and rows.used.ids == [1] and rows.used.newest_at == T0


def test_labels_for_new_texts_are_added_and_a_reviewer_may_change_their_mind() -> None:
    rows = merge_labels(
        BASE_TEXTS,
        BASE_LABELS,
        [
            label(1, "my card was charged twice", "refunds_cancellations", "ana", 1),
            label(2, "my card was charged twice", "billing", "ana", 5),
            label(3, "api returns 500", "technical_issue", "ben", 2),
            label(4, "API returns 500", "technical_issue", "cho", 3),  # agrees: confirmation
        ],
        weight=3.0,
    )
    assert rows.texts[-2:] == ["my card was charged twice", "API returns 500"]
    assert rows.labels[-2:] == ["billing", "technical_issue"] and rows.weights[-2:] == [3.0, 3.0]
    assert rows.added == 2 and rows.conflicts == []
    assert rows.used.ids == [2, 3, 4] and rows.used.through_id == 4
    assert rows.used.newest_at == T0 + timedelta(minutes=5)


def test_reviewers_who_disagree_are_flagged_and_the_text_is_left_out() -> None:
    reviewed = [
        label(1, "invoice is wrong", "refunds_cancellations", "ana", 1),
        label(2, "Invoice is wrong", "billing", "ben", 2),
    ]
    rows = merge_labels(BASE_TEXTS, BASE_LABELS, reviewed, weight=2.0)
    assert "Invoice is wrong" not in rows.texts and rows.dropped == 2
    [conflict] = rows.conflicts
    assert conflict.labels == {"ana": "refunds_cancellations", "ben": "billing"}
    assert conflict.correction_ids == [1, 2] and conflict.key == text_key("invoice is wrong")
    assert rows.used.count == 0 and rows.used.conflicts == 1

    settled = Settlement(key=conflict.key, category="billing", by="lee", at=T0 + timedelta(hours=1))
    rows = merge_labels(BASE_TEXTS, BASE_LABELS, reviewed, [settled], weight=2.0)
    assert rows.conflicts == [] and rows.labels[0] == "billing" and rows.weights[0] == 2.0
    assert rows.used.settled_through == settled.at

    reopened = [*reviewed, label(3, "invoice is wrong", "sales", "cho", 120)]
    rows = merge_labels(BASE_TEXTS, BASE_LABELS, reopened, [settled], weight=2.0)
    assert rows.conflicts[0].labels == {"cho": "sales", "lead:lee": "billing"}


def test_new_labels_are_those_after_the_ones_a_model_used() -> None:
    reviewed = [label(1, "a", "billing", "ana"), label(2, "b", "billing", "ana")]
    used = merge_labels([], [], reviewed, weight=2.0).used
    assert not has_new_labels(used, reviewed)
    assert has_new_labels(used, [*reviewed, label(3, "c", "billing", "ana")])
    settled = Settlement(key=text_key("a"), category="sales", by="lee", at=T0)
    assert has_new_labels(used, reviewed, [settled])
    assert not has_new_labels(
        merge_labels([], [], reviewed, [settled], weight=2).used, reviewed, [settled]
    )
    assert has_new_labels(None, reviewed) and not has_new_labels(None, [])
