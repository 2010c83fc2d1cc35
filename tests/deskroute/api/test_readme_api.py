"""The README's HTTP API examples run against a live server, so they cannot drift."""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Callable
from pathlib import Path

import httpx
from fastapi import FastAPI

from deskroute.api.app import create_app
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


def test_the_examples_work_with_the_serve_block_as_written(
    serve: Callable[[FastAPI], str], demo_model: Path, tmp_path: Path
) -> None:
    """No key or secret swapped in: the serve block configures what every example needs,
    the signed webhook's secret included."""
    exported = dict(re.findall(r"^export DESKROUTE_(\w+)=(\S+)", BLOCKS[0], flags=re.MULTILINE))
    assert set(exported) == {"API_KEYS", "WEBHOOK_SECRETS"}
    settings = Settings(
        home=tmp_path / "home",
        model_path=demo_model,
        **{name.lower(): value for name, value in exported.items()},
    )
    url = serve(create_app(settings))
    for block in BLOCKS[1:]:
        script = block.replace("http://127.0.0.1:8000", url).replace(
            "curl -s ", "curl -s -w '\\n' "
        )
        done = subprocess.run(
            ["bash", "-euo", "pipefail", "-c", script],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=60,
        )
        answers = [json.loads(line) for line in done.stdout.splitlines() if line]
        assert done.returncode == 0 and answers, (block, done.stderr)
        assert all("error" not in answer for answer in answers), (block, answers)


def test_the_documented_error_statuses_are_the_answers(http: httpx.Client) -> None:
    errors = " ".join(SECTION[SECTION.index("- **Errors**") :].split("\n- ")[0].split())
    json_type = {"Content-Type": "application/json"}
    cases = {
        "`400` for JSON that does not parse (`invalid_json`)": (
            http.post("/v1/tickets", content=b'{"body": ', headers=json_type),
            400,
            "invalid_json",
        ),
        "a body that is not UTF-8 (`not_utf8`)": (
            http.post("/v1/tickets", content=b'{"body": "caf\xe9"}', headers=json_type),
            400,
            "not_utf8",
        ),
        "`415` for a JSON endpoint sent another `Content-Type`": (
            http.post("/v1/tickets", content=b"hello", headers={"Content-Type": "text/plain"}),
            415,
            "unsupported_media_type",
        ),
        "`422` for an empty JSON body": (
            http.post("/v1/tickets", content=b"", headers=json_type),
            422,
            "invalid_body",
        ),
        "(`?wait=` over 30 too)": (
            http.post("/v1/tickets", params={"wait": 31}, json={"body": "hello"}),
            422,
            "less_than_equal",
        ),
    }
    for claim, (answer, status, code) in cases.items():
        assert claim in errors, claim
        assert (answer.status_code, answer.json()["error"]["code"]) == (status, code), claim
    assert "`?wait=SECONDS` (at most 30)" in SECTION
