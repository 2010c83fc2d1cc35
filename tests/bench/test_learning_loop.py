"""bench/learning_loop.py --quick: the loop runs end to end on a few alike categories and
prints one JSON object whose invariants hold (no accuracy targets here: those are the full
run's business)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from bench._data import BANKING77
from deskroute.settings import PROJECT_ROOT

pytestmark = pytest.mark.skipif(
    not BANKING77.is_file(), reason=f"the BANKING77 training file is absent ({BANKING77})"
)


def _check_order(run: dict[str, Any], result: dict[str, Any]) -> None:
    rounds = run["rounds"]
    pool, cap, full = result["pool_size"], result["label_cap"], result["full_pool_accuracy"]
    assert rounds[0]["round"] == 0 and rounds[0]["labels"] == result["start_labels"]
    assert rounds[0]["promoted"] is None
    assert [r["round"] for r in rounds] == list(range(len(rounds)))
    assert len(rounds) > 1
    for before, after in zip(rounds, rounds[1:], strict=False):
        assert before["labels"] <= cap  # a round starts only under the cap
        gained = after["reviewed"] + after["flagged"]
        assert after["labels"] == before["labels"] + gained
        assert after["reviewed"] <= min(result["budget"], after["escalated"])
        assert after["corrected"] <= after["reviewed"]
        assert after["flagged"] <= after["inspected"]
        assert after["implicit_wrong"] <= after["implicit"]
        assert after["promoted"] == (after["failures"] == [])
        served = after["version"] == after["candidate"]["version"]
        assert served == after["promoted"]
        if not after["promoted"]:
            assert after["version"] == before["version"]
            assert after["accuracy"] == before["accuracy"]
    for r in rounds:
        assert r["share"] == round(r["labels"] / pool, 4)
        assert 0.0 <= r["accuracy"] <= 1.0 and 0.0 <= r["coverage"] <= 1.0
    mark = run["labels_to_within_1pt"]
    reached = [r["labels"] for r in rounds if r["accuracy"] >= full - 0.01 - 1e-9]
    assert mark == (reached[0] if reached else None)
    decided = rounds[1:]
    assert run["promotions"] + run["refusals"] == len(decided)


def test_quick_loop_keeps_every_invariant(tmp_path: Path) -> None:
    chart = tmp_path / "curve.png"
    done = subprocess.run(
        [sys.executable, "bench/learning_loop.py", "--quick", "--json", "--chart", str(chart)],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["quick"] is True and result["implicit"] is True
    assert result["categories"] == 10
    assert result["pool_size"] + result["eval_rows"] == 10 * 30
    assert result["label_cap"] == round(0.3 * result["pool_size"])
    assert 0.0 < result["full_pool_accuracy"] <= 1.0
    assert set(result["orders"]) == {"learning", "oldest"}
    for run in result["orders"].values():
        _check_order(run, result)
    assert chart.stat().st_size > 0
