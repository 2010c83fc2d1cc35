"""Evaluation metrics, checked against values worked out by hand."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from helpers import keyword_model

from deskroute.classify.data import load_labelled
from deskroute.evaluation.compare import compare
from deskroute.evaluation.metrics import evaluate
from deskroute.evaluation.report import write_report

HIGH = math.exp(4) / (math.exp(4) + 2)  # one keyword: 0.9646
LOW = 1 / 3  # no keyword

# text, true label. The keyword model predicts from the keyword; "hello" has none (predicts
# billing, the first class, at 1/3).
ROWS = [
    ("invoice wrong", "billing"),  # billing, right, routed
    ("invoice copy please", "billing"),  # billing, right, routed
    ("login fails", "account_access"),  # account_access, right, routed
    ("login and invoice", "billing"),  # tie: billing (argmax takes the first), 0.4908, escalated
    ("refund my invoice", "refunds_cancellations"),  # tie billing/refunds -> billing, wrong
    ("refund now", "refunds_cancellations"),  # refunds, right, routed
    ("my login is slow", "billing"),  # account_access, WRONG, routed
    ("hello", "account_access"),  # billing at 1/3, wrong, escalated
    ("buy shoes", "OOS"),  # out of scope: billing at 1/3, escalated
    ("invoice for pizza", "OOS"),  # out of scope: billing at 0.9646, ROUTED
]


@pytest.fixture
def labelled(tmp_path: Path):
    path = tmp_path / "hand.csv"
    path.write_text(
        "text,label\n" + "".join(f"{t},{label}\n" for t, label in ROWS), encoding="utf-8"
    )
    return load_labelled(path, text_col="text", label_col="label")


def test_metrics_by_hand(labelled) -> None:
    result, rows = evaluate(
        keyword_model(global_threshold=0.6), labelled.texts, labelled.labels, oos_label="OOS"
    )
    assert rows.confidence[0] == pytest.approx(HIGH) and rows.confidence[7] == pytest.approx(LOW)
    assert (result.n, result.in_scope, result.oos) == (10, 8, 2)
    # in scope: right = rows 1,2,3,4,6 -> 5 of 8
    assert result.accuracy == pytest.approx(5 / 8)
    # routed (confidence >= 0.6): rows 1,2,3,6,7 and OOS row 10 -> 6 of 10
    assert result.coverage == pytest.approx(0.6) and result.escalation_rate == pytest.approx(0.4)
    # routed in-scope rows 1,2,3,6,7: right 1,2,3,6 -> 4 of 5
    assert result.covered_accuracy == pytest.approx(0.8)
    assert result.in_scope_routed_accuracy == pytest.approx(4 / 8)
    assert result.oos_recall == pytest.approx(0.5)
    # per label over in-scope rows. billing: truth {1,2,4,7}, predicted {1,2,4,5,8} -> tp 3
    billing = result.per_label["billing"]
    assert (billing.precision, billing.recall, billing.support) == (0.6, 0.75, 4)
    assert billing.f1 == pytest.approx(round(2 * 0.6 * 0.75 / 1.35, 4))
    # account_access: truth {3,8}, predicted {3,7} -> tp 1: P .5 R .5 F1 .5
    assert result.per_label["account_access"].f1 == 0.5
    # refunds: truth {5,6}, predicted {6} -> P 1, R .5, F1 .6667
    assert result.per_label["refunds_cancellations"].f1 == pytest.approx(0.6667)
    assert result.macro_f1 == pytest.approx(round((0.6667 + 0.5 + 0.6667) / 3, 4), abs=1e-4)


def test_without_oos_label_oos_rows_are_just_wrong(labelled) -> None:
    result, _ = evaluate(keyword_model(), labelled.texts, labelled.labels)
    assert result.oos == 0 and result.oos_recall is None
    assert result.unknown_labels == ["OOS"]
    assert result.accuracy == pytest.approx(5 / 10)


def test_per_category_threshold_is_used(labelled) -> None:
    strict = keyword_model(global_threshold=0.6, per_category={"account_access": 0.99})
    result, rows = evaluate(strict, labelled.texts, labelled.labels, oos_label="OOS")
    assert not rows.routed[2] and not rows.routed[6]  # the two account_access predictions
    assert result.coverage == pytest.approx(0.4)


def test_compare_deltas(labelled) -> None:
    loose, _ = evaluate(
        keyword_model(global_threshold=0.3), labelled.texts, labelled.labels, oos_label="OOS"
    )
    strict, _ = evaluate(
        keyword_model(global_threshold=0.6), labelled.texts, labelled.labels, oos_label="OOS"
    )
    comparison = compare(loose, strict)
    assert comparison.headline["coverage"] == pytest.approx(1.0 - 0.6)
    assert comparison.headline["accuracy"] == 0.0
    assert all(d.f1 == 0.0 for d in comparison.per_label)


def test_html_report_has_its_sections(labelled, tmp_path: Path) -> None:
    result, rows = evaluate(keyword_model(), labelled.texts, labelled.labels, oos_label="OOS")
    page = write_report(result, rows, tmp_path / "report", "hand.csv").read_text()
    for anchor in ("headline", "curve", "confusion", "labels", "confused"):
        assert f"id='{anchor}'" in page
    assert "<svg" in page and "operating point" in page
    assert "my login is slow" in page  # an example of the billing -> account_access confusion
    assert "<script" not in page and "http" not in page.replace("http://www.w3.org", "")
