"""The `deskroute` entry point: output, files and exit codes.

Most cases call the entry point function `main()` in-process (same code path, no interpreter
start-up); a few run `python -m deskroute` in a real subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import copy_tree, edit_yaml

from deskroute.settings import PROJECT_ROOT


@pytest.fixture
def subprocess_cli(tmp_path: Path, demo_model: Path):
    """Runs `python -m deskroute` in a real child process."""
    env = {
        **os.environ,
        "DESKROUTE_HOME": str(tmp_path / "home"),
        "DESKROUTE_MODEL_PATH": str(demo_model),
        "COLUMNS": "160",
    }

    def run(*args: str, **extra_env: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "deskroute", *args],
            capture_output=True,
            text=True,
            env={**env, **extra_env},
            cwd=tmp_path,
            timeout=300,
            check=False,
        )

    return run


def test_real_process_route_and_bad_input(subprocess_cli) -> None:
    done = subprocess_cli(
        "route", "Please send me a copy of invoice INV-2026-0101", "--customer", "C-1001", "--json"
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["category"] == "billing"
    bad = subprocess_cli("route", "hello", "--customer", "12345")
    assert bad.returncode == 2 and "customer_id" in bad.stderr
    assert "Traceback" not in bad.stderr


def test_route_json(cli) -> None:
    done = cli(
        "route",
        "Please send me a copy of invoice INV-2026-0101",
        "--customer",
        "C-1001",
        "--channel",
        "email",
        "--json",
    )
    assert done.returncode == 0, done.stderr
    record = json.loads(done.stdout)
    assert record["category"] == "billing" and record["queue"] == "finance"
    assert record["path"][0] == "classify" and record["path"][-1] == "record"


def test_route_panel_by_email(cli) -> None:
    done = cli(
        "route", "How do I share a dashboard?", "--customer", "anna.weber@harbor-logistics.example"
    )
    assert done.returncode == 0 and "outcome" in done.stdout and "general" in done.stdout


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (("route", "hello", "--customer", "12345"), "customer_id"),
        (("route", "   "), "subject/body"),
        (("route", "hello", "--customer", "not-an-email@"), "customer_email"),
    ],
)
def test_bad_input_exits_2_naming_the_field(cli, args, field) -> None:
    done = cli(*args)
    assert done.returncode == 2
    assert field in done.stderr and "Traceback" not in done.stderr + done.stdout


def test_route_cuts_a_too_long_text_instead_of_refusing_it(cli) -> None:
    done = cli("route", "x" * 102_401, "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["ticket_id"]


def test_unknown_channel_is_a_usage_error(cli) -> None:
    done = cli("route", "hello", "--channel", "fax")
    assert done.returncode == 2 and "fax" in done.stderr


def test_run_file_routes_good_rows_and_lists_bad_ones(cli, tmp_path: Path) -> None:
    tickets = tmp_path / "tickets.jsonl"
    tickets.write_text(
        "\n".join(
            [
                json.dumps({"body": "I can't log in", "customer_id": "C-1012", "channel": "chat"}),
                json.dumps({"body": "", "subject": ""}),
                "{not json",
                json.dumps({"body": "refund please", "customer_id": "C-1005", "external_id": "E1"}),
                json.dumps({"body": "refund please", "customer_id": "C-1005", "external_id": "E1"}),
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    out = tmp_path / "outcomes.jsonl"
    done = cli("run", str(tickets), "--out", str(out))
    assert done.returncode == 2
    assert "row 2" in done.stderr and "row 3" in done.stderr
    records = [json.loads(line) for line in out.read_text().splitlines()]
    assert len(records) == 3 and records[1]["ticket_id"] == records[2]["ticket_id"]
    rejected = (tmp_path / "outcomes.rejected.jsonl").read_text().splitlines()
    assert [json.loads(r)["row"] for r in rejected] == [2, 3]
    assert "already submitted" in done.stdout


def test_run_csv(cli, tmp_path: Path) -> None:
    tickets = tmp_path / "tickets.csv"
    tickets.write_text(
        "subject,body,customer_id\nHi,How do I export a chart to PDF?,C-1002\n"
        ",Please delete all my personal data,C-1021\n",
        encoding="utf-8",
    )
    done = cli("run", str(tickets))
    assert done.returncode == 0, done.stderr
    assert "2 rows" in done.stdout
    bad = tmp_path / "bad.csv"
    bad.write_text("text,customer\nhello,C-1\n", encoding="utf-8")
    done = cli("run", str(bad))
    assert done.returncode == 2 and "unknown column" in done.stderr


def test_train_and_use_a_model(cli, tmp_path: Path) -> None:
    data = tmp_path / "labelled.csv"
    rows = (
        ["text,label"]
        + [f"invoice question number {i},billing" for i in range(10)]
        + [f"cannot log in attempt {i},account_access" for i in range(10)]
    )
    data.write_text("\n".join(rows) + "\n", encoding="utf-8")
    model = tmp_path / "m.joblib"
    done = cli(
        "train", str(data), "--text-col", "text", "--label-col", "label", "--model", str(model)
    )
    assert done.returncode == 0, done.stderr
    assert model.is_file() and "20" in done.stdout
    missing = cli("train", str(data), "--text-col", "body", "--label-col", "label")
    assert missing.returncode == 2 and "'body' not found" in missing.stderr


def test_train_refuses_a_model_path_it_cannot_write(cli, tmp_path: Path) -> None:
    data = tmp_path / "labelled.csv"
    data.write_text("text,label\nan invoice,billing\ncannot log in,account_access\n")
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    for target in (blocker / "m.joblib", tmp_path):  # under a file; a directory
        done = cli("train", str(data), "--label-col", "label", "--model", str(target))
        assert done.returncode == 2, done.stderr
        assert "--model" in done.stderr and "Traceback" not in done.stderr


def test_outcomes_list_and_show(cli) -> None:
    routed = json.loads(
        cli("route", "refund the double charge", "--customer", "C-1005", "--json").stdout
    )
    listed = cli("outcomes", "list", "--escalated", "--json")
    assert listed.returncode == 0
    assert routed["ticket_id"] in listed.stdout
    shown = cli("outcomes", "show", routed["ticket_id"])
    assert shown.returncode == 0 and "draft for the reviewer" in shown.stdout
    assert cli("outcomes", "show", "tkt_missing").returncode == 2
    assert cli("outcomes", "list", "--since", "yesterday").returncode == 2


def test_demo_shows_every_escalation_reason(cli) -> None:
    done = cli("demo")
    assert done.returncode == 0, done.stderr
    for reason in (
        "low_confidence",
        "sensitive_action",
        "loop_detected",
        "human_requested",
        "policy_rule",
        "classifier_error",
    ):
        assert reason in done.stdout, reason
    assert "duplicate of" in done.stdout and "routed" in done.stdout


def test_bench_prints_one_json_object(cli) -> None:
    done = cli("bench", "--tickets", "30", "--json")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    for key in (
        "tickets_per_s",
        "p50_ms",
        "p99_ms",
        "peak_rss_mb",
        "bare_graph_tickets_per_s",
        "ratio",
    ):
        assert result[key] > 0


def test_broken_policy_exits_2_with_file_and_key(cli, tmp_path: Path) -> None:
    policies = copy_tree("policies", tmp_path)
    edit_yaml(policies / "routing.yaml", lambda d: d.update(max_handoffs="two"))
    done = cli("route", "hello", DESKROUTE_POLICIES_DIR=str(policies))
    assert done.returncode == 2
    assert "routing.yaml: max_handoffs" in done.stderr and "Traceback" not in done.stderr


def test_bad_database_url_exits_2(cli) -> None:
    done = cli("route", "hello", DESKROUTE_DATABASE_URL="nonsense")
    assert done.returncode == 2 and "DESKROUTE_DATABASE_URL" in done.stderr


def test_internal_error_exits_1_without_traceback(cli, tmp_path: Path) -> None:
    blocked = tmp_path / "db-is-a-directory"
    blocked.mkdir()
    done = cli("route", "hello", DESKROUTE_DATABASE_URL=f"sqlite:///{blocked}")
    assert done.returncode == 1
    assert "internal error" in done.stderr and "Traceback" not in done.stderr
    assert "deskroute.log" in done.stderr


def test_unknown_command(cli) -> None:
    assert cli("frobnicate").returncode == 2


def test_project_root_is_importable() -> None:
    assert (PROJECT_ROOT / "deskroute" / "__main__.py").is_file()


def test_the_cli_loads_without_the_routing_graph():
    """`train`, `eval` and `--help` must not wait for LangGraph to import; the commands that
    route import it themselves."""
    probe = (
        "import sys, deskroute.cli.main; print(sorted(m for m in sys.modules if 'langgraph' in m))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=120
    )
    assert done.stdout.strip() == "[]"
