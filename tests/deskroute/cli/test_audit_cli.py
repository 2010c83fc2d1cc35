"""`deskroute audit`: the report in a terminal and as JSON, and bad input as exit code 2."""

from __future__ import annotations

import json
import re
import shlex
import shutil
import zipfile
from pathlib import Path

from audit_log import write_log

from deskroute.settings import PROJECT_ROOT


def test_json_carries_the_baseline_keys(cli, tmp_path: Path) -> None:
    history = write_log(tmp_path / "history.csv")
    done = cli("audit", str(history), "--json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert (report["incidents"], report["reassigned_share"], report["sla_met_share"]) == (
        4,
        0.5,
        0.75,
    )
    assert (report["time_to_assignment_p50_s"], report["time_to_assignment_p90_s"]) == (
        600.0,
        1800.0,
    )
    assert (report["time_to_resolution_p50_s"], report["time_to_resolution_p90_s"]) == (
        7200.0,
        14400.0,
    )
    assert report["reopen_share"] == 0.25


def test_the_terminal_report_of_a_zipped_log(cli, tmp_path: Path) -> None:
    archive = tmp_path / "history.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.write(write_log(tmp_path / "history.csv"), "history.csv")
    done = cli("audit", str(archive), "--top", "1")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert "11 events, 4 incidents opened 2026-03-02 to 2026-03-03" in lines[0]
    headline = {line.split("  ")[0]: line.split()[-3:] for line in lines[2:8]}
    assert headline["reassigned at least once"] == ["50.0%", "2", "incidents"]
    assert headline["made SLA"] == ["75.0%", "3", "incidents"]
    flat = " ".join(done.stdout.split())
    assert "time to assignment p50 10m p90 30m 1 never assigned" in flat
    assert "time to resolution p50 2h00m p90 4h00m 1 not resolved" in flat
    assert "by group: the 1 busiest of 2" in done.stdout
    assert "Triage -> Billing -> Triage" in done.stdout
    assert "2 people hold 3 incidents (1 with nobody)" in done.stdout


def test_bad_input_is_exit_code_2_without_a_traceback(cli, tmp_path: Path) -> None:
    bad_map = tmp_path / "mapping.yaml"
    bad_map.write_text("columns: {gruop: team}\n", encoding="utf-8")
    history = write_log(tmp_path / "history.csv")
    for args, message in [
        (["absent.csv"], "absent.csv: no such file"),
        ([str(history), "--map", str(bad_map)], "columns.gruop: unknown key gruop"),
        (
            [str(history), "--col-group", "team"],
            "no column 'team' for group (named by --col-group)",
        ),
        ([str(history), "--preset", "zendesk"], "unknown preset 'zendesk'"),
        ([str(history), "--date-format", "%d/%m/%Y"], "line 2, column 'opened_at'"),
    ]:
        done = cli("audit", *args)
        assert done.returncode == 2, (args, done.stdout)
        assert message in " ".join(done.stderr.split()), args
        assert "Traceback" not in done.stderr


def test_the_readme_commands_run(cli, tmp_path: Path) -> None:
    """The README's audit commands on the example export (the ServiceNow one, which needs
    ../shared, is tests/deskroute/audit/test_servicenow.py's)."""
    shutil.copytree(PROJECT_ROOT / "examples", tmp_path / "examples")
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    start = readme.index("## Measure today's flow first: deskroute audit")
    block = re.findall(r"```bash\n(.*?)```", readme[start:], flags=re.DOTALL)[0]
    ran = 0
    for line in block.strip().splitlines():
        args = shlex.split(line)
        assert args[:4] == ["uv", "run", "deskroute", "audit"], line
        if args[4].startswith("../shared/"):
            continue
        done = cli(*args[3:])
        assert done.returncode == 0, (line, done.stderr)
        ran += 1
    assert ran == 2
    assert json.loads(done.stdout)["incidents"] == 8
