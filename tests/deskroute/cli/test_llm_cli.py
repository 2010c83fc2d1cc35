"""`deskroute llm check` and `deskroute prompts eval` against real servers on loopback: each
says why calls failed (refused, timed out, 5xx, an unusable answer), per kind with counts, and
`prompts eval --compare` shows the change between two prompts."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from llm_server import MARKER, ChatServer, closed_port_url

from deskroute.settings import PROJECT_ROOT

LABELLED = str(PROJECT_ROOT / "examples" / "labelled.csv")


def _words(text: str) -> str:
    """The output's words, table rules dropped."""
    return " ".join(text.translate({ord(c): " " for c in "│┃"}).split())


LLM_ENV = {
    "DESKROUTE_LLM": "openai-compatible:gemma",
    "DESKROUTE_LLM_TIMEOUT_S": "0.5",
    "DESKROUTE_LLM_MAX_RETRIES": "0",
}


FAULTS = {
    "refused": {},
    "timeout": {"stall_s": 2.0},
    "server_error": {"status": 500, "body": b'{"error": {"message": "model crashed"}}'},
    "unusable": {"body": b"<html><h1>502 Bad Gateway</h1></html>", "content_type": "text/html"},
}


@contextmanager
def _serving(kind: str) -> Iterator[str]:
    """The URL of a server failing in this way (nothing listens for `refused`)."""
    if kind == "refused":
        yield closed_port_url()
        return
    with ChatServer(**FAULTS[kind]) as server:
        yield server.url


@pytest.mark.parametrize("kind", list(FAULTS))
def test_llm_check_says_why_calls_fail(cli, kind: str) -> None:
    with _serving(kind) as url:
        done = cli("llm", "check", "--calls", "2", DESKROUTE_LLM_BASE_URL=url, **LLM_ENV)
    assert done.returncode == 1, done.stdout
    words = _words(done.stdout)
    assert "0 of 2 answered" in words
    assert "why LLM calls failed" in words
    assert f"{kind} 2 " in words, words
    assert "Traceback" not in done.stderr


def test_llm_check_reports_answers_and_their_speed(cli) -> None:
    with ChatServer() as server:
        done = cli("llm", "check", "--calls", "3", DESKROUTE_LLM_BASE_URL=server.url, **LLM_ENV)
    assert done.returncode == 0, done.stdout
    words = _words(done.stdout)
    assert "3 of 3 answered" in words and "s p50" in words
    assert "why LLM calls failed" not in words


@pytest.mark.parametrize("kind", list(FAULTS))
def test_prompts_eval_counts_failures_by_reason(cli, kind: str) -> None:
    with _serving(kind) as url:
        args = ("prompts", "eval", "--data", LABELLED, "--limit", "5")
        done = cli(*args, DESKROUTE_LLM_BASE_URL=url, **LLM_ENV)
        as_json = cli(*args, "--json", DESKROUTE_LLM_BASE_URL=url, **LLM_ENV)
    assert done.returncode == 0, done.stderr
    words = _words(done.stdout)
    assert "why LLM calls failed" in words
    # Three failures open the circuit breaker; the other two tickets are never sent.
    assert f"{kind} 3 " in words and "circuit_open 2 " in words, words
    (report,) = json.loads(as_json.stdout)
    assert {f["kind"]: f["count"] for f in report["failures"]} == {kind: 3, "circuit_open": 2}
    assert report["unavailable_rate"] == 1.0


def test_prompts_eval_compare_shows_the_change(cli, tmp_path: Path) -> None:
    candidate = tmp_path / "careful.yaml"
    shipped = (PROJECT_ROOT / "prompts" / "classifier.yaml").read_text(encoding="utf-8")
    candidate.write_text(
        shipped.replace("version: 1", "version: 2").replace(
            "  If no category fits,", f"  {MARKER} If no category fits,"
        ),
        encoding="utf-8",
    )
    with ChatServer() as server:
        done = cli(
            "prompts",
            "eval",
            "--data",
            LABELLED,
            "--limit",
            "4",
            "--compare",
            str(candidate),
            DESKROUTE_LLM_BASE_URL=server.url,
            **LLM_ENV,
        )
    assert done.returncode == 0, done.stderr
    assert "Δ (first − second)" in done.stdout
    rows = [_words(line).split() for line in done.stdout.splitlines() if "│" in line]
    metrics = {row[0]: row[1:] for row in rows}
    assert metrics["none_rate"] == ["0.0", "1.0", "-1"], metrics
    assert metrics["accuracy"][2].startswith("+") and metrics["n"] == ["4", "4", "+0"]
