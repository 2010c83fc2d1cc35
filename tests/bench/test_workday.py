"""bench/workday.py --quick: a small, coarse simulated day runs end to end on the real store,
assigners, SLA sweep and outbox, and prints one JSON object whose invariants hold (no timings
here: the figures that depend on speed or load are the full run's business)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bench._workday.servicenow import LOG
from deskroute.settings import PROJECT_ROOT

pytestmark = pytest.mark.skipif(
    not LOG.is_file(), reason=f"the ServiceNow incident log is absent ({LOG}; ../shared)"
)


def test_a_quick_day_keeps_every_invariant(tmp_path: Path, demo_model: Path) -> None:
    env = {**os.environ, "DESKROUTE_MODEL_PATH": str(demo_model)}
    chart = str(tmp_path / "day.png")
    done = subprocess.run(
        [sys.executable, "bench/workday.py", "--quick", "--json", "--chart", chart],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["weekday"] == "2016-04-14"
    assert result["tickets"] == 90  # 80 ordinary arrivals and 10 outage tickets
    for strategy in ("best_match", "round_robin"):
        figures = result[strategy]
        assert figures["capacity_violations"] == 0
        assert figures["offline_assignments"] == 0
        assert figures["never_assigned"] == 0
        assert 0 <= figures["breach_rate"] <= 1
    assert result["outbox_lost"] == 0
    assert result["best_match"]["outbox_events"] > result["tickets"]
    assert result["best_match"]["receiver_refused"] > 0  # the webhook was down a while
    assert set(result) >= {
        "capacity_violations",
        "offline_assignments",
        "breach_rate",
        "breach_rate_round_robin",
        "assign_p50_s",
        "assign_p95_s",
        "load_ratio",
        "outbox_lost",
    }
