"""The README's HTTP API examples run against a live server, so they cannot drift."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

from deskroute.settings import PROJECT_ROOT, Settings

README = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
START = README.index("## HTTP API")
SECTION = README[START : README.index("\n## ", START + 1)]
BLOCKS = re.findall(r"```bash\n(.*?)```", SECTION, flags=re.DOTALL)


def test_serve_block_names_real_settings() -> None:
    serve = BLOCKS[0]
    assert "uv run deskroute serve" in serve
    for name in re.findall(r"DESKROUTE_([A-Z_]+)", SECTION):
        assert name.lower() in Settings.model_fields, name


def test_curl_examples_work(
    base_url: str, auth: dict[str, str], api_settings: Settings, tmp_path: Path
) -> None:
    key = auth["Authorization"].removeprefix("Bearer ")
    assert api_settings.webhook_secrets is not None
    secret = api_settings.webhook_secrets.get_secret_value().partition("=")[2]
    answers = []
    for block in BLOCKS[1:]:
        script = (
            block.replace("http://127.0.0.1:8000", base_url)
            .replace("change-me", key)
            .replace("'mailbot-secret'", f"'{secret}'")
            .replace("curl -s ", "curl -s -w '\\n' ")
        )
        done = subprocess.run(
            ["bash", "-euo", "pipefail", "-c", script],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.returncode == 0, (block, done.stderr)
        answers += [json.loads(line) for line in done.stdout.splitlines() if line]
    assert len(answers) == 6
    assert all("error" not in answer for answer in answers), answers
    assert answers[1]["outcome"]["escalated"] is True  # the ?wait=5 example
    assert {a.get("created") for a in answers if "ticket_id" in a} == {True}
