"""Shadow mode on a tiny history whose answers are known."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import keyword_model

from deskroute.evaluation.report import write_shadow_report
from deskroute.evaluation.shadow import run_shadow
from deskroute.runtime import open_workspace

HISTORY = [
    ("invoice is wrong", "finance"),  # model: billing -> finance (agrees)
    ("login fails since monday", "accounts"),  # account_access -> accounts (agrees)
    ("refund now please", "finance"),  # refunds -> finance (agrees)
    ("where is my invoice", "tech-support"),  # model: finance; the history is wrong
    ("hello there", "support"),  # no keyword: 1/3 confidence, escalated
]


@pytest.fixture
def keyword_workspace(settings, tmp_path: Path):
    path = tmp_path / "keywords.joblib"
    keyword_model(global_threshold=0.6).save(path)
    return open_workspace(settings.model_copy(update={"model_path": path}))


def test_agreement_per_queue(keyword_workspace) -> None:
    texts, assigned = [t for t, _ in HISTORY], [a for _, a in HISTORY]
    result = run_shadow(keyword_workspace, texts, assigned)
    assert (result.mapping, result.n, result.confident, result.unsure) == ("queues", 5, 4, 1)
    assert result.agreement == 0.75
    finance = next(t for t in result.per_target if t.target == "finance")
    assert (finance.proposed, finance.assigned, finance.agreed) == (3, 2, 2)
    assert [d.row for d in result.disagreements] == [4]
    assert result.disagreements[0].assigned == "tech-support"
    assert result.disagreements[0].proposed == "finance"
    assert result.fallback_agreement == 0.0  # "hello": best guess billing, people chose support


def test_categories_are_compared_directly(keyword_workspace) -> None:
    result = run_shadow(
        keyword_workspace, ["invoice is wrong", "refund now please"], ["billing", "billing"]
    )
    assert result.mapping == "categories" and result.agreement == 0.5


def test_unknown_labels_get_a_learned_mapping(keyword_workspace) -> None:
    texts = ["invoice is wrong", "invoice again", "login fails", "refund now please"]
    result = run_shadow(keyword_workspace, texts, ["Team A", "Team A", "Team B", "Team A"])
    assert result.mapping == "learned"
    assert result.learned_map == {
        "billing": "Team A",
        "account_access": "Team B",
        "refunds_cancellations": "Team A",
    }
    assert result.agreement == 1.0


def test_shadow_report(keyword_workspace, tmp_path: Path) -> None:
    result = run_shadow(keyword_workspace, [t for t, _ in HISTORY], [a for _, a in HISTORY])
    page = write_shadow_report(result, tmp_path / "r", "history.csv").read_text()
    assert "where is my invoice" in page and "id='disagreements'" in page
