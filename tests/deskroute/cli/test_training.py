"""`deskroute train --embeddings` through the console entry point: refused naming the extra when
it is absent; with it, the model says it reads sentence embeddings and routes with them, and
where the extra is missing it is refused naming the extra."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from deskroute.classify import embeddings as encoder

INSTALL = "install with: uv sync --extra embeddings"


def _data(tmp_path: Path) -> Path:
    data = tmp_path / "labelled.csv"
    rows = (
        ["text,label"]
        + [f"invoice question number {i},billing" for i in range(6)]
        + [f"cannot log in attempt {i},account_access" for i in range(6)]
    )
    data.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return data


def test_embeddings_without_the_extra_are_refused_naming_it(
    cli: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(encoder, "installed", lambda: False)
    done = cli("train", str(_data(tmp_path)), "--label-col", "label", "--embeddings")
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert f"--embeddings: needs the `embeddings` extra; {INSTALL}" in done.stderr
    assert not (tmp_path / "home" / "models").exists()  # refused before training


def test_a_model_trained_with_embeddings_needs_the_extra_to_load(
    cli: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not encoder.installed():
        pytest.skip("the embeddings extra is not installed (uv sync --extra embeddings)")
    data = _data(tmp_path)
    done = cli("train", str(data), "--label-col", "label", "--embeddings", "--model", "m.joblib")
    assert done.returncode == 0, done.stderr
    words = " ".join(done.stdout.replace("│", " ").split())
    assert f"embeddings {encoder.NAME} (needs the `embeddings` extra to load)" in words
    measured = cli("eval", str(data), "--label-col", "label", "--model", "m.joblib", "--json")
    assert measured.returncode == 0, measured.stderr
    assert json.loads(measured.stdout)["accuracy"] == 1.0  # its own training rows

    monkeypatch.setattr(encoder, "installed", lambda: False)
    evaluated = cli("eval", str(data), "--label-col", "label", "--model", "m.joblib")
    assert evaluated.returncode == 2 and "Traceback" not in evaluated.stderr
    assert f"trained with sentence embeddings ({encoder.NAME})" in evaluated.stderr
    assert INSTALL in " ".join(evaluated.stderr.split())
