"""The README's commands and pictures are checked here, so they cannot drift from the code."""

from __future__ import annotations

import json
import re
import shlex
import shutil
from pathlib import Path

import pytest
from helpers import release_sqlite_store
from llm_server import ChatServer

from deskroute.errors import ConfigError
from deskroute.models.outcome import OutcomeRecord
from deskroute.prompts import load_prompt
from deskroute.settings import PROJECT_ROOT
from graph.picture import mermaid
from specialists.registry import SPECIALISTS

README = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")


def blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", README, flags=re.DOTALL)


def section(title: str) -> str:
    start = README.index(f"## {title}")
    end = README.find("\n## ", start + 1)
    return README[start : end if end > 0 else None]


def test_quick_start_is_two_commands_and_ci_runs_the_test_command() -> None:
    commands = re.findall(r"```bash\n(.*?)```", section("Quick start"), flags=re.DOTALL)[0]
    lines = [ln for ln in commands.strip().splitlines() if ln.strip()]
    assert len(lines) == 2
    assert lines[0].endswith("uv run deskroute demo")
    test_command = lines[1].strip()
    assert test_command == "uv run pytest"
    ci = (PROJECT_ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert test_command in ci.splitlines()


def test_mermaid_picture_matches_the_compiled_graph() -> None:
    assert blocks("mermaid") == [mermaid()]


def test_outcome_example_uses_real_fields() -> None:
    example = json.loads(blocks("json")[0])
    assert set(example) <= set(OutcomeRecord.model_fields)


def test_every_policy_and_prompt_file_is_documented() -> None:
    for path in [
        *(PROJECT_ROOT / "policies").glob("*.yaml"),
        *(PROJECT_ROOT / "prompts").glob("*.yaml"),
    ]:
        name = f"{path.parent.name}/{path.name}"
        generic = f"{path.parent.name}/<specialist>.yaml"
        assert name in README or generic in README, name


def test_everyday_commands_run(cli, tmp_path: Path) -> None:
    shutil.copytree(PROJECT_ROOT / "examples", tmp_path / "examples")
    commands = re.findall(r"```bash\n(.*?)```", section("Everyday commands"), flags=re.DOTALL)[0]
    for line in commands.strip().splitlines():
        args = shlex.split(line)
        assert args[:3] == ["uv", "run", "deskroute"], line
        if args[3] == "bench":
            args[args.index("--tickets") + 1] = "30"  # the README's 2000 is for real measurements
        done = cli(*args[3:])
        assert done.returncode == 0, (line, done.stderr)
    assert (tmp_path / "outcomes.jsonl").is_file()


def test_quality_commands_run(cli, tmp_path: Path) -> None:
    shutil.copytree(PROJECT_ROOT / "examples", tmp_path / "examples")
    section_text = section("Proving routing quality before going live")
    commands = re.findall(r"```bash\n(.*?)```", section_text, flags=re.DOTALL)[0]
    for line in commands.strip().splitlines():
        args = shlex.split(line)
        done = cli(*args[3:])
        assert done.returncode == 0, (line, done.stderr)
    assert (tmp_path / "eval-report" / "index.html").is_file()
    assert (tmp_path / "shadow-report" / "index.html").is_file()


def test_learning_commands_run(cli, tmp_path: Path) -> None:
    shutil.copytree(PROJECT_ROOT / "examples", tmp_path / "examples")
    section_text = section("Reviews that teach, and starting without labels")
    commands = re.findall(r"```bash\n(.*?)```", section_text, flags=re.DOTALL)[0]
    for line in commands.strip().splitlines():
        done = cli(*shlex.split(line)[3:])
        assert done.returncode == 0, (line, done.stderr)
    review = (tmp_path / "review.csv").read_text(encoding="utf-8").splitlines()
    assert review[0] == "text,proposed,confidence,runner_up,reason,category,row"
    assert len(review) == 21


def test_local_llm_settings_run(cli, tmp_path: Path) -> None:
    """The llama.cpp settings, against a chat server on loopback in place of llama.cpp."""
    text = section("The LLM path (optional)")
    (settings_block,) = [b for b in blocks("bash") if "DESKROUTE_LLM_TIMEOUT_S=150" in b]
    assert settings_block in text
    env: dict[str, str] = {}
    with ChatServer() as server:
        for line in settings_block.strip().splitlines():
            args = shlex.split(line)
            if args[0] == "export":
                env.update(arg.split("=", 1) for arg in args[1:])
                assert env.get("DESKROUTE_LLM_BASE_URL", "").startswith("http://127.0.0.1:")
                env["DESKROUTE_LLM_BASE_URL"] = server.url
                continue
            assert args[:3] == ["uv", "run", "deskroute"], line
            done = cli(*args[3:], **env)
            assert done.returncode == 0, (line, done.stdout, done.stderr)
        assert server.requests >= 4
    assert env["DESKROUTE_LLM_TIMEOUT_S"] == "150" and env["DESKROUTE_LLM_SYSTEM_ROLE"] == "false"


def test_translation_example_matches_the_prompt_files_and_the_loader(tmp_path: Path) -> None:
    text = section("Editing prompts and policies")
    [example] = re.findall(r"```yaml\n(.*?)```", text, flags=re.DOTALL)
    billing = (PROJECT_ROOT / "prompts" / "billing.yaml").read_text(encoding="utf-8")
    for line in example.splitlines():
        if ": " in line and "..." not in line:
            assert line.split("#")[0].rstrip() in billing, line
    broken = tmp_path / "prompts" / "billing.yaml"
    broken.parent.mkdir()
    start = billing.index("  de:")
    closing = billing.index("    closing:", start)
    end = billing.index("  fr:", start)
    broken.write_text(billing[:closing] + billing[end:], encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_prompt(broken, SPECIALISTS["billing"].prompt_spec)
    shown = f"prompts/billing.yaml: {caught.value.key}: {caught.value.message}"
    assert f"    {shown}\n" in text


def test_upgrade_commands_run_on_a_store_made_before_versioning(cli, tmp_path: Path) -> None:
    url = release_sqlite_store(tmp_path)
    commands = re.findall(r"```bash\n(.*?)```", section("Upgrading a store"), flags=re.DOTALL)[0]
    assert cli("outcomes", "list", DESKROUTE_DATABASE_URL=url).returncode == 2
    for line in commands.strip().splitlines():
        args = shlex.split(line)
        assert args[:4] == ["uv", "run", "deskroute", "db"], line
        done = cli(*args[3:], DESKROUTE_DATABASE_URL=url)
        assert done.returncode == 0, (line, done.stderr)
    assert cli("outcomes", "list", DESKROUTE_DATABASE_URL=url).returncode == 0


def test_notification_commands_and_signature_example_run(cli, tmp_path: Path) -> None:
    text = section("Notifications and helpdesk write-back")
    commands = re.findall(r"```bash\n(.*?)```", text, flags=re.DOTALL)[0]
    env: dict[str, str] = {}
    for line in commands.strip().splitlines():
        args = shlex.split(line)
        if args[0] == "export":
            env.update(arg.split("=", 1) for arg in args[1:])
            continue
        done = cli(*args[3:], **env)
        assert done.returncode == 0, (line, done.stderr)
        assert "is off" not in done.stdout  # every destination of the file is on
    assert env["DESKROUTE_SLACK_WEBHOOK_URL"].startswith("https://hooks.slack.com/services/")
    notifications = (PROJECT_ROOT / "policies" / "notifications.yaml").read_text(encoding="utf-8")
    for name in env:
        assert name in notifications
    [example] = re.findall(r"```python\n(.*?)```", text, flags=re.DOTALL)
    exec(compile(example, "README.md", "exec"), {})  # noqa: S102 - the README's own example


def test_report_commands_run(cli, tmp_path: Path) -> None:
    """The report section's commands, on a store with two weeks of synthetic history."""
    from deskroute.analytics.seed import seed_history
    from deskroute.policies import load_policies
    from deskroute.settings import Settings
    from deskroute.store.db import make_engine
    from deskroute.store.types import utcnow

    settings = Settings()
    engine = make_engine(settings.resolved_database_url)
    seed_history(engine, load_policies(settings.policies_dir), days=14, per_day=20, end=utcnow())
    engine.dispose()
    text = section("Routing figures: report and dashboard")
    commands = re.findall(r"```bash\n(.*?)```", text, flags=re.DOTALL)[0]
    for line in commands.strip().splitlines():
        args = shlex.split(line)
        assert args[:3] == ["uv", "run", "deskroute"], line
        done = cli(*args[3:])
        assert done.returncode == 0, (line, done.stderr)
    assert "<svg" in (tmp_path / "week.html").read_text(encoding="utf-8")
    assert "GET /v1/metrics/summary" in text and "deskroute demo --history-days 14" in text
