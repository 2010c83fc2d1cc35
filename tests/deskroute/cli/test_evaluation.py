"""`deskroute eval` and `deskroute shadow` through the entry point: JSON output, comparison,
and model files that are missing or not models (the caller's mistake: exit code 2)."""

from __future__ import annotations

import json
from pathlib import Path

from deskroute.settings import PROJECT_ROOT

LABELLED = str(PROJECT_ROOT / "examples" / "labelled.csv")
HISTORY = str(PROJECT_ROOT / "examples" / "history.csv")
EVAL = ("eval", LABELLED, "--text-col", "text", "--label-col", "category")


def test_eval_json_has_the_metrics(cli) -> None:
    done = cli(*EVAL, "--json")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["n"] == 40
    assert 0.0 <= result["accuracy"] <= 1.0
    assert 0.0 <= result["coverage"] <= 1.0
    assert result["oos_recall"] is None  # no --oos-label given
    assert sum(label["support"] for label in result["per_label"].values()) == 40


def test_a_model_compared_with_itself_changes_nothing(cli, demo_model: Path) -> None:
    done = cli(*EVAL, "--compare", str(demo_model), "--json")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["compare"]["accuracy"] == result["accuracy"]
    assert all(value in (0, None) for value in result["delta"]["headline"].values())


def test_missing_model_file_is_bad_input_naming_the_option(cli, tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.joblib"
    done = cli(*EVAL, "--model", str(missing))
    assert done.returncode == 2
    assert "--model" in done.stderr and "does not exist" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_file_that_is_not_a_model_is_bad_input(cli, tmp_path: Path) -> None:
    not_a_model = tmp_path / "notes.joblib"
    not_a_model.write_text("not a model")
    done = cli(*EVAL, "--compare", str(not_a_model))
    assert done.returncode == 2
    assert "--compare" in done.stderr and "unreadable" in done.stderr


def test_a_configured_model_that_is_missing_names_the_setting(cli, tmp_path: Path) -> None:
    done = cli(*EVAL, DESKROUTE_MODEL_PATH=str(tmp_path / "gone.joblib"))
    assert done.returncode == 2
    assert "DESKROUTE_MODEL_PATH" in done.stderr


def test_shadow_json_lists_the_planted_mistakes(cli) -> None:
    done = cli("shadow", HISTORY, "--text-col", "text", "--assigned-col", "queue", "--json")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["n"] > 0 and 0.0 <= result["agreement"] <= 1.0
    assert len(result["disagreements"]) >= 4


def test_shadow_without_a_model_refuses_instead_of_reporting_no_agreement(
    cli, tmp_path: Path
) -> None:
    done = cli(
        "shadow",
        HISTORY,
        "--text-col",
        "text",
        "--assigned-col",
        "queue",
        DESKROUTE_MODEL_PATH=str(tmp_path / "gone.joblib"),
    )
    assert done.returncode == 2
    assert "DESKROUTE_MODEL_PATH" in done.stderr and "does not exist" in done.stderr
    assert "agreement" not in done.stdout


def test_a_compared_report_shows_both_models_and_the_changes(
    cli, demo_model: Path, tmp_path: Path
) -> None:
    data = tmp_path / "few.csv"
    rows = [f"invoice question number {i},billing" for i in range(10)]
    rows += [f"cannot log in attempt {i},account_access" for i in range(10)]
    data.write_text("text,label\n" + "\n".join(rows) + "\n", encoding="utf-8")
    small = tmp_path / "small.joblib"
    trained = cli("train", str(data), "--label-col", "label", "--model", str(small))
    assert trained.returncode == 0, trained.stderr
    report = tmp_path / "report"
    done = cli(*EVAL, "--compare", str(small), "--report", str(report), "--json")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    first, second = result["model"], result["compare"]["model"]
    assert first != second
    page = (report / "index.html").read_text(encoding="utf-8")
    assert f"{first} compared with {second}" in page
    for anchor in ("compare", "deltas", "first-headline", "second-headline", "second-confusion"):
        assert f"id='{anchor}'" in page, anchor
    assert f"{first}: Per label" in page and f"{second}: Per label" in page
    accuracy_delta = f"{result['delta']['headline']['accuracy']:.4f}"
    assert accuracy_delta in page
