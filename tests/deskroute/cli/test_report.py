"""`deskroute report` on the hand-made history: the terminal table with the week before and
the audit's figures, one JSON object, a self-contained HTML page, and exit code 2 for bad
options."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from handmade_history import NOW, write_history

from deskroute.settings import Settings
from deskroute.store.db import make_engine

UNTIL = NOW.isoformat()


@pytest.fixture
def store(cli) -> None:
    """The hand-made history in the store of the home `cli` runs in."""
    engine = make_engine(Settings().resolved_database_url)
    write_history(engine)
    engine.dispose()


def _audit(path: Path) -> Path:
    path.write_text(
        json.dumps(
            {
                "incidents": 20769,
                "reassigned_share": 0.474,
                "sla_met_share": 0.606,
                "time_to_assignment_p50_s": 5400,
                "time_to_resolution_p90_s": 864000,
                "reassignment_chains": [["A", "B", 12]],
            }
        )
    )
    return path


def test_the_week_against_the_week_before_and_the_audit(cli, store, tmp_path: Path) -> None:
    done = cli(
        "report",
        "--until",
        UNTIL,
        "--compare-previous",
        "--baseline",
        str(_audit(tmp_path / "a.json")),
    )

    assert done.returncode == 0, done.stderr
    rows = {line.split("│")[1].strip(): line for line in done.stdout.splitlines() if "│" in line}
    assert re.search(r"│\s+6 │\s+2 │\s+▼? ?\+4 \(\+200%\) │\s+20,769 │", rows["Tickets in"])
    assert re.search(r"25\.0% │\s+0\.0% │.*│\s+47\.4% │", rows["Reassigned at least once"])
    assert re.search(r"3 min │\s+5 min │.*│\s+1\.5 h │", rows["Time to assignment, p50"])
    assert "60.0%" in rows["Made SLA (of those decided)"]
    assert "Model versions: v2 (5), v1 (1)" in done.stdout


def test_json_is_one_object_with_the_baseline(cli, store, tmp_path: Path) -> None:
    done = cli(
        "report",
        "--until",
        UNTIL,
        "--by",
        "channel",
        "--json",
        "--baseline",
        str(_audit(tmp_path / "a.json")),
    )

    assert done.returncode == 0, done.stderr
    body = json.loads(done.stdout)
    assert body["current"]["total"]["tickets_in"] == 6 and body["previous"] is None
    assert {g["key"]: g["figures"]["tickets_in"] for g in body["current"]["groups"]} == {
        "email": 3,
        "chat": 1,
        "web": 1,
        "api": 1,
    }
    assert body["baseline"]["incidents"] == 20769


def test_html_is_one_page_with_its_charts_inside(cli, store, tmp_path: Path) -> None:
    page = tmp_path / "week.html"

    done = cli(
        "report", "--until", UNTIL, "--compare-previous", "--by", "queue", "--html", str(page)
    )

    assert done.returncode == 0, done.stderr
    html = page.read_text(encoding="utf-8")
    assert html.count("<svg") >= 5 and "Escalations by reason" in html
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html)  # nothing fetched
    assert "<script" not in html and "By queue" in html


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--by", "colour"], "--by"),
        (["--since", "forever"], "--since"),
        (["--category", "biling"], "did you mean billing"),
        (["--baseline", "missing.json"], "missing.json: cannot read it"),
    ],
)
def test_bad_options_exit_2_naming_them(cli, store, args: list[str], says: str) -> None:
    done = cli("report", *args)

    assert done.returncode == 2 and says in done.stderr, done.stderr


def test_a_baseline_without_its_figures_is_refused(cli, store, tmp_path: Path) -> None:
    (tmp_path / "b.json").write_text('{"incidents": 10}')

    done = cli("report", "--baseline", str(tmp_path / "b.json"))

    assert done.returncode == 2 and "reassigned_share: Field required" in done.stderr
